'use strict';

const https = require('https');
const { NodeApiError } = require('n8n-workflow');
const { startEmulator } = require('../../tools/emulator');
const { appCredential } = require('../../tools/emulator/credentials');
const { LivePersonFunctionsApi } = require('../../credentials/LivePersonFunctionsApi.credentials');
const { makeHttpRequest, leakedSecrets } = require('../helpers/n8nContext');
const { eachTestAsANewProcess, later } = require('../helpers/freshProcess');

const credential = new LivePersonFunctionsApi();
const node = {
	id: 'temp',
	name: 'Temp-Node',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

eachTestAsANewProcess();

let emu;
let agent;
let httpRequest;
const captured = [];

beforeAll(async () => {
	emu = await startEmulator();
	agent = new https.Agent({ ca: emu.caPem });
	httpRequest = makeHttpRequest(agent);
});
afterAll(async () => {
	agent.destroy();
	await emu.stop();
	// Every error and message the credential produced in this file: no client secret, no token.
	expect(leakedSecrets(emu, captured)).toEqual([]);
});
beforeEach(async () => {
	emu.clearLog();
	emu.clearFaults();
	for (const service of ['csds', 'sentinel', 'faasGW', 'faasUI']) {
		if (!emu.isServiceUp(service)) await emu.setServiceDown(service, false);
		emu.setServiceHost(service, undefined);
	}
});

const client = () => emu.clients[0];
const discoverData = (extra = {}) => appCredential(emu, { accessToken: '', domains: '', ...extra });

async function preAuth(data) {
	try {
		// The output is the credential's own stored data (it holds the token by design): not captured.
		return await credential.preAuthentication.call({ helpers: { httpRequest } }, data);
	} catch (error) {
		captured.push(error);
		throw error;
	}
}

/** What n8n's credential test shows: it wraps the preAuthentication error and shows the message. */
async function credentialTestMessage(data) {
	const error = await preAuth(data).then(
		() => undefined,
		(e) => e,
	);
	if (!error) return 'Connection successful!';
	const message = new NodeApiError(node, error).message;
	captured.push(message);
	return message;
}

describe('preAuthentication', () => {
	test('discovers the hosts with one Domain API request, then gets a token with the client credentials in the body', async () => {
		const output = await preAuth(discoverData());
		expect(typeof output.accessToken).toBe('string');
		expect(output.accessToken.split('.')).toHaveLength(3);
		const domains = JSON.parse(output.domains);
		expect(domains.hosts).toEqual({
			sentinel: emu.hosts.sentinel,
			faasGW: emu.hosts.faasGW,
			faasUI: emu.hosts.faasUI,
		});

		const csds = emu.requestsOf('csds');
		expect(csds).toHaveLength(1);
		expect(csds[0].path).toBe(`/api/account/${emu.accountId}/service/baseURI.json`);
		expect(csds[0].query.version).toBe('1.0');

		const [token] = emu.requestsOf('sentinel');
		expect(emu.requestsOf('sentinel')).toHaveLength(1);
		expect(token.method).toBe('POST');
		expect(token.path).toBe(`/sentinel/api/account/${emu.accountId}/app/token`);
		expect(token.query.v).toBe('2.0');
		expect(token.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(Object.fromEntries(new URLSearchParams(token.rawBody))).toEqual({
			grant_type: 'client_credentials',
			client_id: client().clientId,
			client_secret: client().clientSecret,
		});
		expect(token.headers.authorization).toBeUndefined();
	});

	test('reads the one-service answer form when the all-services form is missing', async () => {
		emu.fault({
			service: 'csds',
			match: { pathIncludes: '/service/baseURI.json' },
			action: { type: 'status', status: 404, body: {} },
		});
		const output = await preAuth(discoverData());
		expect(JSON.parse(output.domains).hosts.sentinel).toBe(emu.hosts.sentinel);
		expect(emu.requestsOf('csds').map((r) => r.path)).toEqual([
			`/api/account/${emu.accountId}/service/baseURI.json`,
			`/api/account/${emu.accountId}/service/sentinel/baseURI.json`,
			`/api/account/${emu.accountId}/service/faasGW/baseURI.json`,
			`/api/account/${emu.accountId}/service/faasUI/baseURI.json`,
		]);
	});

	test.each([
		['sentinel', (emu) => `https://${emu.hosts.sentinel}`],
		['sentinel', (emu) => `${emu.hosts.sentinel}/steal`],
		['faasGW', () => 'evil.example.com/collect?x=1'],
		['faasGW', () => 'user:pw@evil.example.com'],
	])(
		'a discovered %s host with a scheme, path or user info is refused and nothing is sent',
		async (service, value) => {
			emu.setServiceHost(service, value(emu));
			const error = await preAuth(discoverData()).catch((e) => e);
			expect(error.message).toMatch(/is not a bare host name/);
			expect(emu.requestsOf('sentinel')).toHaveLength(0);
		},
	);

	test('reuses hosts discovered less than 10 minutes ago for the same account, asks again at a renewal after', async () => {
		const first = await preAuth(discoverData());
		emu.clearLog();
		await preAuth(discoverData({ domains: first.domains }));
		await preAuth(
			discoverData({
				domains: first.domains,
				accountId: emu.accountId,
				domainApiUrl: `${emu.urls.csds}/`,
			}),
		);
		expect(emu.requestsOf('csds')).toHaveLength(0);
		later(11 * 60 * 1000);
		await preAuth(discoverData({ accessToken: first.accessToken, domains: first.domains })); // a renewal
		expect(emu.requestsOf('csds')).toHaveLength(1);
	});

	test('in one process, concurrent cold starts share one discovery and one token request; later ones reuse them', async () => {
		const outputs = await Promise.all(Array.from({ length: 6 }, () => preAuth(discoverData())));
		expect(emu.requestsOf('csds')).toHaveLength(1);
		expect(emu.requestsOf('sentinel')).toHaveLength(1);
		expect(new Set(outputs.map((o) => o.accessToken)).size).toBe(1);
		const late = await preAuth(discoverData());
		expect(late.accessToken).toBe(outputs[0].accessToken);
		expect(emu.requestsOf('sentinel')).toHaveLength(1);
	});

	test('a token from another process that got a 401 is renewed, never answered with an older token of this process', async () => {
		const mine = await preAuth(discoverData());
		const elsewhere = await emu.issueToken(); // what another worker stored in the database
		emu.revokeTokens();
		emu.clearLog();
		const renewed = await preAuth(discoverData({ accessToken: elsewhere, domains: mine.domains }));
		expect(renewed.accessToken).not.toBe(mine.accessToken);
		expect(renewed.accessToken).not.toBe(elsewhere);
		// Executions that loaded the same replaced token get the renewal without asking again.
		const late = await preAuth(discoverData({ accessToken: elsewhere, domains: mine.domains }));
		const older = await preAuth(
			discoverData({ accessToken: mine.accessToken, domains: mine.domains }),
		);
		expect([late.accessToken, older.accessToken]).toEqual([
			renewed.accessToken,
			renewed.accessToken,
		]);
		expect(emu.requestsOf('sentinel')).toHaveLength(1);
	});

	test('a caller holding the newest token (its 401) gets a new one; another client id never shares it', async () => {
		const first = await preAuth(discoverData());
		emu.clearLog();
		const renewed = await preAuth(
			discoverData({ accessToken: first.accessToken, domains: first.domains }),
		);
		expect(renewed.accessToken).not.toBe(first.accessToken);
		expect(emu.requestsOf('sentinel')).toHaveLength(1);
		const other = await preAuth(discoverData({ clientSecret: 'another-secret' })).catch((e) => e);
		expect(other.message).toMatch(/client/i);
		expect(emu.requestsOf('sentinel')).toHaveLength(2);
	});

	test('manual hosts skip the Domain API entirely', async () => {
		await emu.setServiceDown('csds', true);
		const output = await preAuth({
			...discoverData({ domainApiUrl: 'https://127.0.0.1:9' }),
			hostMode: 'manual',
			sentinelHost: emu.hosts.sentinel,
			gatewayHost: emu.hosts.faasGW,
		});
		expect(output.accessToken).toEqual(expect.any(String));
		expect(emu.requestsOf('csds')).toHaveLength(0);
		expect(emu.requestsOf('sentinel')).toHaveLength(1);
	});

	test('manual hosts are validated too', async () => {
		const error = await preAuth({
			...discoverData(),
			hostMode: 'manual',
			sentinelHost: `https://${emu.hosts.sentinel}`,
			gatewayHost: emu.hosts.faasGW,
		}).catch((e) => e);
		expect(error.message).toMatch(/not a bare host name/);
		expect(emu.requestsOf('sentinel')).toHaveLength(0);
	});

	test('manual hosts left empty are named as the fields to fill in, not blamed on the Domain API', async () => {
		const error = await preAuth({
			...discoverData(),
			hostMode: 'manual',
			sentinelHost: emu.hosts.sentinel,
		}).catch((e) => e);
		expect(error.message).toMatch(/^The credential is missing: Functions Gateway Host\./);
		expect(error.message).not.toMatch(/Domain API/);
		expect(emu.requests).toHaveLength(0);
	});
});

describe("the credential test's messages name the failing step", () => {
	test('good credentials', async () => {
		expect(await credentialTestMessage(discoverData())).toBe('Connection successful!');
	});

	test('Domain API unreachable', async () => {
		await emu.setServiceDown('csds', true);
		const message = await credentialTestMessage(discoverData());
		expect(message).toContain(
			`Could not connect to the LivePerson Domain API at ${emu.urls.csds} (connection refused)`,
		);
	});

	test('unknown account', async () => {
		const message = await credentialTestMessage(discoverData({ accountId: '999' }));
		expect(message).toContain('The LivePerson Domain API does not know account "999"');
		expect(message).toContain('Check the Account ID');
	});

	test('wrong client secret', async () => {
		const message = await credentialTestMessage(discoverData({ clientSecret: 'wrong-secret' }));
		expect(message).toContain(
			"LivePerson's authorization server rejected the Client ID or Client Secret",
		);
		expect(message).not.toContain('wrong-secret');
	});

	test('wrong client id', async () => {
		const message = await credentialTestMessage(discoverData({ clientId: 'nobody' }));
		expect(message).toContain('rejected the Client ID or Client Secret');
	});

	test('Sentinel unreachable', async () => {
		await emu.setServiceDown('sentinel', true);
		const message = await credentialTestMessage(discoverData());
		expect(message).toContain(
			`Could not connect to LivePerson's authorization server (Sentinel) at https://${emu.hosts.sentinel} (connection refused)`,
		);
	});

	test('missing fields', async () => {
		const message = await credentialTestMessage(discoverData({ clientSecret: '' }));
		expect(message).toContain('The credential is missing: Client Secret');
	});
});

describe('authenticate', () => {
	test("sends the token only to the credential's own Functions hosts", async () => {
		const output = await preAuth(discoverData());
		const data = { ...discoverData(), ...output };
		const toGateway = await credential.authenticate(data, {
			url: `https://${emu.hosts.faasGW}/api/x`,
		});
		expect(toGateway.headers.Authorization).toBe(`Bearer ${output.accessToken}`);
		const toUi = await credential.authenticate(data, { url: `https://${emu.hosts.faasUI}/api/x` });
		expect(toUi.headers.Authorization).toBe(`Bearer ${output.accessToken}`);
		for (const url of [
			`${emu.urls.csds}/api/x`,
			`https://${emu.hosts.sentinel}/x`,
			'https://evil.example.com/',
		]) {
			const other = await credential.authenticate(data, { url });
			expect(other.headers?.Authorization).toBeUndefined();
		}
	});

	test("n8n's HTTP Request node gives the address as `uri`: the same hosts get the token, others none", async () => {
		const output = await preAuth(discoverData());
		const data = { ...discoverData(), ...output };
		const toGateway = await credential.authenticate(data, {
			uri: `https://${emu.hosts.faasGW}/api/x`,
		});
		expect(toGateway.headers.Authorization).toBe(`Bearer ${output.accessToken}`);
		for (const uri of [`${emu.urls.csds}/api/x`, 'https://evil.example.com/', 'not a url', 42]) {
			const other = await credential.authenticate(data, { uri });
			expect(other.headers?.Authorization).toBeUndefined();
		}
	});
});

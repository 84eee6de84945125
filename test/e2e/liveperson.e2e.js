'use strict';

/**
 * The package inside real n8n: each fixture in workflows/ runs with `n8n execute` and its node outputs
 * are compared with workflows/<name>.expected.json; the emulator's request log shows what was sent.
 */
const fs = require('fs');
const path = require('path');
const { startSuite, CREDENTIAL } = require('./n8n');
const { appCredential } = require('../../tools/emulator/credentials');
const { formatResult, freePort, manualTrigger } = require('../../tools/n8n/harness');
const { UUIDS } = require('./functions');
const { BATCH_UUIDS } = require('../../tools/emulator/batchExamples');
const { leakedSecrets } = require('../helpers/secrets');

let suite;
const outputsSeen = [];

beforeAll(async () => {
	suite = await startSuite();
});
afterAll(async () => {
	if (!suite) return;
	// Every output, log line and message n8n printed in this suite: no client secret, no access token.
	expect(leakedSecrets(suite.emu, outputsSeen)).toEqual([]);
	await suite.stop();
});

async function run(name) {
	const result = await suite.execute(name);
	outputsSeen.push(result.stdout, result.stderr, result.runData);
	return result;
}

const invokes = () =>
	suite.emu.requestsOf('faasGW').filter((request) => request.path.endsWith('/invoke'));
const tokenRequests = () =>
	suite.emu.requestsOf('sentinel').filter((request) => request.path.endsWith('/app/token'));

/** Compares every node named in the expected file, output by output, item by item. */
function expectFixture(result, name) {
	const expected = suite.expected(name);
	for (const [node, outputs] of Object.entries(expected)) {
		const actual = suite.outputs(result, node);
		expect({ node, outputs: actual.slice(0, outputs.length) }).toMatchObject({ node, outputs });
	}
}

describe('1. payload modes, headers and userId, V1 and V2, outputs paired and in order', () => {
	test('V1: whole item, chosen fields and JSON', async () => {
		suite.emu.clearLog();
		const result = await run('payload-modes');
		expectFixture(result, 'payload-modes');
		for (const node of ['Whole item', 'Fields', 'JSON']) {
			expect(suite.items(result, node).map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
			]);
		}
		expect(invokes()).toHaveLength(9);
		expect(
			invokes().every(
				(request) =>
					request.query.v === '1' &&
					request.path === `/api/account/${suite.emu.accountId}/lambdas/${UUIDS.echo}/invoke`,
			),
		).toBe(true);
	});

	test('V2 picked by the node itself from the discovered gateway host: no v, no userId, skillId and LP-EventSource', async () => {
		// A V2 account: the Domain API hands out fninvocations.localhost:<port> (n8n resolves it through the harness's
		// --require of tools/emulator/localhost-names.js), and the node's Platform option is left on Auto.
		suite.emu.setPlatform('v2');
		await suite.resetCredential(); // no stored hosts: the node discovers them
		suite.emu.clearLog();
		try {
			const result = await run('payload-v2');
			expectFixture(result, 'payload-v2');
			expect(suite.emu.requestsOf('csds')).toHaveLength(1);
			expect(invokes().map((request) => [request.headers.host, request.query])).toEqual([
				[suite.emu.baseUri('faasGW'), { skillId: '42' }],
				[suite.emu.baseUri('faasGW'), { skillId: '42' }],
			]);
			expect(suite.emu.baseUri('faasGW')).toMatch(/^fninvocations\.localhost:\d+$/);
		} finally {
			suite.emu.setPlatform('v1');
			await suite.resetCredential();
		}
	});
});

test('0. the packed tarball is gone once installed: a test run leaves nothing in the temp folder', () => {
	expect(require('fs').existsSync(require('path').dirname(suite.tarball))).toBe(false);
});

test('0. no import file is left in the user folder: the imported credential (client secret in plain text) was only there during its import', () => {
	const left = fs
		.readdirSync(suite.instance.userFolder)
		.filter((file) => file.startsWith('import-'));
	expect(left).toEqual([]);
});

test("2. a function failure goes to the wired error output with LivePerson's code and message; the others to the main output", async () => {
	const result = await run('error-output');
	expectFixture(result, 'error-output');
	const [main, failed] = suite.items(result, 'Order total', 0).length
		? [suite.items(result, 'Order total', 0), suite.items(result, 'Order total', 1)]
		: [];
	expect(main.map((item) => item.pairedItem.item)).toEqual([0, 2, 3]);
	expect(failed.map((item) => item.pairedItem.item)).toEqual([1]);
});

test('3. token lifecycle across executions: one token, then none, then exactly one renewal after revocation', async () => {
	await suite.resetCredential();
	suite.emu.clearLog();
	await run('token');
	expect({ csds: suite.emu.requestsOf('csds').length, token: tokenRequests().length }).toEqual({
		csds: 1,
		token: 1,
	});

	suite.emu.clearLog();
	await run('token');
	expect({ csds: suite.emu.requestsOf('csds').length, token: tokenRequests().length }).toEqual({
		csds: 0,
		token: 0,
	});

	suite.emu.revokeTokens();
	suite.emu.clearLog();
	const renewed = await run('token');
	expect(suite.outputs(renewed, 'Ping')[0][0].payload).toEqual({ ping: true });
	expect(tokenRequests()).toHaveLength(1);
	expect(invokes().map((request) => request.status)).toEqual([401, 200]);

	suite.emu.clearLog();
	await run('token');
	expect({ csds: suite.emu.requestsOf('csds').length, token: tokenRequests().length }).toEqual({
		csds: 0,
		token: 0,
	});
});

test('4. 100 items, concurrency 5, a 50 ms function: one token, 100 invokes, never more than 5 in flight, order kept', async () => {
	await suite.resetCredential();
	suite.emu.clearLog();
	suite.emu.resetCounters();
	const result = await run('hundred');
	const outputs = suite.outputs(result, 'Slow function')[0];
	expect(outputs.map((json) => json.n)).toEqual(Array.from({ length: 100 }, (_, n) => n));
	expect(tokenRequests()).toHaveLength(1);
	expect(invokes()).toHaveLength(100);
	expect(suite.emu.runCount(UUIDS.slow)).toBe(100);
	expect(suite.emu.maxInFlight(UUIDS.slow)).toBeLessThanOrEqual(5);
	expect(suite.emu.maxInFlight(UUIDS.slow)).toBeGreaterThanOrEqual(2);
});

test('7. Batching: the example workflow runs the README function in batches of 5; one item per input, in order; the item without a name on the error output', async () => {
	const example = JSON.parse(
		fs.readFileSync(path.join(__dirname, '../../examples/greet-customers-in-batches.json'), 'utf8'),
	);
	for (const node of example.nodes.filter((n) => n.credentials)) {
		node.credentials = { livePersonFunctionsApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
	}
	suite.emu.clearLog();
	await suite.instance.importWorkflow(example);
	const result = await suite.instance.execute(example.id);
	outputsSeen.push(result.stdout, result.stderr, result.runData);
	expect(result.ok).toBe(true);
	const customers = suite.items(result, 'One item per customer').map((item) => item.json);
	const greeted = suite.items(result, 'Greet in batches', 0);
	const failed = suite.items(result, 'Greet in batches', 1);
	expect(customers).toHaveLength(12);
	expect(greeted.map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11]);
	for (const item of greeted) {
		const input = customers[item.pairedItem.item];
		expect(item.json).toEqual({ ...input, reply: { greeting: `Hello, ${input.name}!` } });
	}
	expect(failed.map((item) => item.pairedItem.item)).toEqual([7]);
	expect(failed[0].json.error).toMatchObject({
		message: 'payload.name is missing',
		kind: 'function-failure',
		itemIndex: 7,
	});
	expect(suite.items(result, 'Needs a name')).toHaveLength(1);
	// Up to 5 calls at a time (the default Concurrency): they may arrive in any order.
	expect(
		invokes()
			.map((request) => request.body.payload.items.map((payload) => payload.name || null))
			.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
	).toEqual([
		['Ada', 'Grace', 'Linus', 'Margaret', 'Alan'],
		['Barbara', 'Dennis', null, 'Frances', 'Ken'],
		['Radia', 'Tim'],
	]);
	expect(
		invokes().every((request) =>
			request.body.headers.some((h) => h.key === 'X-N8N-Batch' && h.value === '1'),
		),
	).toBe(true);
	expect(suite.emu.runCount(BATCH_UUIDS.batchAwareV1)).toBe(3);
});

test('8. n8n\'s HTTP Request node with this credential ("Custom API Call"): the token goes to the account\'s Functions gateway, never to another host', async () => {
	const { emu } = suite;
	const credentials = { livePersonFunctionsApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
	const httpNode = (name, url, x) => ({
		id: name,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [x, 0],
		parameters: {
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'livePersonFunctionsApi',
			options: {},
		},
		credentials,
	});
	const gatewayUrl = `${emu.urls.faasGW}/api/account/${emu.accountId}/events/conversational_command/isImplemented`;
	// Another host: the Domain API's listener (its own port), which answers any client without a token.
	const otherUrl = `${emu.urls.csds}/api/account/${emu.accountId}/service/baseURI.json?version=1.0&from=http-request-node`;
	const workflow = {
		id: 'e2eHttpRequestCred',
		name: 'e2e: HTTP Request node with the credential',
		nodes: [
			manualTrigger(),
			httpNode('Gateway', gatewayUrl, 200),
			httpNode('Other host', otherUrl, 400),
		],
		connections: {
			Start: { main: [[{ node: 'Gateway', type: 'main', index: 0 }]] },
			Gateway: { main: [[{ node: 'Other host', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	emu.clearLog();
	await suite.instance.importWorkflow(workflow);
	const result = await suite.instance.execute(workflow.id);
	outputsSeen.push(result.stdout, result.stderr, result.runData);
	expect({ ok: result.ok, said: result.ok ? '' : formatResult(result) }).toEqual({
		ok: true,
		said: '',
	});
	const [gatewayCall] = emu.requestsOf('faasGW').filter((r) => r.path.endsWith('/isImplemented'));
	expect(gatewayCall.headers.authorization).toMatch(/^Bearer ey/);
	const otherCalls = emu.requestsOf('csds').filter((r) => r.query.from === 'http-request-node');
	expect(otherCalls).toHaveLength(1);
	expect(otherCalls[0].headers.authorization).toBeUndefined();
	expect(JSON.stringify(otherCalls[0].headers)).not.toContain(
		gatewayCall.headers.authorization.slice(7),
	);
});

describe('5 and 6. n8n started: its credential test, and the node as an AI-agent tool', () => {
	let server;
	let cookie;
	const browserId = 'e2e-browser';

	async function rest(method, route, body) {
		const response = await fetch(`${server.url}/rest${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': browserId,
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		outputsSeen.push(text);
		if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status} ${text}`);
		return { json: JSON.parse(text), response };
	}

	beforeAll(async () => {
		server = await suite.instance.start({ port: await freePort() });
		const { response } = await rest('POST', '/owner/setup', {
			email: 'owner@example.com',
			firstName: 'E2e',
			lastName: 'Owner',
			password: 'E2e-owner-password-1',
		});
		cookie = response.headers
			.getSetCookie()
			.map((entry) => entry.split(';')[0])
			.join('; ');
	});
	afterAll(async () => {
		await suite.instance.stop();
	});

	const credentialTest = async (data) =>
		(
			await rest('POST', '/credentials/test', {
				credentials: { id: CREDENTIAL.id, name: CREDENTIAL.name, type: CREDENTIAL.type, data },
			})
		).json.data;

	test("good credentials pass n8n's own credential test", async () => {
		expect(await credentialTest(appCredential(suite.emu))).toEqual(
			expect.objectContaining({ status: 'OK' }),
		);
	});

	test('a wrong secret fails it, naming the step and not the secret', async () => {
		const result = await credentialTest(
			appCredential(suite.emu, { clientSecret: 'Wrong-Secret-123' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(
			"LivePerson's authorization server rejected the Client ID or Client Secret",
		);
		expect(result.message).not.toContain('Wrong-Secret-123');
	});

	test('an unreachable Domain API fails it, naming the Domain API', async () => {
		const result = await credentialTest(
			appCredential(suite.emu, { domainApiUrl: 'https://127.0.0.1:9' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(
			'Could not connect to the LivePerson Domain API at https://127.0.0.1:9',
		);
	});

	test('the node and its tool variant are among the loaded node types', () => {
		const types = JSON.parse(
			fs.readFileSync(
				path.join(suite.instance.userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json'),
				'utf8',
			),
		);
		const names = types.map((type) => type.name);
		expect(names).toContain('n8n-nodes-liveperson-functions.livePersonFunction');
		expect(names).toContain('n8n-nodes-liveperson-functions.livePersonFunctionTool');
	});
});

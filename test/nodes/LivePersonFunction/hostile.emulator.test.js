'use strict';

/**
 * Hostile input and hostile networks, against the emulator through the fake of n8n's context:
 * field names and numbers from expressions, ids that are path steps, redirects, untrusted
 * certificates, answers after the function ran, edited credentials, a refused OAuth2 renewal.
 * Every output, error and log line of this file is scanned for the client secret and tokens.
 */
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const { NodeApiError, NodeOperationError } = require('n8n-workflow');
const { startEmulator } = require('../../../tools/emulator');
const { appCredential, userCredential } = require('../../../tools/emulator/credentials');
const { LivePersonFunction } = require('../../../nodes/LivePersonFunction/LivePersonFunction.node');
const https = require('https');
const {
	cleanEmulator,
	credentialStore,
	createContext,
	nodeRunner,
	leakedSecrets,
	makeHttpRequest,
} = require('../../helpers/n8nContext');
const { searchFunctions } = require('../../../nodes/LivePersonFunction/methods/listSearch');
const {
	LivePersonFunctionsApi,
} = require('../../../credentials/LivePersonFunctionsApi.credentials');
const { eachTestAsANewProcess } = require('../../helpers/freshProcess');
const { userTokens } = require('../../helpers/userTokens');

const ECHO = '11111111-1111-4111-8111-111111111111';
const SLOW = '66666666-6666-4666-8666-666666666666';
const FAIL = '55555555-5555-4555-8555-555555555555';
const SECOND_CLIENT = {
	clientId: 'second-client',
	clientSecret: 'Second-Client-Secret-Value-0002',
};

eachTestAsANewProcess();

const node = new LivePersonFunction();
let emu;
const seen = [];

beforeAll(async () => {
	emu = await startEmulator({
		clients: [
			{ clientId: 'n8n-test-client', clientSecret: 's3cr3t-Client-Secret-Value-0001' },
			SECOND_CLIENT,
		],
		functions: [
			{
				uuid: ECHO,
				name: 'echo',
				eventId: 'conversational_command',
				handler: async (input) => ({ payload: input.payload }),
			},
			{ uuid: SLOW, name: 'slow', latencyMs: 1500, handler: async () => 'slow' },
			{
				uuid: FAIL,
				name: 'fail',
				handler: async () => {
					throw new Error('order not found');
				},
			},
		],
	});
});

afterAll(async () => {
	await emu.stop();
	expect(leakedSecrets(emu, seen)).toEqual([]);
	expect(JSON.stringify(seen)).not.toContain(SECOND_CLIENT.clientSecret);
});

let store;
beforeEach(() => {
	store = credentialStore(appCredential(emu));
	cleanEmulator(emu);
});

const fn = (uuid) => ({ mode: 'id', value: uuid });
const run = nodeRunner(node, seen, () => ({ emu, store }));
const invokes = () => emu.requestsOf('faasGW').filter((r) => r.path.endsWith('/invoke'));
const tokenRequests = () => emu.requestsOf('sentinel').filter((r) => r.path.endsWith('/app/token'));

describe('1. field names cannot reach an object prototype', () => {
	afterEach(() => {
		expect(Object.prototype.polluted).toBeUndefined();
		expect({}.proxy).toBeUndefined();
	});

	test.each([
		['__proto__.polluted'],
		['constructor.prototype.polluted'],
		['a.__proto__.proxy'],
		['__proto__'],
		['prototype'],
	])(
		'Chosen Fields name %s: an error naming the item and the field; nothing sent',
		async (name) => {
			const output = await run({
				parameters: {
					functionId: fn(ECHO),
					payloadMode: 'fields',
					payloadFields: {
						field: [
							{ name: 'ok', value: 1 },
							{ name, value: 'http://attacker.example' },
						],
					},
				},
				items: [{ json: {} }, { json: {} }],
			});
			expect(output.map((o) => o.json.error?.message)).toEqual([
				expect.stringMatching(
					/^Item 0, field "Payload Fields": Payload field 2 has a name with "(__proto__|constructor|prototype)"/,
				),
				expect.stringMatching(/^Item 1, field "Payload Fields"/),
			]);
			expect(invokes()).toHaveLength(0);
		},
	);

	test('a Result Field Name of __proto__ is refused', async () => {
		const output = await run({
			parameters: {
				functionId: fn(ECHO),
				options: { output: 'addToInput', resultField: '__proto__' },
			},
		});
		expect(output[0].json.error).toMatchObject({
			kind: 'invalid-input',
			field: 'Result Field Name',
		});
		expect(invokes()).toHaveLength(0);
	});
});

describe('3. redirects are never followed, and carry nothing away', () => {
	test('a gateway 307 to another host is an error of the step invoke; the token and payload stay home', async () => {
		const elsewhere = `${emu.urls.csds}/steal`;
		emu.fault({
			service: 'faasGW',
			match: { uuid: ECHO },
			action: { type: 'status', status: 307, headers: { Location: elsewhere } },
		});
		const output = await run({
			parameters: { functionId: fn(ECHO) },
			items: [{ json: { secret: 'payload' } }],
		});
		expect(output[0].json.error).toMatchObject({
			kind: 'redirect',
			step: 'invoke',
			httpStatus: 307,
			attempts: 1,
			mayHaveRun: false,
		});
		expect(output[0].json.error.message).toContain(
			`redirect (HTTP 307) to ${new URL(emu.urls.csds).origin}`,
		);
		expect(emu.requestsOf('csds').filter((r) => r.path.includes('steal'))).toEqual([]);
		expect(emu.requests.filter((r) => r.service !== 'faasGW' && r.headers.authorization)).toEqual(
			[],
		);
	});

	test('a Sentinel 308 is an error of the step token; the client secret is posted nowhere else', async () => {
		emu.fault({
			service: 'sentinel',
			match: { pathIncludes: '/app/token' },
			action: { type: 'status', status: 308, headers: { Location: `${emu.urls.csds}/collect` } },
		});
		const output = await run({ parameters: { functionId: fn(ECHO) } });
		expect(output[0].json.error).toMatchObject({ kind: 'redirect', step: 'token' });
		expect(emu.requestsOf('csds').filter((r) => r.method === 'POST')).toEqual([]);
		expect(invokes()).toHaveLength(0);
	});
});

describe('5. numbers from expressions are bounded or refused', () => {
	test.each([
		['Timeout -1', { timeout: -1 }],
		['Timeout 0', { timeout: 0 }],
	])(
		'%s is clamped to the 1 s minimum: a 1.5 s function times out (it would hang or never time out before)',
		async (_, options) => {
			const output = await run({ parameters: { functionId: fn(SLOW), options } });
			expect(output[0].json.error).toMatchObject({
				kind: 'timeout',
				mayHaveRun: true,
				attempts: 1,
			});
		},
	);

	test('Timeout above 2^31 - 1 ms is clamped to 300 s: no false timeout', async () => {
		const output = await run({
			parameters: { functionId: fn(SLOW), options: { timeout: 2 ** 31 + 5 } },
		});
		expect(output[0].json).toEqual({ result: 'slow' });
	});

	test.each([
		['Timeout (Ms)', { timeout: 'soon' }],
		['Timeout (Ms)', { timeout: Number.NaN }],
		['Max Attempts', { maxAttempts: Number.POSITIVE_INFINITY }],
	])(
		'%s that is not a finite number: an error naming the item and the field',
		async (field, options) => {
			const output = await run({ parameters: { functionId: fn(ECHO), options } });
			expect(output[0].json.error).toMatchObject({ kind: 'invalid-input', field, itemIndex: 0 });
			expect(output[0].json.error.message).toMatch(
				new RegExp(`^Item 0, field "${field.replace(/[()]/g, '\\$&')}": .* is not a number`),
			);
			expect(invokes()).toHaveLength(0);
		},
	);

	test('Max Attempts 1e6 makes at most 10 attempts; 0 makes one', async () => {
		emu.fault({ service: 'faasGW', action: { type: 'status', status: 429 } });
		const many = await run({ parameters: { functionId: fn(ECHO), options: { maxAttempts: 1e6 } } });
		expect(many[0].json.error.attempts).toBeLessThanOrEqual(10);
		emu.clearLog();
		const none = await run({ parameters: { functionId: fn(ECHO), options: { maxAttempts: 0 } } });
		expect(none[0].json.error.attempts).toBe(1);
		expect(invokes()).toHaveLength(1);
	});

	test('Concurrency 1e9 runs at most 50 at once; Concurrency "many" stops the node naming the field', async () => {
		const items = Array.from({ length: 60 }, (_, n) => ({ json: { n } }));
		// A 1.5 s function, so that every call the node starts is in flight at once: 60 without the bound.
		const output = await run({
			parameters: { functionId: fn(SLOW), options: { concurrency: 1e9, timeout: 10000 } },
			items,
		});
		expect(output.map((o) => o.json)).toEqual(items.map(() => ({ result: 'slow' })));
		expect(emu.gatewayMaxInFlight).toBe(50);
		const error = await run({
			parameters: { functionId: fn(ECHO), options: { concurrency: 'many' } },
			continueOnFail: false,
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Item 0, field "Concurrency": "many" is not a number');
	});
});

describe('6. ids that are path steps', () => {
	test.each(['.', '..', '...'])(
		'event ID %s is refused before anything is sent',
		async (eventId) => {
			const output = await run({
				parameters: {
					resource: 'event',
					operation: 'invoke',
					eventId: 'custom',
					customEventId: eventId,
				},
			});
			expect(output[0].json.error).toMatchObject({ kind: 'invalid-input', field: 'Event ID' });
			expect(emu.requestsOf('faasGW')).toHaveLength(0);
		},
	);

	test('an account ID of .. is refused by the credential, nothing sent', async () => {
		store = credentialStore(appCredential(emu, { accountId: '..' }));
		const output = await run({ parameters: { functionId: fn(ECHO) } });
		expect(output[0].json.error).toMatchObject({ kind: 'configuration', step: 'discovery' });
		expect(output[0].json.error.message).toBe(
			'The Account ID of the credential is not an account ID',
		);
		expect(emu.requests).toHaveLength(0);
	});
});

describe('7. host forms that name the same host get the token', () => {
	test.each([
		['upper case', (h) => h.replace('127.0.0.1', 'LocalHost')],
		['IPv4 as one number', (h) => h.replace('127.0.0.1', '2130706433')],
		['IPv4 in hex', (h) => h.replace('127.0.0.1', '0x7f000001')],
	])('manual gateway host in %s: one token, every call authorized', async (_, form) => {
		store = credentialStore(
			appCredential(emu, {
				hostMode: 'manual',
				sentinelHost: emu.hosts.sentinel,
				gatewayHost: form(emu.hosts.faasGW),
			}),
		);
		const output = await run({
			parameters: { functionId: fn(ECHO) },
			items: [{ json: { a: 1 } }, { json: { a: 2 } }],
		});
		expect(output.map((o) => o.json)).toEqual([{ payload: { a: 1 } }, { payload: { a: 2 } }]);
		expect(invokes().map((r) => r.status)).toEqual([200, 200]);
		expect(tokenRequests()).toHaveLength(1);
	});
});

describe('8. stored hosts and tokens follow the credential as edited', () => {
	test('switching Manual to Discover asks the Domain API instead of reusing the manual hosts', async () => {
		store = credentialStore(
			appCredential(emu, {
				hostMode: 'manual',
				sentinelHost: emu.hosts.sentinel,
				gatewayHost: emu.hosts.faasGW,
			}),
		);
		await run({ parameters: { functionId: fn(ECHO) } });
		expect(emu.requestsOf('csds')).toHaveLength(0);
		store.data = { ...store.data, hostMode: 'discover' };
		emu.clearLog();
		await run({ parameters: { functionId: fn(ECHO) } });
		expect(emu.requestsOf('csds')).toHaveLength(1);
	});

	test('after a change of client, the stored token is not used: a new one is requested first', async () => {
		await run({ parameters: { functionId: fn(ECHO) } });
		expect(tokenRequests()).toHaveLength(1);
		store.data = { ...store.data, ...SECOND_CLIENT };
		emu.clearLog();
		const output = await run({ parameters: { functionId: fn(ECHO) } });
		expect(output[0].json).toEqual({ payload: {} });
		expect(tokenRequests().map((r) => r.body.client_id)).toEqual([SECOND_CLIENT.clientId]);
		expect(invokes().map((r) => r.status)).toEqual([200]);
	});
});

describe('9. trust and URL problems say so, and are not retried', () => {
	test('an untrusted certificate: "not sent", what to check, one attempt', async () => {
		const output = await run({ parameters: { functionId: fn(ECHO) }, untrusted: true });
		const { error } = output[0].json;
		expect(error).toMatchObject({ kind: 'configuration', step: 'discovery', mayHaveRun: false });
		expect(error.message).toMatch(
			/^Could not connect securely to the LivePerson Domain API at .*: its certificate/,
		);
		// Through the credential's preAuthentication the advice is part of the message (n8n's credential test shows only that).
		const said = `${error.message} ${error.description ?? ''}`;
		expect(said).toContain('NODE_EXTRA_CA_CERTS');
		expect(said).toContain('Nothing was sent');
	});
});

describe('10. an answer after the function ran is never repeated by default', () => {
	test('a bare 503 after the run: not retried, mayHaveRun, ran once', async () => {
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'status-after', status: 503 } });
		const output = await run({ parameters: { functionId: fn(ECHO) } });
		expect(output[0].json.error).toMatchObject({
			kind: 'unavailable',
			httpStatus: 503,
			mayHaveRun: true,
			attempts: 1,
		});
		expect(emu.runCount(ECHO)).toBe(1);
	});

	test('a 503 with Retry-After is LivePerson asking to come back: retried', async () => {
		emu.fault({
			service: 'faasGW',
			times: 1,
			action: { type: 'status', status: 503, headers: { 'Retry-After': '1' } },
		});
		const output = await run({ parameters: { functionId: fn(ECHO) } });
		expect(output[0].json).toEqual({ payload: {} });
		expect(invokes()).toHaveLength(2);
	});
});

describe('12. a refused OAuth2 renewal asks to reconnect, once, without retries', () => {
	test.each([
		['Invoke', { resource: 'function', operation: 'invoke', functionId: fn(ECHO) }],
		[
			'Is Implemented',
			{ resource: 'event', operation: 'isImplemented', eventId: 'conversational_command' },
		],
		['Get Many', { resource: 'function', operation: 'getMany', returnAll: true }],
	])('%s', async (_, parameters) => {
		const oauth2Store = {
			data: userCredential(emu, { userId: '', oauthTokenData: await userTokens(emu) }),
		};
		emu.revokeTokens();
		emu.revokeRefreshTokens();
		emu.clearLog();
		const output = await run({
			parameters: { authentication: 'oAuth2', ...parameters },
			oauth2Store,
		});
		expect(output[0].json.error).toMatchObject({
			kind: 'auth',
			step: 'token',
			mayHaveRun: false,
			attempts: 1,
		});
		expect(output[0].json.error.message).toContain('the credential must be connected again');
		const refreshes = emu
			.requestsOf('sentinel')
			.filter((r) => r.body?.grant_type === 'refresh_token');
		expect(refreshes).toHaveLength(1);
	});
});

describe('13. a function that threw ran', () => {
	test('its error item says mayHaveRun: true, and it is not repeated even with the opt-in', async () => {
		const output = await run({
			parameters: { functionId: fn(FAIL), options: { retryWhenMayHaveRun: true } },
		});
		expect(output[0].json.error).toMatchObject({
			kind: 'function-failure',
			mayHaveRun: true,
			attempts: 1,
		});
		expect(emu.runCount(FAIL)).toBe(1);
	});
});

describe('cancelling the execution', () => {
	test('what is in flight is aborted and no item starts after it: nothing more reaches the gateway', async () => {
		const cancel = new AbortController();
		const items = Array.from({ length: 10 }, (_, n) => ({ json: { n } }));
		const watcher = setInterval(() => {
			if (emu.requestsOf('faasGW').length >= 3) cancel.abort();
		}, 5);
		try {
			const output = await run({
				parameters: { functionId: fn(SLOW), options: { concurrency: 1, timeout: 10000 } },
				items,
				cancelSignal: cancel.signal,
			});
			expect(output).toHaveLength(10);
			const kinds = output.map((o) => o.json.error?.kind ?? 'ok');
			expect(kinds.slice(3).every((kind) => kind === 'cancelled')).toBe(true);
			expect(kinds.filter((kind) => kind === 'cancelled').length).toBeGreaterThanOrEqual(6);
		} finally {
			clearInterval(watcher);
		}
		expect(invokes().length).toBeLessThanOrEqual(4);
	});
});

describe('the function picker and the credential test under the same faults', () => {
	test('a redirecting Functions UI: the picker fails naming the step, nothing followed, no secret in the error', async () => {
		emu.fault({
			service: 'faasUI',
			action: { type: 'status', status: 302, headers: { Location: `${emu.urls.csds}/x` } },
		});
		const { context, close } = createContext({ emu, store, parameters: {} });
		try {
			const error = await searchFunctions.call(context, '').catch((e) => e);
			seen.push(error);
			expect(error).toMatchObject({ kind: 'redirect', step: 'listing' });
			expect(leakedSecrets(emu, [error])).toEqual([]);
			expect(emu.requestsOf('csds').filter((r) => r.path === '/x')).toEqual([]);
		} finally {
			close();
		}
	});

	test.each([
		[
			'a redirecting Sentinel',
			() =>
				emu.fault({
					service: 'sentinel',
					action: { type: 'status', status: 307, headers: { Location: `${emu.urls.csds}/y` } },
				}),
			/redirect \(HTTP 307\)/,
		],
		[
			'an http:// Domain API URL',
			() => (store.data.domainApiUrl = emu.urls.csds.replace('https:', 'http:')),
			/must start with https:\/\//,
		],
		[
			'a Domain API URL with a password',
			() => (store.data.domainApiUrl = emu.urls.csds.replace('https://', 'https://me:hunter22@')),
			/user name or password/,
		],
	])(
		'credential test with %s: a message about the credential, no secret in it',
		async (_, arrange, expected) => {
			arrange();
			const helpers = {
				helpers: { httpRequest: makeHttpRequest(new https.Agent({ ca: emu.caPem })) },
			};
			const error = await new LivePersonFunctionsApi().preAuthentication
				.call(helpers, { ...store.data })
				.catch((e) => e);
			seen.push(error);
			expect(error.message).toMatch(expected);
			expect(error.message).not.toMatch(/function may|Retry When|node/i);
			expect(error.message).not.toContain('hunter22');
			expect(leakedSecrets(emu, [error])).toEqual([]);
		},
	);
});

test('an error thrown without continue on fail carries no secret in its whole cause chain', async () => {
	emu.fault({
		service: 'faasGW',
		action: { type: 'status', status: 307, headers: { Location: 'https://elsewhere.example/' } },
	});
	const error = await run({ parameters: { functionId: fn(ECHO) }, continueOnFail: false }).catch(
		(e) => e,
	);
	expect(error).toBeInstanceOf(NodeApiError);
	expect(leakedSecrets(emu, [error])).toEqual([]);
});

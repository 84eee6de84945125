'use strict';

/**
 * The Invoke operation against the LivePerson emulator over real HTTPS, through a fake of n8n's
 * execution context that follows n8n-core's authentication path. Retry waits go through
 * n8n-workflow's `sleep`, replaced here by a recorder so no test waits for a backoff.
 */
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const { sleep, NodeApiError, NodeOperationError } = require('n8n-workflow');
const { startEmulator, raw } = require('../../../../../tools/emulator');
const { appCredential } = require('../../../../../tools/emulator/credentials');
const {
	LivePersonFunction,
} = require('../../../../../nodes/LivePersonFunction/LivePersonFunction.node');
const {
	cleanEmulator,
	credentialStore,
	leakedSecrets,
	executeNode,
} = require('../../../../helpers/n8nContext');
const { eachTestAsANewProcess, later } = require('../../../../helpers/freshProcess');

const ECHO = '11111111-1111-4111-8111-111111111111';
const SCALAR = '22222222-2222-4222-8222-222222222222';
const ARRAY = '33333333-3333-4333-8333-333333333333';
const EMPTY = '44444444-4444-4444-8444-444444444444';
const FAIL = '55555555-5555-4555-8555-555555555555';
const SLOW = '66666666-6666-4666-8666-666666666666';
const NONJSON = '77777777-7777-4777-8777-777777777777';
const DRAFT = '88888888-8888-4888-8888-888888888888';
const TEXT = '99999999-9999-4999-8999-999999999999';

eachTestAsANewProcess();

const node = new LivePersonFunction();
let emu;
const seen = [];

/** The emulator's options: the same account, on V1 (the default) or on V2 (`platform: 'v2'`). */
const emulatorOptions = (extra = {}) => ({
	functions: [
		{
			uuid: ECHO,
			name: 'echo',
			handler: async (input) => ({
				payload: input.payload,
				headers: input.headers,
				timestamp: input.timestamp,
			}),
		},
		{ uuid: SCALAR, name: 'scalar', handler: async () => 42 },
		{ uuid: ARRAY, name: 'array', handler: async () => [1, 'two'] },
		{ uuid: EMPTY, name: 'empty', handler: async () => undefined },
		{ uuid: TEXT, name: 'text', handler: async () => 'hello' },
		{
			uuid: FAIL,
			name: 'fail',
			handler: async (input) => {
				if (input.payload && input.payload.fail)
					throw new Error(`order ${input.payload.id} not found`);
				return { ok: input.payload.id };
			},
		},
		{
			uuid: SLOW,
			name: 'slow',
			latencyMs: 50,
			handler: async (input) => ({ n: input.payload.n }),
		},
		{
			uuid: NONJSON,
			name: 'nonjson',
			handler: async () => raw('<html>oops</html>', 'text/html'),
		},
		{ uuid: DRAFT, name: 'draft', state: 'Draft', handler: async () => 'never' },
	],
	...extra,
});

beforeAll(async () => {
	emu = await startEmulator(emulatorOptions());
});

afterAll(async () => {
	await emu.stop();
	// Every output, error and log line of this file: no client secret and no access token in any of them.
	expect(leakedSecrets(emu, seen)).toEqual([]);
});

let store;
beforeEach(() => {
	store = credentialStore(appCredential(emu));
	cleanEmulator(emu);
	sleep.mockClear();
});

/**
 * Runs `body` against a V2 account: another emulator (`platform: 'v2'`), whose Domain API hands out
 * the V2 host name fninvocations.localhost, and a fresh credential for it. Another emulator, not a
 * switch on this one: the node keeps an account's discovered hosts in memory within its process.
 */
async function onV2Account(body) {
	const v1 = { emu, store };
	emu = await startEmulator(emulatorOptions({ platform: 'v2' }));
	store = credentialStore(appCredential(emu));
	try {
		await body();
		expect(leakedSecrets(emu, seen)).toEqual([]);
	} finally {
		await emu.stop();
		({ emu, store } = v1);
	}
}

const fn = (uuid, mode = 'id') => ({ mode, value: uuid });

const run = ({ parameters, items = [{ json: {} }], continueOnFail = false }) =>
	executeNode(
		node,
		{
			emu,
			store,
			parameters: { resource: 'function', operation: 'invoke', ...parameters },
			items,
			continueOnFail,
		},
		seen,
	);

const invokes = () => emu.requestsOf('faasGW').filter((r) => r.path.endsWith('/invoke'));

describe('payload, headers and request shape', () => {
	test('whole input item (default), V1: v=1 and userId, headers as key/value, one output per item, paired, in order', async () => {
		const items = [{ json: { name: 'Ada' } }, { json: { name: 'Bob', tags: [1] } }];
		const before = Date.now();
		const output = await run({
			parameters: {
				functionId: fn(ECHO),
				headers: { header: [{ name: 'x-source', value: 'n8n' }] },
				options: { userId: 'bot-7', skillId: '12' },
			},
			items,
		});
		expect(output.map((o) => o.json.payload)).toEqual([
			{ name: 'Ada' },
			{ name: 'Bob', tags: [1] },
		]);
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json.headers).toEqual([{ key: 'x-source', value: 'n8n' }]);
		expect(output[0].json.timestamp).toBeGreaterThanOrEqual(before);

		const [first] = invokes();
		expect(first.method).toBe('POST');
		expect(first.path).toBe(`/api/account/${emu.accountId}/lambdas/${ECHO}/invoke`);
		expect(first.query).toEqual({ v: '1', userId: 'bot-7', skillId: '12' });
		expect(first.headers['content-type']).toMatch(/^application\/json/);
		expect(first.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
		expect(first.headers['lp-eventsource']).toBeUndefined();
		expect(first.headers.authorization).toMatch(/^Bearer /);
		expect(invokes()[1].headers['x-request-id']).not.toBe(first.headers['x-request-id']);
	});

	test('chosen fields: dotted names build nested objects, values from expressions keep their type', async () => {
		const output = await run({
			parameters: {
				functionId: fn(ECHO),
				payloadMode: 'fields',
				payloadFields: {
					field: (i, item) => [
						{ name: 'customer.name', value: item.json.name },
						{ name: 'customer.vip', value: true },
						{ name: 'total', value: 12.5 },
					],
				},
			},
			items: [{ json: { name: 'Ada', other: 'x' } }],
		});
		expect(output[0].json.payload).toEqual({ customer: { name: 'Ada', vip: true }, total: 12.5 });
	});

	test('JSON: text is parsed; an expression that gives an object is sent as is', async () => {
		const text = await run({
			parameters: {
				functionId: fn(ECHO),
				payloadMode: 'json',
				payloadJson: '{"a": [1, {"b": null}]}',
			},
		});
		expect(text[0].json.payload).toEqual({ a: [1, { b: null }] });
		const object = await run({
			parameters: {
				functionId: fn(ECHO),
				payloadMode: 'json',
				payloadJson: (i, item) => ({ id: item.json.id }),
			},
			items: [{ json: { id: 7 } }],
		});
		expect(object[0].json.payload).toEqual({ id: 7 });
	});

	test('V2 (picked by the node from the discovered gateway host): no v and no userId, LP-EventSource header, skillId only when given', async () => {
		await onV2Account(async () => {
			const [output] = await run({
				parameters: {
					functionId: fn(ECHO),
					options: { userId: 'bot-7', includeResponseDetails: true },
				},
			});
			await run({ parameters: { functionId: fn(ECHO), options: { skillId: '5' } } });
			const [plain, withSkill] = invokes();
			expect(plain.headers.host).toMatch(/^fninvocations\.localhost:\d+$/);
			expect(output.json.invocation.platform).toBe('v2');
			expect(plain.query).toEqual({});
			expect(plain.headers['lp-eventsource']).toBe('n8n');
			expect(withSkill.query).toEqual({ skillId: '5' });
		});
	});

	test('By URL extracts the UUID from a Functions UI address', async () => {
		const output = await run({
			parameters: { functionId: fn(`https://faas.example/#/lambdas/${ECHO}/invoke`, 'url') },
		});
		expect(output).toHaveLength(1);
		expect(invokes()[0].path).toContain(ECHO);
	});
});

describe('output options', () => {
	test.each([
		[ECHO, { payload: {}, headers: [] }],
		[SCALAR, { result: 42 }],
		[ARRAY, { result: [1, 'two'] }],
		[EMPTY, { result: null }],
		[TEXT, { result: 'hello' }],
	])('function result %s as the item', async (uuid, expected) => {
		const output = await run({ parameters: { functionId: fn(uuid) } });
		expect(output[0].json).toMatchObject(expected);
	});

	test('input item with the result added under a named field', async () => {
		const output = await run({
			parameters: {
				functionId: fn(SCALAR),
				options: { output: 'addToInput', resultField: 'answer' },
			},
			items: [{ json: { keep: 'me' } }],
		});
		expect(output[0].json).toEqual({ keep: 'me', answer: 42 });
	});

	test('scalars go under the chosen field name', async () => {
		const output = await run({
			parameters: { functionId: fn(SCALAR), options: { resultField: 'value' } },
		});
		expect(output[0].json).toEqual({ value: 42 });
	});

	test('response details: status, the request id sent, duration, attempts, platform', async () => {
		const output = await run({
			parameters: { functionId: fn(SCALAR), options: { includeResponseDetails: true } },
		});
		const { invocation } = output[0].json;
		expect(invocation).toMatchObject({
			statusCode: 200,
			attempts: 1,
			platform: 'v1',
			functionId: SCALAR,
		});
		expect(invocation.requestId).toBe(invokes()[0].headers['x-request-id']);
		expect(invocation.durationMs).toBeGreaterThanOrEqual(0);
	});
});

describe('errors', () => {
	const items = [{ json: { id: 1 } }, { json: { id: 2, fail: true } }, { json: { id: 3 } }];

	test("a function failure (901, V1) keeps the function's message, code and logs; without continue-on-fail the node throws with the item index", async () => {
		const error = await run({
			parameters: { functionId: fn(FAIL), options: { concurrency: 1 } },
			items,
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('order 2 not found');
		expect(error.description).toContain('com.liveperson.faas.handler.custom-failure');
		expect(error.context.itemIndex).toBe(1);
		expect(error.httpCode).toBe('901');
		// strictly sequential: the third item was never started after the failure
		expect(invokes()).toHaveLength(2);
	});

	test('with continue-on-fail the failed item carries the LivePerson error and the others go on', async () => {
		const output = await run({ parameters: { functionId: fn(FAIL) }, items, continueOnFail: true });
		expect(output.map((o) => o.pairedItem.item)).toEqual([0, 1, 2]);
		expect(output[0].json).toEqual({ ok: 1 });
		expect(output[2].json).toEqual({ ok: 3 });
		expect(output[1].json.error).toMatchObject({
			message: 'order 2 not found',
			kind: 'function-failure',
			httpStatus: 901,
			code: 'com.liveperson.faas.handler.custom-failure',
			errorMessage: 'order 2 not found',
			itemIndex: 1,
			functionId: FAIL,
			attempts: 1,
		});
		expect(Array.isArray(output[1].json.error.errorLogs)).toBe(true);
	});

	test('a function failure on V2 reads the V2 body', async () => {
		await onV2Account(async () => {
			const output = await run({
				parameters: { functionId: fn(FAIL) },
				items: [items[1]],
				continueOnFail: true,
			});
			expect(output[0].json.error).toMatchObject({
				kind: 'function-failure',
				code: 'com.customer.faas.function.threw-error',
				message: 'order 2 not found',
			});
		});
	});

	test.each([
		['not deployed (404)', DRAFT, undefined, 'not-found', /Function not found or not deployed/],
		[
			'unknown function (404)',
			'abcdefab-0000-4000-8000-000000000000',
			undefined,
			'not-found',
			/not found or not deployed/,
		],
		[
			'forbidden (403)',
			ECHO,
			{
				type: 'status',
				status: 403,
				body: {
					errorCode: 'com.liveperson.faas.forbidden',
					errorMsg: 'missing faas.lambda.invoke',
				},
			},
			'auth',
			/refused the access token \(HTTP 403\)/,
		],
		['payload too large (413)', ECHO, { type: 'status', status: 413 }, 'bad-request', /too large/],
		['platform error (500)', ECHO, { type: 'status', status: 500 }, 'platform', /HTTP 500/],
		['non-JSON 200', NONJSON, undefined, 'bad-answer', /not JSON/],
	])(
		'%s is reported as %s, with and without continue-on-fail',
		async (_, uuid, action, kind, message) => {
			if (action) emu.fault({ service: 'faasGW', action });
			const output = await run({ parameters: { functionId: fn(uuid) }, continueOnFail: true });
			expect(output[0].json.error.kind).toBe(kind);
			expect(output[0].json.error.message).toMatch(message);
			expect(output[0].json.error.description).toEqual(expect.any(String));
			const error = await run({ parameters: { functionId: fn(uuid) } }).catch((e) => e);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(message);
			expect(error.context.itemIndex).toBe(0);
		},
	);

	test('a non-JSON answer is not invoked again', async () => {
		await run({ parameters: { functionId: fn(NONJSON) }, continueOnFail: true });
		expect(emu.runCount(NONJSON)).toBe(1);
	});
});

describe('bad input names the item and the field', () => {
	test.each([
		[
			'a bad UUID',
			{ functionId: fn('not-a-uuid') },
			'Item 0, field "Function": "not-a-uuid" is not a function UUID',
		],
		['no function', { functionId: fn('') }, 'Item 0, field "Function": No function chosen'],
		[
			'a URL without UUID',
			{ functionId: fn('https://example.com/x', 'url') },
			'Item 0, field "Function": No function chosen',
		],
		[
			'bad JSON',
			{ functionId: fn(ECHO), payloadMode: 'json', payloadJson: '{"a": ' },
			'Item 0, field "Payload (JSON)": The Payload (JSON) is not valid JSON',
		],
		[
			'a field without name',
			{
				functionId: fn(ECHO),
				payloadMode: 'fields',
				payloadFields: { field: [{ name: '', value: 1 }] },
			},
			'Item 0, field "Payload Fields": Payload field 1 has no name',
		],
		[
			'a header without name',
			{ functionId: fn(ECHO), headers: { header: [{ name: ' ', value: 1 }] } },
			'Item 0, field "Headers": Header 1 has no name',
		],
	])('%s', async (_, parameters, message) => {
		const error = await run({ parameters }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
		expect(error.context.itemIndex).toBe(0);
		expect(invokes()).toHaveLength(0);
	});

	test('with continue-on-fail only the bad item fails', async () => {
		const output = await run({
			parameters: {
				functionId: fn(ECHO),
				payloadMode: 'json',
				payloadJson: (i, item) => item.json.text,
			},
			items: [
				{ json: { text: '{"ok":1}' } },
				{ json: { text: '{oops' } },
				{ json: { text: '[2]' } },
			],
			continueOnFail: true,
		});
		expect(output.map((o) => o.json.payload ?? o.json.error.field)).toEqual([
			{ ok: 1 },
			'Payload (JSON)',
			[2],
		]);
		expect(output[1].json.error.message).toMatch(/^Item 1, field "Payload \(JSON\)"/);
	});
});

describe('retries', () => {
	test('429 with Retry-After: waits at least that long, then succeeds; the function ran once', async () => {
		emu.fault({
			service: 'faasGW',
			times: 2,
			action: { type: 'status', status: 429, headers: { 'Retry-After': '2' } },
		});
		const output = await run({
			parameters: { functionId: fn(SCALAR), options: { includeResponseDetails: true } },
		});
		expect(output[0].json).toMatchObject({ result: 42, invocation: { attempts: 3 } });
		expect(sleep.mock.calls.map(([ms]) => ms >= 2000)).toEqual([true, true]);
		expect(emu.runCount(SCALAR)).toBe(1);
		expect(invokes()).toHaveLength(3);
	});

	test('429 without Retry-After and 503 with Retry-After: exponential backoff with jitter', async () => {
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'status', status: 429 } });
		emu.fault({
			service: 'faasGW',
			times: 1,
			action: { type: 'status', status: 503, headers: { 'Retry-After': '0' } },
		});
		const output = await run({ parameters: { functionId: fn(SCALAR) } });
		expect(output[0].json).toEqual({ result: 42 });
		const [first, second] = sleep.mock.calls.map(([ms]) => ms);
		expect(first).toBeGreaterThanOrEqual(250);
		expect(first).toBeLessThanOrEqual(500);
		expect(second).toBeGreaterThanOrEqual(500);
		expect(second).toBeLessThanOrEqual(1000);
	});

	test('gives up after Max Attempts with the throttling error and the attempts made', async () => {
		emu.fault({ service: 'faasGW', action: { type: 'status', status: 429 } });
		const output = await run({
			parameters: { functionId: fn(SCALAR), options: { maxAttempts: 3 } },
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatchObject({ kind: 'throttled', attempts: 3 });
		expect(invokes()).toHaveLength(3);
	});

	test('retries off: a 429 fails at once', async () => {
		emu.fault({ service: 'faasGW', action: { type: 'status', status: 429 } });
		const output = await run({
			parameters: { functionId: fn(SCALAR), options: { retry: false } },
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatchObject({ kind: 'throttled', attempts: 1 });
		expect(sleep).not.toHaveBeenCalled();
	});

	test('a refused connection (nothing sent) is retried', async () => {
		await emu.setServiceDown('faasGW', true);
		// warm the credential first so only the invoke meets the closed gateway
		store.data.domains = JSON.stringify({
			key: `${emu.accountId}|${emu.urls.csds}`,
			discoveredAt: Date.now(),
			hosts: { sentinel: emu.hosts.sentinel, faasGW: emu.hosts.faasGW, faasUI: emu.hosts.faasUI },
		});
		sleep.mockImplementationOnce(async () => emu.setServiceDown('faasGW', false));
		const output = await run({
			parameters: { functionId: fn(SCALAR), options: { includeResponseDetails: true } },
		});
		expect(output[0].json).toMatchObject({ result: 42, invocation: { attempts: 2 } });
		expect(emu.runCount(SCALAR)).toBe(1);
	});

	test.each([
		['504', { type: 'status', status: 504 }, 'platform'],
		['502', { type: 'status', status: 502 }, 'platform'],
		['a reset after the request was sent', { type: 'reset-after' }, 'transport'],
	])('%s is not repeated by default', async (_, action, kind) => {
		emu.fault({ service: 'faasGW', times: 1, action });
		const output = await run({ parameters: { functionId: fn(SCALAR) }, continueOnFail: true });
		expect(output[0].json.error).toMatchObject({ kind, mayHaveRun: true, attempts: 1 });
		expect(invokes()).toHaveLength(1);
		expect(emu.runCount(SCALAR)).toBeLessThanOrEqual(1);
	});

	test('a timeout is not repeated: the function ran exactly once', async () => {
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'hang' } });
		const output = await run({
			parameters: { functionId: fn(SCALAR), options: { timeout: 1000 } },
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatchObject({ kind: 'timeout', mayHaveRun: true, attempts: 1 });
		expect(emu.runCount(SCALAR)).toBe(1);
		expect(invokes()).toHaveLength(1);
	});

	test('with "Retry When the Function May Already Have Run" a timeout is repeated (the function runs twice, as the user allowed)', async () => {
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'hang' } });
		const output = await run({
			parameters: { functionId: fn(SCALAR), options: { timeout: 1000, retryWhenMayHaveRun: true } },
		});
		expect(output[0].json).toEqual({ result: 42 });
		expect(emu.runCount(SCALAR)).toBe(2);
	});
});

describe('tokens', () => {
	const tokenRequests = () =>
		emu.requestsOf('sentinel').filter((r) => r.path.endsWith('/app/token'));

	test('cold run with concurrency: one Domain API request and one token request; warm run: none', async () => {
		const items = Array.from({ length: 10 }, (_, n) => ({ json: { n } }));
		await run({ parameters: { functionId: fn(SLOW), options: { concurrency: 5 } }, items });
		expect(emu.requestsOf('csds')).toHaveLength(1);
		expect(tokenRequests()).toHaveLength(1);
		expect(store.data.accessToken).not.toBe('');
		emu.clearLog();
		await run({ parameters: { functionId: fn(SLOW), options: { concurrency: 5 } }, items });
		expect(emu.requestsOf('csds')).toHaveLength(0);
		expect(tokenRequests()).toHaveLength(0);
	});

	test('after revocation, concurrent 401s renew the token once and every item succeeds', async () => {
		const items = Array.from({ length: 10 }, (_, n) => ({ json: { n } }));
		await run({ parameters: { functionId: fn(SLOW) }, items });
		const oldToken = store.data.accessToken;
		emu.revokeTokens();
		emu.clearLog();
		emu.resetCounters();
		const output = await run({
			parameters: { functionId: fn(SLOW), options: { concurrency: 5 } },
			items,
		});
		expect(output.map((o) => o.json.n)).toEqual(items.map((i) => i.json.n));
		expect(tokenRequests()).toHaveLength(1);
		expect(store.data.accessToken).not.toBe(oldToken);
		expect(emu.runCount(SLOW)).toBe(10);
		expect(invokes().filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
	});

	test('a token that expires within a minute is renewed before the first call, without a 401', async () => {
		emu.setTokenLifetime(30);
		try {
			await run({ parameters: { functionId: fn(SCALAR) } });
		} finally {
			emu.setTokenLifetime(3600);
		}
		emu.clearLog();
		await run({ parameters: { functionId: fn(SCALAR) } });
		expect(tokenRequests()).toHaveLength(1);
		expect(invokes().map((r) => r.status)).toEqual([200]);
	});

	test('a token that expired mid-run (401) is renewed and the call succeeds', async () => {
		await run({ parameters: { functionId: fn(SCALAR) } });
		emu.clock.advance(2 * 3600);
		emu.clearLog();
		const output = await run({ parameters: { functionId: fn(SCALAR) } });
		expect(output[0].json).toEqual({ result: 42 });
		expect(invokes().map((r) => r.status)).toEqual([401, 200]);
		expect(emu.runCount(SCALAR)).toBe(2);
	});
});

describe('concurrency', () => {
	test.each([1, 3, 5])(
		'never more than %i in flight, and the output keeps the input order',
		async (concurrency) => {
			const items = Array.from({ length: 12 }, (_, n) => ({ json: { n } }));
			const output = await run({
				parameters: { functionId: fn(SLOW), options: { concurrency } },
				items,
			});
			expect(output.map((o) => o.json.n)).toEqual(items.map((i) => i.json.n));
			expect(emu.maxInFlight(SLOW)).toBe(concurrency);
		},
	);
});

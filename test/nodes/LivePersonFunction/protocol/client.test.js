'use strict';

/** The one door for LivePerson Functions calls, driven with a scripted HttpClient and a fake clock. */
const {
	LivePersonClient,
	LivePersonCallError,
} = require('../../../../nodes/LivePersonFunction/protocol/client');
const {
	detectPlatform,
	readInvokeResponse,
	isFunctionId,
} = require('../../../../nodes/LivePersonFunction/protocol/invoke');
const {
	readEventInvokeResponse,
	readIsImplemented,
} = require('../../../../nodes/LivePersonFunction/protocol/events');
const { fakeHttp, json, socketError } = require('../../../helpers/fakeHttp');
const { fakeEnvironment } = require('../../../helpers/fakeEnvironment');

const FUNCTION_ID = '3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef';
const V1_HOSTS = {
	sentinel: 'va.sentinel.liveperson.net',
	faasGW: 'va.faasgw.liveperson.net',
	faasUI: 'va.faasui.liveperson.net',
};
const V2_HOSTS = { ...V1_HOSTS, faasGW: 'va.fninvocations.liveperson.net' };
const content = {
	payload: { name: 'Ada' },
	headers: [{ key: 'x-source', value: 'n8n' }],
	userId: 'user 1',
	skillId: '77',
};

function clientWith(http, { hosts = V1_HOSTS, userId, environment = fakeEnvironment() } = {}) {
	return {
		client: new LivePersonClient({ accountId: '123456', hosts, http, userId, environment }),
		environment,
	};
}

describe('invokeFunction', () => {
	test('V1: POST to the lambda, v=1, userId and skillId in the query, the documented body, a typed result', async () => {
		const http = fakeHttp(json(200, { hello: 'Ada' }));
		const { client, environment } = clientWith(http);
		const result = await client.invokeFunction(FUNCTION_ID, content, { timeoutMs: 20000 });
		const [request] = http.requests;
		expect(request.method).toBe('POST');
		expect(request.url).toBe(
			`https://va.faasgw.liveperson.net/api/account/123456/lambdas/${FUNCTION_ID}/invoke`,
		);
		expect(request.query).toEqual({ v: '1', userId: 'user 1', skillId: '77' });
		expect(request.headers).toMatchObject({
			'Content-Type': 'application/json',
			'X-Request-ID': 'req-1',
		});
		expect(request.headers['LP-EventSource']).toBeUndefined();
		expect(JSON.parse(request.body)).toEqual({
			timestamp: environment.now(),
			headers: content.headers,
			payload: content.payload,
		});
		expect(request.timeoutMs).toBe(20000);
		expect(result).toEqual({
			value: { empty: false, value: { hello: 'Ada' } },
			status: 200,
			attempts: 1,
			requestId: 'req-1',
			platform: 'v1',
			durationMs: 0,
		});
	});

	test('V2 (picked from the gateway host): no v, no userId, LP-EventSource; skillId only when given', async () => {
		const http = fakeHttp(json(200, 1), json(200, 2));
		const { client } = clientWith(http, { hosts: V2_HOSTS });
		const result = await client.invokeFunction(FUNCTION_ID, content, {});
		await client.invokeFunction(FUNCTION_ID, { ...content, skillId: '' }, {});
		expect(result.platform).toBe('v2');
		expect(http.requests[0].query).toEqual({ skillId: '77' });
		expect(http.requests[0].headers['LP-EventSource']).toBe('n8n');
		expect(http.requests[1].query).toEqual({});
	});

	test('the platform the user chose wins over the host name; the timeout defaults to 35 s', async () => {
		const http = fakeHttp(json(200, 1));
		const { client } = clientWith(http, { hosts: V2_HOSTS });
		const result = await client.invokeFunction(
			FUNCTION_ID,
			{ payload: {}, headers: [] },
			{ platform: 'v1' },
		);
		expect(result.platform).toBe('v1');
		expect(http.requests[0].query).toEqual({ v: '1' });
		expect(http.requests[0].timeoutMs).toBe(35000);
	});

	test("the client's user (OAuth2) is sent when the item names none", async () => {
		const http = fakeHttp(json(200, 1));
		const { client } = clientWith(http, { userId: 'from-token' });
		await client.invokeFunction(FUNCTION_ID, { payload: {}, headers: [] }, {});
		expect(http.requests[0].query).toEqual({ v: '1', userId: 'from-token' });
	});

	test.each([[null], [0], ['text'], [[1, 2]]])(
		'any JSON payload %p is sent as is',
		async (payload) => {
			const http = fakeHttp(json(200, 1));
			await clientWith(http).client.invokeFunction(FUNCTION_ID, { payload, headers: [] }, {});
			expect(JSON.parse(http.requests[0].body).payload).toEqual(payload);
		},
	);

	test('throttling is retried with backoff under the same request id; the result counts the attempts', async () => {
		const http = fakeHttp(json(429, {}, { 'retry-after': '2' }), json(200, 'ok'));
		const { client, environment } = clientWith(http);
		const result = await client.invokeFunction(FUNCTION_ID, content, {});
		expect(result).toMatchObject({
			attempts: 2,
			value: { empty: false, value: 'ok' },
			durationMs: 2000,
		});
		expect(environment.sleeps).toEqual([2000]);
		expect(http.requests.map((r) => r.headers['X-Request-ID'])).toEqual(['req-1', 'req-1']);
	});

	test('a call that may have run is not repeated by default, and fails typed: reason, attempts, request and function id', async () => {
		const http = fakeHttp(json(502, {}));
		const error = await clientWith(http)
			.client.invokeFunction(FUNCTION_ID, content, {})
			.catch((e) => e);
		expect(error).toBeInstanceOf(LivePersonCallError);
		expect(error).toMatchObject({ attempts: 1, requestId: 'req-1', functionId: FUNCTION_ID });
		expect(error.reason).toMatchObject({
			kind: 'platform',
			step: 'invoke',
			mayHaveRun: true,
			httpStatus: 502,
		});
		expect(http.requests).toHaveLength(1);
	});

	test('with the opt-in it is repeated up to Max Attempts; with retries off nothing is repeated', async () => {
		const optIn = fakeHttp(json(502, {}), json(504, {}), json(200, 1));
		const result = await clientWith(optIn).client.invokeFunction(FUNCTION_ID, content, {
			retryWhenMayHaveRun: true,
			maxAttempts: 3,
		});
		expect(result.attempts).toBe(3);
		const off = fakeHttp(json(429, {}));
		const error = await clientWith(off)
			.client.invokeFunction(FUNCTION_ID, content, { retry: false })
			.catch((e) => e);
		expect(error.attempts).toBe(1);
		expect(error.reason.kind).toBe('throttled');
	});

	test('a connection failure is labelled with the step and the host it failed on', async () => {
		const http = fakeHttp(socketError('ECONNREFUSED'), socketError('ECONNREFUSED'));
		const error = await clientWith(http)
			.client.invokeFunction(FUNCTION_ID, content, { maxAttempts: 2 })
			.catch((e) => e);
		expect(error.attempts).toBe(2);
		expect(error.reason).toMatchObject({ kind: 'transport', step: 'invoke', mayHaveRun: false });
		expect(error.reason.message).toBe(
			'Could not connect to the LivePerson Functions gateway at va.faasgw.liveperson.net (connection refused)',
		);
	});
});

describe('invokeEvent', () => {
	test('V1: the events path with v=1 and skillId; one result per function that ran', async () => {
		const http = fakeHttp(json(200, [{ a: 1 }, 2]));
		const result = await clientWith(http).client.invokeEvent('conversational_command', content, {});
		expect(http.requests[0].method).toBe('POST');
		expect(http.requests[0].url).toBe(
			'https://va.faasgw.liveperson.net/api/account/123456/events/conversational_command/invoke',
		);
		expect(http.requests[0].query).toEqual({ v: '1', userId: 'user 1', skillId: '77' });
		expect(result.value).toEqual([{ a: 1 }, 2]);
		expect(result.platform).toBe('v1');
	});

	test('V2: no v, LP-EventSource; event ids are path-encoded', async () => {
		const http = fakeHttp(json(200, []));
		await clientWith(http, { hosts: V2_HOSTS }).client.invokeEvent('a/b', content, {});
		expect(http.requests[0].url).toContain('/events/a%2Fb/invoke');
		expect(http.requests[0].query).toEqual({ skillId: '77' });
		expect(http.requests[0].headers['LP-EventSource']).toBe('n8n');
	});
});

describe('isEventImplemented', () => {
	test('GET with v=1 and skillId on V1, no body, the answer read as a boolean', async () => {
		const http = fakeHttp(json(200, { implemented: true }));
		const result = await clientWith(http).client.isEventImplemented('conversational_command', {
			skillId: '7',
		});
		const [request] = http.requests;
		expect(request.method).toBe('GET');
		expect(request.url).toBe(
			'https://va.faasgw.liveperson.net/api/account/123456/events/conversational_command/isImplemented',
		);
		expect(request.query).toEqual({ v: '1', skillId: '7' });
		expect(request.body).toBeUndefined();
		expect(result.value).toBe(true);
	});

	test('a question is asked again even after a 502 (nothing runs); the platform can be chosen', async () => {
		const http = fakeHttp(json(502, {}), json(200, { implemented: false }));
		const result = await clientWith(http).client.isEventImplemented('e', { platform: 'v2' });
		expect(result).toMatchObject({ value: false, attempts: 2, platform: 'v2' });
		expect(http.requests[1].headers['LP-EventSource']).toBe('n8n');
	});
});

describe('listFunctions', () => {
	const listed = [
		{ uuid: 'a', name: 'Greeting', state: 'Productive', description: 'hi' },
		{ uuid: 'b', name: 'order-total', state: 'Draft' },
		{ name: 'no uuid' },
	];

	test('V1: lambdas/ on the UI host with v=1 and states; the name filter applies here', async () => {
		const http = fakeHttp(json(200, listed));
		const result = await clientWith(http, { userId: 'u1' }).client.listFunctions({
			states: ['Productive', 'Draft'],
			nameContains: ' GREET ',
		});
		expect(http.requests[0].url).toBe(
			'https://va.faasui.liveperson.net/api/account/123456/lambdas/',
		);
		expect(http.requests[0].query).toEqual({
			v: '1',
			state: ['Productive', 'Draft'],
			userId: 'u1',
		});
		expect(result.value).toEqual([
			{
				functionId: 'a',
				name: 'Greeting',
				state: 'Productive',
				description: 'hi',
				eventId: undefined,
			},
		]);
	});

	test('V2 (picked from the Functions UI host): functions with the name filter on the server too', async () => {
		const http = fakeHttp(json(200, listed));
		const hosts = { ...V1_HOSTS, faasUI: 'va.functions.liveperson.net' };
		const result = await clientWith(http, { hosts }).client.listFunctions({
			nameContains: 'order',
		});
		expect(result.platform).toBe('v2');
		expect(http.requests[0].url).toBe(
			'https://va.functions.liveperson.net/api/account/123456/functions',
		);
		expect(http.requests[0].query).toEqual({ functionName: 'order' });
		expect(result.value.map((fn) => fn.functionId)).toEqual(['b']);
	});

	test("the listing path follows the UI host, not the gateway's (LivePerson's client: getLambdas → UI host)", async () => {
		const http = fakeHttp(json(200, listed));
		const result = await clientWith(http, { hosts: V2_HOSTS }).client.listFunctions({});
		expect(result.platform).toBe('v1');
		expect(http.requests[0].url).toBe(
			'https://va.faasui.liveperson.net/api/account/123456/lambdas/',
		);
		expect(http.requests[0].query).toEqual({ v: '1' });
	});

	test('listing needs no gateway host', async () => {
		const http = fakeHttp(json(200, listed));
		const { client } = clientWith(http, { hosts: { faasUI: V1_HOSTS.faasUI } });
		const result = await client.listFunctions({});
		expect(result.value.map((fn) => fn.functionId)).toEqual(['a', 'b']);
		expect(http.requests[0].url).toBe(
			'https://va.faasui.liveperson.net/api/account/123456/lambdas/',
		);
	});

	test('a refused listing is an auth failure of the step "listing", with the advice to pick By ID', async () => {
		const http = fakeHttp(json(403, {}));
		const error = await clientWith(http)
			.client.listFunctions({}, { retry: false })
			.catch((e) => e);
		expect(error.reason).toMatchObject({ kind: 'auth', step: 'listing' });
		expect(error.reason.description).toContain('By ID');
	});

	test('a connection failure while listing is labelled "listing" too, with the UI host', async () => {
		const http = fakeHttp(socketError('ENOTFOUND'));
		const error = await clientWith(http)
			.client.listFunctions({}, { retry: false })
			.catch((e) => e);
		expect(error.reason).toMatchObject({ kind: 'transport', step: 'listing' });
		expect(error.reason.message).toContain(
			'the LivePerson Functions UI at va.faasui.liveperson.net',
		);
	});

	test('without a UI host nothing is sent and the client says it cannot list', async () => {
		const http = fakeHttp();
		const { client } = clientWith(http, { hosts: { faasGW: V1_HOSTS.faasGW } });
		expect(client.canListFunctions()).toBe(false);
		await expect(client.listFunctions({})).rejects.toThrow(/no Functions UI \(faasUI\) host/);
		expect(http.requests).toEqual([]);
	});
});

test("detectPlatform follows the host name as LivePerson's client does", () => {
	expect(detectPlatform('va.faasgw.liveperson.net')).toBe('v1');
	expect(detectPlatform('va.fninvocations.liveperson.net')).toBe('v2');
	expect(detectPlatform('functions.eu.example')).toBe('v2');
});

test('isFunctionId', () => {
	expect(isFunctionId(FUNCTION_ID)).toBe(true);
	expect(isFunctionId(FUNCTION_ID.toUpperCase())).toBe(true);
	expect(isFunctionId('3f2e1d0c-1111-4a2b-9c3d')).toBe(false);
	expect(isFunctionId(`${FUNCTION_ID}x`)).toBe(false);
});

describe('reading answers', () => {
	test.each([
		['{"a":1}', { a: 1 }],
		['[1,2]', [1, 2]],
		['"hi"', 'hi'],
		['3', 3],
		['null', null],
		['false', false],
	])('a 200 with %s is that value', (body, value) => {
		expect(readInvokeResponse({ status: 200, headers: {}, body })).toEqual({ empty: false, value });
	});

	test('an empty 200 or 202 is empty', () => {
		expect(readInvokeResponse({ status: 200, headers: {}, body: '' })).toEqual({ empty: true });
		expect(readInvokeResponse({ status: 202, headers: {}, body: '  ' })).toEqual({ empty: true });
	});

	test('a non-JSON 200 is a bad answer that may not be repeated', () => {
		let error;
		try {
			readInvokeResponse({ status: 200, headers: {}, body: '<html>oops</html>' });
		} catch (e) {
			error = e;
		}
		expect(error.kind).toBe('bad-answer');
		expect(error.mayHaveRun).toBe(true);
		expect(error.description).toContain('<html>oops</html>');
	});

	test('an error status is classified', () => {
		expect(() => readInvokeResponse({ status: 404, headers: {}, body: '' })).toThrow(
			/not found or not deployed/,
		);
	});

	test.each([
		['[{"a":1},2]', [{ a: 1 }, 2]],
		['[]', []],
		['', []],
	])('event results %s', (body, list) => {
		expect(readEventInvokeResponse({ status: 200, headers: {}, body })).toEqual(list);
	});

	test('an event answer that is not a list ran but is unreadable; an error status is classified', () => {
		const error = (() => {
			try {
				readEventInvokeResponse({ status: 200, headers: {}, body: '{"a":1}' });
			} catch (e) {
				return e;
			}
		})();
		expect(error).toMatchObject({ kind: 'bad-answer', mayHaveRun: true });
		expect(error.message).toMatch(/not a list/);
		expect(() =>
			readEventInvokeResponse({
				status: 901,
				headers: {},
				body: '{"errorCode":"com.liveperson.faas.handler.custom-failure","errorMsg":"x"}',
			}),
		).toThrow('x');
	});

	test.each([
		['{"implemented":true}', true],
		['{"implemented":false}', false],
	])('is implemented reads %s', (body, value) => {
		expect(readIsImplemented({ status: 200, headers: {}, body })).toBe(value);
	});

	test.each(['{}', '{"implemented":"yes"}', 'null', 'x'])('is implemented refuses %s', (body) => {
		expect(() => readIsImplemented({ status: 200, headers: {}, body })).toThrow(/true\/false/);
	});
});

'use strict';

/** The batch contract: what a batch call sends, and how its answer is read (through the client). */
const {
	LivePersonClient,
	LivePersonCallError,
} = require('../../../../nodes/LivePersonFunction/protocol/client');
const {
	batchEnvelopeBytes,
	readBatchAnswer,
	utf8Bytes,
} = require('../../../../nodes/LivePersonFunction/protocol/batch');
const { fakeHttp, json, socketError } = require('../../../helpers/fakeHttp');
const { fakeEnvironment } = require('../../../helpers/fakeEnvironment');

const FUNCTION_ID = '3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef';
const HOSTS = {
	sentinel: 'va.sentinel.liveperson.net',
	faasGW: 'va.faasgw.liveperson.net',
	faasUI: 'va.faasui.liveperson.net',
};
const batch = {
	payloadsJson: ['{"name":"Ada"}', '{"name":"Bob"}', '[1,2]'],
	headers: [{ key: 'x-source', value: 'n8n' }],
	userId: 'u1',
};

function clientWith(http, hosts = HOSTS) {
	const environment = fakeEnvironment();
	return {
		client: new LivePersonClient({ accountId: '123456', hosts, http, environment }),
		environment,
	};
}

describe('invokeFunctionBatch: the request', () => {
	test('one POST to the lambda, the documented body, payload {items}, X-N8N-Batch: 1 after the user headers', async () => {
		const http = fakeHttp(json(200, [{ result: 1 }, { result: { a: 2 } }, { result: null }]));
		const { client, environment } = clientWith(http);
		const result = await client.invokeFunctionBatch(FUNCTION_ID, batch, {});
		expect(http.requests).toHaveLength(1);
		const [request] = http.requests;
		expect(request.method).toBe('POST');
		expect(request.url).toBe(
			`https://va.faasgw.liveperson.net/api/account/123456/lambdas/${FUNCTION_ID}/invoke`,
		);
		expect(request.query).toEqual({ v: '1', userId: 'u1' });
		expect(JSON.parse(request.body)).toEqual({
			timestamp: environment.now(),
			headers: [
				{ key: 'x-source', value: 'n8n' },
				{ key: 'X-N8N-Batch', value: '1' },
			],
			payload: { items: [{ name: 'Ada' }, { name: 'Bob' }, [1, 2]] },
		});
		expect(result.value).toEqual([
			{ ok: true, result: { empty: false, value: 1 } },
			{ ok: true, result: { empty: false, value: { a: 2 } } },
			{ ok: true, result: { empty: false, value: null } },
		]);
		expect(result).toMatchObject({ status: 200, attempts: 1, requestId: 'req-1', platform: 'v1' });
	});

	test('V2 gateway: the same body and header, LP-EventSource instead of v=1', async () => {
		const http = fakeHttp(json(200, [{ result: 1 }, { result: 2 }, { result: 3 }]));
		const { client } = clientWith(http, { ...HOSTS, faasGW: 'va.fninvocations.liveperson.net' });
		await client.invokeFunctionBatch(FUNCTION_ID, { ...batch, userId: undefined }, {});
		const [request] = http.requests;
		expect(request.query).toEqual({});
		expect(request.headers['LP-EventSource']).toBe('n8n');
		expect(JSON.parse(request.body).headers).toContainEqual({ key: 'X-N8N-Batch', value: '1' });
	});

	test('batchEnvelopeBytes + the items + the commas is the size of the body sent (multi-byte text included)', async () => {
		const payloadsJson = ['{"name":"Zoë ✓"}', '{"n":1}', '"😀"'];
		const headers = [{ key: 'x-ü', value: 'ä' }];
		const http = fakeHttp(
			json(
				200,
				payloadsJson.map(() => ({ result: 0 })),
			),
		);
		const { client } = clientWith(http);
		await client.invokeFunctionBatch(FUNCTION_ID, { payloadsJson, headers }, {});
		const expected =
			batchEnvelopeBytes(headers) +
			payloadsJson.reduce((sum, p) => sum + utf8Bytes(p), 0) +
			(payloadsJson.length - 1);
		expect(utf8Bytes(http.requests[0].body)).toBe(expected);
	});
});

describe('invokeFunctionBatch: retry safety is the call’s', () => {
	test('429 and a refused connection are retried: the batch is sent again, nothing ran', async () => {
		const http = fakeHttp(
			json(429, {}, { 'retry-after': '1' }),
			socketError('ECONNREFUSED'),
			json(200, [{ result: 1 }, { result: 2 }, { result: 3 }]),
		);
		const { client, environment } = clientWith(http);
		const result = await client.invokeFunctionBatch(FUNCTION_ID, batch, {});
		expect(http.requests).toHaveLength(3);
		expect(result.attempts).toBe(3);
		expect(environment.sleeps[0]).toBe(1000);
	});

	test.each([
		['504', json(504, {})],
		['a reset connection', socketError('ECONNRESET')],
		['a bare 503', json(503, {})],
	])('%s: the batch may have run, so it is not sent again', async (_, answer) => {
		const http = fakeHttp(answer);
		const { client } = clientWith(http);
		const error = await client.invokeFunctionBatch(FUNCTION_ID, batch, {}).catch((e) => e);
		expect(error).toBeInstanceOf(LivePersonCallError);
		expect(error.reason.mayHaveRun).toBe(true);
		expect(error.attempts).toBe(1);
		expect(http.requests).toHaveLength(1);
	});

	test('with "Retry When the Function May Already Have Run" a 504 batch is sent again', async () => {
		const http = fakeHttp(json(504, {}), json(200, [{ result: 1 }, { result: 2 }, { result: 3 }]));
		const { client } = clientWith(http);
		const result = await client.invokeFunctionBatch(FUNCTION_ID, batch, {
			retryWhenMayHaveRun: true,
		});
		expect(result.attempts).toBe(2);
	});

	test('a wrong answer is not re-sent, even with the opt-in: the function ran', async () => {
		const http = fakeHttp(json(200, [{ result: 1 }]));
		const { client } = clientWith(http);
		const error = await client
			.invokeFunctionBatch(FUNCTION_ID, batch, { retryWhenMayHaveRun: true })
			.catch((e) => e);
		expect(http.requests).toHaveLength(1);
		expect(error.reason).toMatchObject({ kind: 'bad-answer', mayHaveRun: true });
		expect(error.message).toBe('The function answered a batch of 3 items with 1 results');
	});
});

describe('readBatchAnswer', () => {
	const answer = (value) => ({ empty: false, value });

	test.each([
		['an empty body', { empty: true }],
		['null', answer(null)],
		['an object', answer({ results: [] })],
		['a number', answer(3)],
		['a string', answer('ok')],
	])('%s is not a list: the whole batch fails, naming what came', (got, value) => {
		expect(() => readBatchAnswer(value, 2)).toThrow(
			`The function answered a batch of 2 items with ${got}, not a list`,
		);
	});

	test('too many results also fail the whole batch with both lengths', () => {
		expect(() => readBatchAnswer(answer([{ result: 1 }, { result: 2 }, { result: 3 }]), 2)).toThrow(
			'The function answered a batch of 2 items with 3 results',
		);
	});

	test('each element on its own: result (any JSON value), error (object or text), or malformed', () => {
		const elements = readBatchAnswer(
			answer([
				{ result: [1] },
				{ error: { message: 'order 7 not found', code: 'NOT_FOUND' } },
				{ error: 'plain words' },
				{ error: {} },
				{ value: 3 },
				7,
				{ result: 0, error: { message: 'error wins' } },
			]),
			7,
		);
		expect(elements[0]).toEqual({ ok: true, result: { empty: false, value: [1] } });
		expect(elements[1].error).toMatchObject({
			kind: 'function-failure',
			message: 'order 7 not found',
			mayHaveRun: true,
			body: { message: 'order 7 not found', code: 'NOT_FOUND' },
		});
		expect(elements[2].error.message).toBe('plain words');
		expect(elements[3].error.message).toBe('The function reported a failure for this item');
		expect(elements[4].error).toMatchObject({ kind: 'bad-answer', mayHaveRun: true });
		expect(elements[4].error.message).toBe(
			'The function\'s answer for this item has neither "result" nor "error"',
		);
		expect(elements[5].ok).toBe(false);
		expect(elements[6]).toMatchObject({ ok: false, error: { message: 'error wins' } });
	});

	test('keys from the answer never reach a prototype', () => {
		const hostile = JSON.parse('[{"__proto__": {"result": "polluted"}}]');
		const [element] = readBatchAnswer(answer(hostile), 1);
		expect(element.ok).toBe(false);
		expect({}.result).toBeUndefined();
	});
});

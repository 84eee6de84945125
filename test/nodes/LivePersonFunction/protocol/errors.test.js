'use strict';

const {
	classifyFaasError,
	readRetryAfterMs,
} = require('../../../../nodes/LivePersonFunction/protocol/answerErrors');
const {
	classifyTransportError,
	findErrorCode,
} = require('../../../../nodes/LivePersonFunction/protocol/errors');

const answer = (status, body = '', headers = {}) => ({
	status,
	headers,
	body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('classifyFaasError', () => {
	test('V1 function failure keeps code, message and logs', () => {
		const error = classifyFaasError(
			answer(901, {
				errorCode: 'com.liveperson.faas.handler.custom-failure',
				errorMsg: 'boom',
				errorLogs: [{ level: 'Error', message: 'x' }],
			}),
		);
		expect(error.kind).toBe('function-failure');
		expect(error.message).toBe('boom');
		expect(error.description).toContain('com.liveperson.faas.handler.custom-failure');
		expect(error.body).toEqual({
			code: 'com.liveperson.faas.handler.custom-failure',
			message: 'boom',
			errorLogs: [{ level: 'Error', message: 'x' }],
		});
		expect(error.httpStatus).toBe(901);
	});

	test.each([
		'com.customer.faas.function.threw-error',
		'com.customer.faas.function.js-runtime-error',
		'com.customer.faas.function.execution-exceeded',
	])('V2 function failure %s', (code) => {
		const error = classifyFaasError(answer(901, { code, message: 'bad' }));
		expect(error.kind).toBe('function-failure');
		expect(error.body).toEqual({ code, message: 'bad' });
	});

	test("a handler code on another status is still the function's failure", () => {
		expect(
			classifyFaasError(
				answer(500, { errorCode: 'com.liveperson.faas.handler.executiontime-exceeded' }),
			).kind,
		).toBe('function-failure');
	});

	test.each([
		[
			404,
			{ errorCode: 'com.liveperson.faas.es.missinglambda', errorMsg: 'missing' },
			'not-found',
			false,
		],
		[
			404,
			{ code: 'com.liveperson.faas.function.not-found', message: 'missing' },
			'not-found',
			false,
		],
		[401, {}, 'auth', false],
		[403, {}, 'auth', false],
		[429, {}, 'throttled', false],
		[503, {}, 'unavailable', true],
		[413, {}, 'bad-request', false],
		[400, {}, 'bad-request', false],
		[500, {}, 'platform', true],
		[502, 'Bad Gateway', 'platform', true],
		[504, '', 'platform', true],
	])('%i is %s (may have run: %s)', (status, body, kind, mayHaveRun) => {
		const error = classifyFaasError(answer(status, body));
		expect(error.kind).toBe(kind);
		expect(error.mayHaveRun).toBe(mayHaveRun);
		expect(error.description).toEqual(expect.any(String));
	});

	test('429 reads Retry-After in seconds or as a date', () => {
		expect(classifyFaasError(answer(429, '', { 'Retry-After': '3' })).retryAfterMs).toBe(3000);
		expect(classifyFaasError(answer(429, '')).retryAfterMs).toBeUndefined();
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(readRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
		expect(readRetryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
	});

	test('listing 403 suggests picking the function by ID', () => {
		expect(classifyFaasError(answer(403, {}), 'listing').description).toMatch(/By ID/);
	});
});

describe('classifyTransportError', () => {
	const wrap = (code) => ({
		message: 'outer',
		cause: { message: 'inner', cause: Object.assign(new Error('x'), { code }) },
	});

	test.each([
		['ECONNREFUSED', 'transport', false],
		['ENOTFOUND', 'transport', false],
		['EAI_AGAIN', 'transport', false],
		['ETIMEDOUT', 'timeout', true],
		['ECONNABORTED', 'timeout', true],
		['ECONNRESET', 'transport', true],
		['EPIPE', 'transport', true],
	])('%s (found on the cause chain) is %s, may have run: %s', (code, kind, mayHaveRun) => {
		const error = classifyTransportError(wrap(code), 'invoke', 'the gateway');
		expect(error.kind).toBe(kind);
		expect(error.mayHaveRun).toBe(mayHaveRun);
		expect(error.socketCode).toBe(code);
		// n8n swaps any message that contains a socket code for a generic one
		expect(error.message).not.toContain(code);
	});

	test('axios ERR_ codes are not socket codes; cancellation is recognised', () => {
		expect(findErrorCode({ code: 'ERR_BAD_RESPONSE', cause: { code: 'ECONNRESET' } })).toBe(
			'ECONNRESET',
		);
		expect(findErrorCode({ code: 'ERR_CANCELED' })).toBe('ABORTED');
		expect(findErrorCode(new Error('plain'))).toBeUndefined();
	});
});

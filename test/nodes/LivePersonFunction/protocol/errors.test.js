'use strict';

const {
	classifyFaasError,
	readRetryAfterMs,
} = require('../../../../nodes/LivePersonFunction/protocol/answerErrors');
const {
	classifyTransportError,
	findErrorCode,
	asLivePersonError,
} = require('../../../../nodes/LivePersonFunction/protocol/transportErrors');
const {
	isRetryable,
	DEFAULT_RETRY_POLICY,
} = require('../../../../nodes/LivePersonFunction/protocol/retry');

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
		// Linux reports these for an established connection whose retransmissions timed out too.
		['EHOSTUNREACH', 'transport', true],
		['ENETUNREACH', 'transport', true],
		// The TLS handshake failed: nothing was sent, and trying again changes nothing.
		['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'configuration', false],
		['SELF_SIGNED_CERT_IN_CHAIN', 'configuration', false],
		['CERT_HAS_EXPIRED', 'configuration', false],
		['ERR_TLS_CERT_ALTNAME_INVALID', 'configuration', false],
		// No secure connection could be set up (plain HTTP on an https address, a proxy): not sent.
		['EPROTO', 'configuration', false],
		['ERR_SSL_WRONG_VERSION_NUMBER', 'configuration', false],
		['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'configuration', false],
	])('%s (found on the cause chain) is %s, may have run: %s', (code, kind, mayHaveRun) => {
		const error = classifyTransportError(wrap(code), 'invoke', 'the gateway');
		expect(error.kind).toBe(kind);
		expect(error.mayHaveRun).toBe(mayHaveRun);
		expect(error.socketCode).toBe(code);
		// n8n swaps any message that contains a socket code for a generic one
		expect(error.message).not.toContain(code);
	});

	test('certificate problems say what to check and are never retried', () => {
		const error = classifyTransportError(wrap('CERT_HAS_EXPIRED'), 'invoke', 'the gateway');
		expect(error.message).toBe(
			'Could not connect securely to the gateway: its certificate has expired',
		);
		expect(error.description).toContain('NODE_EXTRA_CA_CERTS');
		expect(isRetryable(error, { ...DEFAULT_RETRY_POLICY, retryWhenMayHaveRun: true })).toBe(false);
	});

	test('a failed TLS set-up is "could not connect securely", with the advice about proxies, never retried', () => {
		const error = classifyTransportError(wrap('EPROTO'), 'invoke', 'the gateway');
		expect(error.message).toBe(
			'Could not connect securely to the gateway: the secure connection (TLS) could not be set up',
		);
		expect(error.description).toMatch(/^Nothing was sent\..*plain HTTP instead of HTTPS.*proxy/);
		expect(isRetryable(error, { ...DEFAULT_RETRY_POLICY, retryWhenMayHaveRun: true })).toBe(false);
	});

	test('an invalid URL is "not sent", never a network error', () => {
		const error = classifyTransportError(wrap('ERR_INVALID_URL'), 'invoke', 'the gateway');
		expect(error).toMatchObject({ kind: 'configuration', mayHaveRun: false });
		expect(error.message).toBe('The address of the gateway is not a valid URL');
	});

	test('a credential step speaks of the credential, never of functions or node options', () => {
		for (const code of ['ETIMEDOUT', 'ECONNRESET']) {
			const error = classifyTransportError(wrap(code), 'discovery', 'the LivePerson Domain API');
			expect(`${error.message} ${error.description}`).not.toMatch(
				/function|Retry When|Timeout option/,
			);
		}
	});

	test("n8n's refused OAuth2 renewal (credential-invalid) is an auth failure of the token step, not a network error", () => {
		const reconnect = Object.assign(new Error('The credential "x" needs to be reconnected.'), {
			failure: { cause: 'credential-invalid' },
		});
		const error = asLivePersonError(
			{ message: 'outer', cause: reconnect },
			'invoke',
			'the gateway',
		);
		expect(error).toMatchObject({ kind: 'auth', step: 'token', mayHaveRun: false });
		expect(error.message).toContain('the credential must be connected again');
		expect(isRetryable(error, { ...DEFAULT_RETRY_POLICY, retryWhenMayHaveRun: true })).toBe(false);
	});

	test.each([
		['invalid_client', 'auth', 'the credential must be connected again'],
		['unauthorized_client', 'auth', 'the credential must be connected again'],
		['server_error', 'platform', "could not renew the user's access (server_error)"],
	])(
		"client-oauth2's AuthError %s (its name is Error, its code EAUTH) is a token-step failure, never a network error",
		(oauthError, kind, words) => {
			class AuthError extends Error {
				constructor(message, body) {
					super(message);
					this.code = 'EAUTH';
					this.body = body;
				}
			}
			const error = asLivePersonError(
				{ message: 'wrapped', cause: new AuthError('refused', { error: oauthError }) },
				'invoke',
				'the gateway',
			);
			expect(error).toMatchObject({ kind, step: 'token', mayHaveRun: false });
			expect(error.message).toContain(words);
			expect(isRetryable(error, { ...DEFAULT_RETRY_POLICY, retryWhenMayHaveRun: true })).toBe(
				false,
			);
		},
	);

	test('an n8n reconnect error without the failure field (other 2.x builds) is recognised by its words', () => {
		const error = asLivePersonError(
			new Error('The credential "x" needs to be reconnected.'),
			'listing',
			'the UI',
		);
		expect(error).toMatchObject({ kind: 'auth', step: 'token' });
	});

	test('axios ERR_ codes are not socket codes; cancellation is recognised', () => {
		expect(findErrorCode({ code: 'ERR_BAD_RESPONSE', cause: { code: 'ECONNRESET' } })).toBe(
			'ECONNRESET',
		);
		expect(findErrorCode({ code: 'ERR_CANCELED' })).toBe('ABORTED');
		expect(findErrorCode(new Error('plain'))).toBeUndefined();
	});
});

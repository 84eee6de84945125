'use strict';

const {
	requestClientCredentialsToken,
	readJwtExpiry,
	isTokenExpiring,
} = require('../../../../nodes/LivePersonFunction/protocol/token');
const { fakeHttp, json, socketError } = require('../../../helpers/fakeHttp');

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims) => `${b64({ alg: 'RS256' })}.${b64(claims)}.signature`;
const credentials = {
	hosts: { sentinel: 'va.sentinel.liveperson.net' },
	accountId: '123456',
	clientId: 'my client',
	clientSecret: 'p&ss=word',
};

describe('requestClientCredentialsToken', () => {
	test('posts the client-credentials form with the client authentication in the body', async () => {
		const token = jwt({ exp: 2000000000, iat: 1999996400 });
		const http = fakeHttp(json(200, { access_token: token, token_type: 'Bearer' }));
		const result = await requestClientCredentialsToken(http, credentials);
		expect(result).toEqual({
			accessToken: token,
			expiresAt: 2000000000 * 1000,
			issuedAt: 1999996400 * 1000,
		});
		const [request] = http.requests;
		expect(request.method).toBe('POST');
		expect(request.url).toBe(
			'https://va.sentinel.liveperson.net/sentinel/api/account/123456/app/token',
		);
		expect(request.query).toEqual({ v: '2.0' });
		expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
		expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
			grant_type: 'client_credentials',
			client_id: 'my client',
			client_secret: 'p&ss=word',
		});
		expect(request.headers.Authorization).toBeUndefined();
	});

	test.each([400, 401, 403])(
		'a rejected client (%i) says to check the Client ID and Secret, without echoing them',
		async (status) => {
			const http = fakeHttp(
				json(status, {
					error: 'invalid_client',
					error_description: 'client my client with p&ss=word',
				}),
			);
			const error = await requestClientCredentialsToken(http, credentials).catch((e) => e);
			expect(error.kind).toBe('auth');
			expect(error.step).toBe('token');
			expect(error.message).toContain('rejected the Client ID or Client Secret');
			expect(error.message).toContain(`(HTTP ${status}, invalid_client)`);
			expect(`${error.message} ${error.description}`).not.toContain('p&ss=word');
		},
	);

	test('an unreachable Sentinel is a transport error naming Sentinel', async () => {
		const error = await requestClientCredentialsToken(
			fakeHttp(socketError('ECONNREFUSED')),
			credentials,
		).catch((e) => e);
		expect(error.kind).toBe('transport');
		expect(error.message).toContain('Sentinel');
		expect(error.message).toContain('https://va.sentinel.liveperson.net');
	});

	test.each([
		[json(200, { token_type: 'Bearer' })],
		[json(200, { access_token: '' })],
		[{ status: 200, body: '<html>' }],
		// Would end the Authorization header and add another.
		[json(200, { access_token: 'abc\r\nX-Injected: 1' })],
		[json(200, { access_token: { nested: true } })],
	])('an answer without a usable token is a bad answer', async (answer) => {
		const error = await requestClientCredentialsToken(fakeHttp(answer), credentials).catch(
			(e) => e,
		);
		expect(error.kind).toBe('bad-answer');
	});

	test('a 5xx is a platform error', async () => {
		const error = await requestClientCredentialsToken(fakeHttp(json(502, {})), credentials).catch(
			(e) => e,
		);
		expect(error.kind).toBe('platform');
	});
});

describe('readJwtExpiry', () => {
	test('reads exp in milliseconds', () => {
		expect(readJwtExpiry(jwt({ exp: 1700000000 }))).toBe(1700000000000);
	});
	test.each([
		'opaque-token',
		'a.%%%.c',
		jwt({ exp: 'soon' }),
		jwt({}),
		`a.${Buffer.from('not json').toString('base64url')}.c`,
	])('gives undefined for %p', (token) => {
		expect(readJwtExpiry(token)).toBeUndefined();
	});
	test('isTokenExpiring uses the margin and leaves unreadable tokens to the gateway', () => {
		const token = jwt({ exp: 1000 });
		expect(isTokenExpiring(token, 939_000, 60_000)).toBe(false);
		expect(isTokenExpiring(token, 940_000, 60_000)).toBe(true);
		expect(isTokenExpiring('opaque', 10 ** 15, 60_000)).toBe(false);
	});
});

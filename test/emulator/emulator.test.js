'use strict';
// Tests of the LivePerson Functions emulator itself (not of the n8n node): every endpoint, error shape, counter,
// fault and lifecycle feature that other tests rely on. Real HTTPS over 127.0.0.1 with axios.

const https = require('node:https');
const tls = require('node:tls');
const crypto = require('node:crypto');
const path = require('node:path');
const { spawn } = require('node:child_process');
const axios = require('axios');
const jose = require('jose');
const { startEmulator, raw } = require('../../tools/emulator');
const { decodeJwt } = require('../../tools/emulator/jwt');
const { EXAMPLE_UUIDS } = require('../../tools/emulator/examples');

const ACCOUNT = '123456';
const U = {
	echo: '11111111-0000-4000-8000-000000000001',
	value: '11111111-0000-4000-8000-000000000002',
	fail: '11111111-0000-4000-8000-000000000003',
	failObject: '11111111-0000-4000-8000-000000000004',
	draft: '11111111-0000-4000-8000-000000000005',
	ev1: '11111111-0000-4000-8000-000000000006',
	ev2: '11111111-0000-4000-8000-000000000007',
	evDraft: '11111111-0000-4000-8000-000000000008',
	slow: '11111111-0000-4000-8000-000000000009',
};

function fixtureFunctions() {
	return [
		{
			uuid: U.echo,
			name: 'echo',
			description: 'echoes its input',
			handler: async (input, ctx) => ({
				input,
				query: ctx.request.query,
				runNumber: ctx.runNumber,
			}),
		},
		{
			uuid: U.value,
			name: 'value',
			handler: async (input) => {
				if (input.payload.raw) return raw('<b>hi</b>', 'text/html');
				if (input.payload.nothing) return undefined;
				return input.payload.value;
			},
		},
		{
			uuid: U.fail,
			name: 'fail-error',
			handler: async () => {
				throw new Error('boom');
			},
		},
		{
			uuid: U.failObject,
			name: 'fail-object',
			handler: async () => {
				throw {
					errorCode: 'com.liveperson.faas.handler.runtime-exception',
					message: 'bad thing',
					errorLogs: ['l1'],
				};
			},
		},
		{ uuid: U.draft, name: 'draft-one', state: 'Draft', handler: async () => 'should not run' },
		{
			uuid: U.ev1,
			name: 'event-one',
			eventId: 'my_event',
			handler: async (input) => ({ one: input.payload.n }),
		},
		{ uuid: U.ev2, name: 'event-two', eventId: 'my_event', handler: async () => 'two' },
		{
			uuid: U.evDraft,
			name: 'event-draft',
			eventId: 'my_event',
			state: 'Draft',
			handler: async () => 'nope',
		},
		{ uuid: U.slow, name: 'slow', latencyMs: 150, handler: async () => ({ slow: true }) },
	];
}

/** axios client that trusts the emulator's CA; no keep-alive so every request is a fresh connection. */
function httpClient(emu) {
	return axios.create({
		httpsAgent: new https.Agent({ ca: emu.caPem, keepAlive: false }),
		validateStatus: () => true,
	});
}

async function fetchToken(emu, http, client = emu.clients[0]) {
	const res = await http.post(
		`${emu.urls.sentinel}/sentinel/api/account/${emu.accountId}/app/token?v=2.0`,
		new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: client.clientId,
			client_secret: client.clientSecret,
		}),
	);
	expect(res.status).toBe(200);
	return res.data.access_token;
}

const invokeBody = (payload) => ({
	timestamp: 1700000000000,
	headers: [{ key: 'X-Trace', value: 't-1' }],
	payload,
});

function invoke(
	emu,
	http,
	uuid,
	{ token, payload = {}, query = '?v=1&userId=tester', headers = {}, timeout } = {},
) {
	return http.post(
		`${emu.urls.faasGW}/api/account/${emu.accountId}/lambdas/${uuid}/invoke${query}`,
		invokeBody(payload),
		{
			headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
			timeout,
		},
	);
}

/** The error code of a failed (rejected) axios call, e.g. ECONNRESET. */
async function networkError(promise) {
	try {
		const res = await promise;
		return `no error (status ${res.status})`;
	} catch (err) {
		return err.code;
	}
}

describe('LivePerson Functions emulator', () => {
	let emu;
	let http;
	let token;

	beforeAll(async () => {
		emu = await startEmulator({ functions: fixtureFunctions() });
		http = httpClient(emu);
	});

	afterAll(async () => {
		await emu.stop();
	});

	beforeEach(async () => {
		emu.clearFaults();
		emu.clock.reset();
		emu.setPlatform('v1');
		token = await fetchToken(emu, http);
		emu.clearLog();
		emu.resetCounters();
	});

	describe('startup', () => {
		test('exposes hosts, urls, account, clients and the CA', () => {
			for (const service of ['csds', 'sentinel', 'faasGW', 'faasUI']) {
				expect(emu.hosts[service]).toMatch(/^127\.0\.0\.1:\d+$/);
				expect(emu.urls[service]).toBe(`https://${emu.hosts[service]}`);
			}
			expect(new Set(Object.values(emu.hosts)).size).toBe(4);
			expect(emu.accountId).toBe(ACCOUNT);
			expect(emu.clients).toEqual([
				{ clientId: 'n8n-test-client', clientSecret: 's3cr3t-Client-Secret-Value-0001' },
			]);
			expect(emu.caPem).toContain('BEGIN CERTIFICATE');
			expect(path.isAbsolute(emu.caPath)).toBe(true);
		});

		test('an https client without the test CA is refused', async () => {
			// The public root store only (not NODE_EXTRA_CA_CERTS, which a test run may point at the emulator CA).
			const strict = axios.create({
				httpsAgent: new https.Agent({ ca: tls.rootCertificates, keepAlive: false }),
				validateStatus: () => true,
			});
			const code = await networkError(
				strict.get(`${emu.urls.csds}/api/account/${ACCOUNT}/service/baseURI.json?version=1.0`),
			);
			expect(code).toMatch(/CERT|SELF_SIGNED|UNABLE/);
		});
	});

	describe('CSDS', () => {
		test('all services', async () => {
			const res = await http.get(
				`${emu.urls.csds}/api/account/${ACCOUNT}/service/baseURI.json?version=1.0`,
			);
			expect(res.status).toBe(200);
			expect(res.data).toEqual({
				baseURIs: [
					{ service: 'sentinel', account: ACCOUNT, baseURI: emu.hosts.sentinel },
					{ service: 'faasGW', account: ACCOUNT, baseURI: emu.hosts.faasGW },
					{ service: 'faasUI', account: ACCOUNT, baseURI: emu.hosts.faasUI },
				],
			});
		});

		test('one service, and its request is logged with the query', async () => {
			const res = await http.get(
				`${emu.urls.csds}/api/account/${ACCOUNT}/service/faasGW/baseURI.json?version=1.0`,
			);
			expect(res.status).toBe(200);
			expect(res.data).toEqual({ service: 'faasGW', account: ACCOUNT, baseURI: emu.hosts.faasGW });
			const [entry] = emu.requestsOf('csds');
			expect(entry).toMatchObject({
				service: 'csds',
				method: 'GET',
				path: `/api/account/${ACCOUNT}/service/faasGW/baseURI.json`,
				query: { version: '1.0' },
				status: 200,
			});
		});

		test('unknown service → 404, unknown account → 400', async () => {
			const unknownService = await http.get(
				`${emu.urls.csds}/api/account/${ACCOUNT}/service/nope/baseURI.json?version=1.0`,
			);
			expect(unknownService.status).toBe(404);
			const unknownAccount = await http.get(
				`${emu.urls.csds}/api/account/999/service/faasGW/baseURI.json?version=1.0`,
			);
			expect(unknownAccount.status).toBe(400);
			const unknownAccountAll = await http.get(
				`${emu.urls.csds}/api/account/999/service/baseURI.json?version=1.0`,
			);
			expect(unknownAccountAll.status).toBe(400);
		});

		test('setServiceHost overrides and restores a discovered host', async () => {
			emu.setServiceHost('faasGW', 'evil.example.com/steal');
			try {
				const res = await http.get(
					`${emu.urls.csds}/api/account/${ACCOUNT}/service/faasGW/baseURI.json?version=1.0`,
				);
				expect(res.data.baseURI).toBe('evil.example.com/steal');
			} finally {
				emu.setServiceHost('faasGW', undefined);
			}
			const res = await http.get(
				`${emu.urls.csds}/api/account/${ACCOUNT}/service/faasGW/baseURI.json?version=1.0`,
			);
			expect(res.data.baseURI).toBe(emu.hosts.faasGW);
		});

		test('options services and serviceHosts: a missing service is 404 and left out of the list', async () => {
			const other = await startEmulator({
				services: ['sentinel', 'faasGW'],
				serviceHosts: { sentinel: 'sentinel.localhost:1' },
			});
			try {
				const h = httpClient(other);
				const all = await h.get(
					`${other.urls.csds}/api/account/${ACCOUNT}/service/baseURI.json?version=1.0`,
				);
				expect(all.data.baseURIs.map((b) => b.service)).toEqual(['sentinel', 'faasGW']);
				expect(all.data.baseURIs[0].baseURI).toBe('sentinel.localhost:1');
				const ui = await h.get(
					`${other.urls.csds}/api/account/${ACCOUNT}/service/faasUI/baseURI.json?version=1.0`,
				);
				expect(ui.status).toBe(404);
			} finally {
				await other.stop();
			}
		});
	});

	describe('Sentinel', () => {
		const tokenUrl = (e, account = ACCOUNT, query = '?v=2.0') =>
			`${e.urls.sentinel}/sentinel/api/account/${account}/app/token${query}`;
		const form = (o) => new URLSearchParams(o);
		const good = {
			grant_type: 'client_credentials',
			client_id: 'n8n-test-client',
			client_secret: 's3cr3t-Client-Secret-Value-0001',
		};

		test('issues an RS256 JWT with the documented claims and no expires_in', async () => {
			const before = Math.floor(Date.now() / 1000);
			const res = await http.post(tokenUrl(emu), form(good));
			expect(res.status).toBe(200);
			expect(Object.keys(res.data).sort()).toEqual(['access_token', 'token_type']);
			expect(res.data.token_type).toBe('Bearer');
			const claims = decodeJwt(res.data.access_token);
			expect(claims).toMatchObject({
				aud: ACCOUNT,
				azp: 'n8n-test-client',
				scope: 'faas.lambda.invoke',
				iss: 'Sentinel',
			});
			expect(claims.iat).toBeGreaterThanOrEqual(before);
			expect(claims.exp - claims.iat).toBe(3600);
			expect(typeof claims.jti).toBe('string');
			expect(emu.tokensIssued).toBe(1);

			const second = decodeJwt(await fetchToken(emu, http));
			expect(second.jti).not.toBe(claims.jti);
			expect(emu.tokensIssued).toBe(2);
		});

		test('the signature verifies against the published JWKS (node:crypto)', async () => {
			const jwks = await http.get(`${emu.urls.sentinel}/sentinel/well-known/jwks`);
			expect(jwks.status).toBe(200);
			const [jwk] = jwks.data.keys;
			const [h, p, s] = token.split('.');
			const header = JSON.parse(Buffer.from(h, 'base64url').toString());
			expect(header).toMatchObject({ alg: 'RS256', kid: jwk.kid });
			const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
			expect(
				crypto.verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')),
			).toBe(true);
			expect(
				crypto.verify('sha256', Buffer.from(`${h}.${p}x`), key, Buffer.from(s, 'base64url')),
			).toBe(false);
			expect(jwk.d).toBeUndefined(); // public part only
		});

		test('jose verifies the token against the JWKS served at /sentinel/well-known/jwks', async () => {
			const jwks = (await http.get(`${emu.urls.sentinel}/sentinel/well-known/jwks`)).data;
			const keySet = jose.createLocalJWKSet(jwks);
			const { payload, protectedHeader } = await jose.jwtVerify(token, keySet, {
				issuer: 'Sentinel',
				audience: ACCOUNT,
				algorithms: ['RS256'],
			});
			expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: jwks.keys[0].kid });
			expect(payload).toMatchObject({ azp: 'n8n-test-client', scope: 'faas.lambda.invoke' });
			// a user token minted without HTTP is signed with the same key
			const userToken = await emu.issueToken({ kind: 'user', userId: 'agent-1' });
			expect((await jose.jwtVerify(userToken, keySet)).payload.sub).toBe('agent-1');
			// a tampered payload fails jose's signature check
			const [h, , sig] = token.split('.');
			const forged = jose.base64url.encode(JSON.stringify({ ...payload, aud: '999' }));
			await expect(jose.jwtVerify(`${h}.${forged}.${sig}`, keySet)).rejects.toMatchObject({
				code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
			});
		});

		test('wrong secret and unknown client → 401 invalid_client', async () => {
			const wrong = await http.post(tokenUrl(emu), form({ ...good, client_secret: 'nope' }));
			expect(wrong.status).toBe(401);
			expect(wrong.data.error).toBe('invalid_client');
			expect(typeof wrong.data.error_description).toBe('string');
			const unknown = await http.post(tokenUrl(emu), form({ ...good, client_id: 'someone-else' }));
			expect(unknown.status).toBe(401);
			const missing = await http.post(tokenUrl(emu), form({ grant_type: 'client_credentials' }));
			expect(missing.status).toBe(401);
			expect(emu.tokensIssued).toBe(0);
		});

		test('wrong grant, missing v=2.0, unknown account, JSON body → 400', async () => {
			const grant = await http.post(tokenUrl(emu), form({ ...good, grant_type: 'password' }));
			expect(grant.status).toBe(400);
			expect(grant.data.error).toBe('unsupported_grant_type');
			expect((await http.post(tokenUrl(emu, ACCOUNT, ''), form(good))).status).toBe(400);
			expect((await http.post(tokenUrl(emu, ACCOUNT, '?v=1.0'), form(good))).status).toBe(400);
			expect((await http.post(tokenUrl(emu, '999'), form(good))).status).toBe(400);
			expect((await http.post(tokenUrl(emu), good)).status).toBe(400); // axios sends an object as JSON
			expect(emu.tokensIssued).toBe(0);
		});

		test('the form body is logged parsed, and secrets() lists the client secret and every issued token', async () => {
			const t2 = await fetchToken(emu, http);
			const [entry] = emu.requestsOf('sentinel');
			expect(entry.body).toEqual(good);
			expect(entry.rawBody).toContain('client_secret=');
			expect(entry.headers['content-type']).toContain('application/x-www-form-urlencoded');
			const secrets = emu.secrets();
			expect(secrets).toEqual(
				expect.arrayContaining(['s3cr3t-Client-Secret-Value-0001', token, t2]),
			);
		});

		test('option tokenExpiresInField adds expires_in; tokenLifetimeSeconds sets exp', async () => {
			const other = await startEmulator({
				tokenExpiresInField: true,
				tokenLifetimeSeconds: 120,
				clients: [{ clientId: 'c2', clientSecret: 's2' }],
			});
			try {
				const res = await httpClient(other).post(
					tokenUrl(other),
					form({ grant_type: 'client_credentials', client_id: 'c2', client_secret: 's2' }),
				);
				expect(res.status).toBe(200);
				expect(res.data.expires_in).toBe(120);
				const claims = decodeJwt(res.data.access_token);
				expect(claims.exp - claims.iat).toBe(120);
				expect(claims.azp).toBe('c2');
			} finally {
				await other.stop();
			}
		});
	});

	describe('gateway V1', () => {
		test('invokes with the body handed to the function and answers its JSON result', async () => {
			const res = await invoke(emu, http, U.echo, { token, payload: { name: 'Ann' } });
			expect(res.status).toBe(200);
			expect(res.headers['content-type']).toContain('application/json');
			expect(res.data).toEqual({
				input: {
					timestamp: 1700000000000,
					headers: [{ key: 'X-Trace', value: 't-1' }],
					payload: { name: 'Ann' },
				},
				query: { v: '1', userId: 'tester' },
				runNumber: 1,
			});
			expect(emu.runCount(U.echo)).toBe(1);
			const [entry] = emu.requestsOf('faasGW');
			expect(entry.body).toEqual(invokeBody({ name: 'Ann' }));
			expect(entry.headers.authorization).toBe(`Bearer ${token}`);
			expect(entry.status).toBe(200);
			expect(entry.endedAt).toBeGreaterThanOrEqual(entry.startedAt);
		});

		test.each([
			[{ a: 1 }, '{"a":1}'],
			[[1, 'two'], '[1,"two"]'],
			['text', '"text"'],
			[42, '42'],
			[false, 'false'],
			[null, 'null'],
		])('any JSON result is JSON-encoded: %j', async (value, body) => {
			const res = await http.post(
				`${emu.urls.faasGW}/api/account/${ACCOUNT}/lambdas/${U.value}/invoke?v=1`,
				invokeBody({ value }),
				{ headers: { Authorization: `Bearer ${token}` }, responseType: 'text' },
			);
			expect(res.status).toBe(200);
			expect(res.data).toBe(body);
		});

		test('undefined result → empty 200; raw() → that body and content type', async () => {
			const empty = await http.post(
				`${emu.urls.faasGW}/api/account/${ACCOUNT}/lambdas/${U.value}/invoke?v=1`,
				invokeBody({ nothing: true }),
				{
					headers: { Authorization: `Bearer ${token}` },
					responseType: 'text',
				},
			);
			expect(empty.status).toBe(200);
			expect(empty.data).toBe('');
			const html = await invoke(emu, http, U.value, { token, payload: { raw: true } });
			expect(html.status).toBe(200);
			expect(html.headers['content-type']).toBe('text/html');
			expect(html.data).toBe('<b>hi</b>');
		});

		test('a thrown Error → 901 custom-failure', async () => {
			const res = await invoke(emu, http, U.fail, { token });
			expect(res.status).toBe(901);
			expect(res.data).toEqual({
				errorCode: 'com.liveperson.faas.handler.custom-failure',
				errorMsg: 'boom',
				errorLogs: [],
			});
			expect(emu.runCount(U.fail)).toBe(1);
		});

		test('a thrown {errorCode, message, errorLogs} → 901 with those values', async () => {
			const res = await invoke(emu, http, U.failObject, { token });
			expect(res.status).toBe(901);
			expect(res.data).toEqual({
				errorCode: 'com.liveperson.faas.handler.runtime-exception',
				errorMsg: 'bad thing',
				errorLogs: ['l1'],
			});
		});

		test('unknown and not deployed functions → 404 missinglambda, nothing runs', async () => {
			const unknown = await invoke(emu, http, 'no-such-uuid', { token });
			expect(unknown.status).toBe(404);
			expect(unknown.data.errorCode).toBe('com.liveperson.faas.es.missinglambda');
			const draft = await invoke(emu, http, U.draft, { token });
			expect(draft.status).toBe(404);
			expect(draft.data.errorCode).toBe('com.liveperson.faas.es.missinglambda');
			expect(emu.runCount(U.draft)).toBe(0);
		});

		test('missing, malformed and foreign tokens → 401 unauthorized', async () => {
			const none = await invoke(emu, http, U.echo, {});
			expect(none.status).toBe(401);
			expect(none.data).toMatchObject({
				errorCode: 'com.liveperson.faas.unauthorized',
				errorLogs: [],
			});
			expect(typeof none.data.errorMsg).toBe('string');
			expect((await invoke(emu, http, U.echo, { token: 'not.a.jwt' })).status).toBe(401);
			const [h, p] = token.split('.');
			expect((await invoke(emu, http, U.echo, { token: `${h}.${p}.AAAA` })).status).toBe(401);
			const otherAccount = await http.post(
				`${emu.urls.faasGW}/api/account/999/lambdas/${U.echo}/invoke?v=1`,
				invokeBody({}),
				{
					headers: { Authorization: `Bearer ${token}` },
				},
			);
			expect(otherAccount.status).toBe(401);
			expect(emu.runCount(U.echo)).toBe(0);
		});

		test('the gateway rejects a token signed by another key with the same kid (jose checks the signature)', async () => {
			const { privateKey } = await jose.generateKeyPair('RS256');
			const [kid] = emu.jwks().keys.map((k) => k.kid);
			const forged = await new jose.SignJWT(decodeJwt(token))
				.setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
				.sign(privateKey);
			const res = await invoke(emu, http, U.echo, { token: forged });
			expect(res.status).toBe(401);
			expect(res.data.errorMsg).toMatch(/bad signature/);
			expect(emu.runCount(U.echo)).toBe(0);
		});

		test('401 after revokeTokens(); a token issued later works', async () => {
			expect((await invoke(emu, http, U.echo, { token })).status).toBe(200);
			emu.revokeTokens();
			const revoked = await invoke(emu, http, U.echo, { token });
			expect(revoked.status).toBe(401);
			expect(revoked.data.errorMsg).toMatch(/revoked/);
			const fresh = await fetchToken(emu, http);
			expect((await invoke(emu, http, U.echo, { token: fresh })).status).toBe(200);
		});

		test('401 once the emulator clock passes exp', async () => {
			emu.clock.advance(3599);
			expect((await invoke(emu, http, U.echo, { token })).status).toBe(200);
			emu.clock.advance(1);
			const expired = await invoke(emu, http, U.echo, { token });
			expect(expired.status).toBe(401);
			expect(expired.data.errorMsg).toMatch(/expired/);
			// tokens issued on the advanced clock are valid on it
			const fresh = await fetchToken(emu, http);
			expect(decodeJwt(fresh).iat).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
			expect((await invoke(emu, http, U.echo, { token: fresh })).status).toBe(200);
		});

		test('a token without the invoke scope → 403', async () => {
			const noScope = await emu.issueToken({ scope: 'something.else' });
			const res = await invoke(emu, http, U.echo, { token: noScope });
			expect(res.status).toBe(403);
			expect(emu.runCount(U.echo)).toBe(0);
		});

		test('no v=1 is not refused (no document says so): it runs, and the log shows what was sent', async () => {
			const res = await invoke(emu, http, U.echo, { token, query: '' });
			expect(res.status).toBe(200);
			expect(emu.requestsOf('faasGW')[0].query).toEqual({});
		});

		test("a body without headers runs (LivePerson's client may leave them out); the function gets []", async () => {
			const res = await http.post(
				`${emu.urls.faasGW}/api/account/${ACCOUNT}/lambdas/${U.echo}/invoke?v=1`,
				{ timestamp: 1, payload: { p: 1 } },
				{ headers: { Authorization: `Bearer ${token}` } },
			);
			expect(res.status).toBe(200);
			expect(res.data.input).toEqual({ timestamp: 1, headers: [], payload: { p: 1 } });
		});

		test('a malformed body → 400, nothing runs', async () => {
			const url = `${emu.urls.faasGW}/api/account/${ACCOUNT}/lambdas/${U.echo}/invoke?v=1`;
			const auth = {
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			};
			const bad = [
				{ headers: [], payload: {} }, // no timestamp
				{ timestamp: '1', headers: [], payload: {} },
				{ timestamp: 1, headers: {}, payload: {} },
				{ timestamp: 1, headers: [{ key: 'k' }], payload: {} },
				{ timestamp: 1, headers: [] }, // no payload
				[1, 2],
			];
			for (const body of bad) {
				const res = await http.post(url, body, auth);
				expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
				expect(res.data.errorCode).toBe('com.liveperson.faas.es.badinput');
			}
			expect((await http.post(url, '{not json', auth)).status).toBe(400);
			expect((await http.post(url, '', auth)).status).toBe(400);
			expect(emu.runCount(U.echo)).toBe(0);
		});

		test('any JSON payload value is accepted (null, string, array)', async () => {
			for (const payload of [null, 'text', [1, 2]]) {
				const res = await http.post(
					`${emu.urls.faasGW}/api/account/${ACCOUNT}/lambdas/${U.echo}/invoke?v=1`,
					{ timestamp: 1, headers: [], payload },
					{
						headers: { Authorization: `Bearer ${token}` },
					},
				);
				expect(res.status).toBe(200);
				expect(res.data.input.payload).toEqual(payload);
			}
		});

		test('a function exceeding its timeoutMs → 901 executiontime-exceeded', async () => {
			emu.addFunction({
				uuid: 'too-slow',
				name: 'too-slow',
				latencyMs: 200,
				timeoutMs: 20,
				handler: async () => 'late',
			});
			try {
				const res = await invoke(emu, http, 'too-slow', { token });
				expect(res.status).toBe(901);
				expect(res.data.errorCode).toBe('com.liveperson.faas.handler.executiontime-exceeded');
			} finally {
				emu.removeFunction('too-slow');
			}
		});

		test('bodies above maxBodyBytes → 413 and the function does not run', async () => {
			const small = await startEmulator({ maxBodyBytes: 200, functions: fixtureFunctions() });
			try {
				const h = httpClient(small);
				const t = await fetchToken(small, h);
				const big = await invoke(small, h, U.echo, {
					token: t,
					payload: { blob: 'x'.repeat(500) },
				});
				expect(big.status).toBe(413);
				expect(small.runCount(U.echo)).toBe(0);
				expect((await invoke(small, h, U.echo, { token: t, payload: { blob: 'x' } })).status).toBe(
					200,
				);
			} finally {
				await small.stop();
			}
		});
	});

	describe('the platform follows the host CSDS hands out', () => {
		const discovered = async (service) =>
			(
				await http.get(
					`${emu.urls.csds}/api/account/${ACCOUNT}/service/${service}/baseURI.json?version=1.0`,
				)
			).data.baseURI;

		test('by default the listeners themselves (127.0.0.1:port): V1', async () => {
			expect(await discovered('faasGW')).toBe(emu.hosts.faasGW);
			expect(emu.baseUri('faasGW')).toBe(emu.hosts.faasGW);
			expect(emu.platform).toBe('v1');
			expect(emu.listingPlatform).toBe('v1');
		});

		test('a V2-looking gateway host (fninvocations/functions) makes the gateway V2, with no other switch', async () => {
			emu.setServiceHost('faasGW', 'va.fninvocations.example.com');
			try {
				expect(emu.platform).toBe('v2');
				expect(emu.listingPlatform).toBe('v1'); // the UI host did not change
				const missing = await invoke(emu, http, 'no-such-function', { token });
				expect(missing.status).toBe(404);
				expect(missing.data).toEqual({
					code: 'com.liveperson.faas.function.not-found',
					message: expect.any(String),
				});
			} finally {
				emu.setServiceHost('faasGW', undefined);
			}
			expect(emu.platform).toBe('v1');
			expect((await invoke(emu, http, 'no-such-function', { token })).data.errorCode).toBe(
				'com.liveperson.faas.es.missinglambda',
			);
		});

		test("setPlatform('v2') hands out fninvocations.localhost / functions.localhost on the listeners' ports", async () => {
			emu.setPlatform('v2');
			const port = (service) => emu.hosts[service].split(':')[1];
			expect(await discovered('faasGW')).toBe(`fninvocations.localhost:${port('faasGW')}`);
			expect(await discovered('faasUI')).toBe(`functions.localhost:${port('faasUI')}`);
			expect(await discovered('sentinel')).toBe(emu.hosts.sentinel);
			expect([emu.platform, emu.listingPlatform]).toEqual(['v2', 'v2']);
			emu.setServiceHost('faasGW', 'va.faasgw.example.com'); // an explicit host still wins
			try {
				expect(emu.platform).toBe('v1');
			} finally {
				emu.setServiceHost('faasGW', undefined);
			}
			emu.setPlatform('v1');
			expect(await discovered('faasGW')).toBe(emu.hosts.faasGW);
		});

		test('the V2 names resolve (localhost-names.js, jest setupFiles) and pass TLS host name checks', async () => {
			emu.setPlatform('v2');
			const strictCheck = axios.create({
				httpsAgent: new https.Agent({ ca: emu.caPem, keepAlive: false }), // default checkServerIdentity
				validateStatus: () => true,
			});
			const res = await strictCheck.post(
				`https://${emu.baseUri('faasGW')}/api/account/${ACCOUNT}/lambdas/${U.echo}/invoke`,
				invokeBody({ via: 'name' }),
				{ headers: { Authorization: `Bearer ${token}`, 'LP-EventSource': 'n8n' } },
			);
			expect(res.status).toBe(200);
			expect(res.data.input.payload).toEqual({ via: 'name' });
			expect(emu.requestsOf('faasGW')[0].headers.host).toBe(emu.baseUri('faasGW'));
		});

		test("option platform: 'v2' starts with the V2 names; serviceHosts still win", async () => {
			const v2 = await startEmulator({ platform: 'v2' });
			const pinned = await startEmulator({
				platform: 'v2',
				serviceHosts: { faasGW: 'va.faasgw.example.com' },
			});
			try {
				expect(v2.baseUri('faasGW')).toMatch(/^fninvocations\.localhost:\d+$/);
				expect(v2.platform).toBe('v2');
				expect(pinned.platform).toBe('v1');
				expect(pinned.listingPlatform).toBe('v2');
				expect(() => v2.setPlatform('v3')).toThrow(TypeError);
			} finally {
				await v2.stop();
				await pinned.stop();
			}
		});
	});

	describe("CSDS over plain HTTP (csdsPlainHttp, for LivePerson's client)", () => {
		test('a second CSDS listener without TLS: same answers, same log (scheme http)', async () => {
			const other = await startEmulator({ csdsPlainHttp: true });
			const plain = axios.create({
				httpAgent: new (require('node:http').Agent)({ keepAlive: false }),
				validateStatus: () => true,
			});
			try {
				expect(other.urls.csdsHttp).toBe(`http://${other.hosts.csdsHttp}`);
				const res = await plain.get(
					`${other.urls.csdsHttp}/api/account/${ACCOUNT}/service/baseURI.json?version=1.0`,
				);
				expect(res.data.baseURIs.map((b) => b.service)).toEqual(['sentinel', 'faasGW', 'faasUI']);
				expect(other.requestsOf('csds')).toEqual([
					expect.objectContaining({ scheme: 'http', status: 200 }),
				]);
				await other.setServiceDown('csds', true);
				expect(await networkError(plain.get(other.urls.csdsHttp))).toBe('ECONNREFUSED');
				await other.setServiceDown('csds', false);
				expect(
					(await axios.get(`${other.urls.csdsHttp}/x`, { validateStatus: () => true })).status,
				).toBe(404);
			} finally {
				await other.stop();
			}
		});

		test('not there by default; HTTPS requests are logged with scheme https', async () => {
			expect(emu.hosts.csdsHttp).toBeUndefined();
			await http.get(`${emu.urls.csds}/api/account/${ACCOUNT}/service/baseURI.json?version=1.0`);
			expect(emu.requestsOf('csds')[0].scheme).toBe('https');
		});
	});

	describe('gateway V2', () => {
		beforeEach(() => emu.setPlatform('v2'));
		const v2 = { query: '', headers: { 'LP-EventSource': 'n8n' } };

		test('success without v, with LP-EventSource', async () => {
			const res = await invoke(emu, http, U.echo, { token, payload: { x: 1 }, ...v2 });
			expect(res.status).toBe(200);
			expect(res.data.input.payload).toEqual({ x: 1 });
			expect(emu.requestsOf('faasGW')[0].headers['lp-eventsource']).toBe('n8n');
		});

		test('no LP-EventSource is not refused (no document says so), on invoke and on isImplemented', async () => {
			const res = await invoke(emu, http, U.echo, { token, query: '' });
			expect(res.status).toBe(200);
			const implemented = await http.get(
				`${emu.urls.faasGW}/api/account/${ACCOUNT}/events/my_event/isImplemented`,
				{ headers: { Authorization: `Bearer ${token}` } },
			);
			expect(implemented.status).toBe(200);
			expect(implemented.data).toEqual({ implemented: true });
			expect(emu.requestsOf('faasGW').map((r) => r.headers['lp-eventsource'])).toEqual([
				undefined,
				undefined,
			]);
		});

		test('a failure named in V1 words is answered with its V2 code (com.customer.faas.function.*)', async () => {
			const thrown = await invoke(emu, http, U.failObject, { token, ...v2 });
			expect(thrown.status).toBe(901);
			expect(thrown.data).toEqual({
				code: 'com.customer.faas.function.js-runtime-error',
				message: 'bad thing',
			});
			const errorWithCode = 'v2-error-with-code';
			emu.addFunction({
				uuid: errorWithCode,
				handler: async () => {
					throw Object.assign(new Error('too long'), {
						errorCode: 'com.liveperson.faas.handler.executiontime-exceeded',
					});
				},
			});
			const unknownHandlerCode = 'v2-unknown-handler-code';
			emu.addFunction({
				uuid: unknownHandlerCode,
				handler: async () => {
					throw { errorCode: 'com.liveperson.faas.handler.log-limit-reached', message: 'logs' };
				},
			});
			try {
				const timedOut = await invoke(emu, http, errorWithCode, { token, ...v2 });
				expect(timedOut.data.code).toBe('com.customer.faas.function.execution-exceeded');
				// reference §7 lines 106-108: only three V2 function-failure codes; no V2 pair for log-limit-reached.
				const logs = await invoke(emu, http, unknownHandlerCode, { token, ...v2 });
				expect(logs.data.code).toBe('com.customer.faas.function.threw-error');
			} finally {
				emu.removeFunction(errorWithCode);
				emu.removeFunction(unknownHandlerCode);
			}
		});

		test('a failure named in V2 words is answered in V1 words on V1', async () => {
			emu.setPlatform('v1');
			emu.addFunction({
				uuid: 'v1-from-v2-code',
				handler: async () => {
					throw { code: 'com.customer.faas.function.js-runtime-error', message: 'x' };
				},
			});
			try {
				const res = await invoke(emu, http, 'v1-from-v2-code', { token });
				expect(res.data.errorCode).toBe('com.liveperson.faas.handler.runtime-exception');
			} finally {
				emu.removeFunction('v1-from-v2-code');
			}
		});

		test('901 threw-error, 404 function.not-found, 401 in V2 shape', async () => {
			const failed = await invoke(emu, http, U.fail, { token, ...v2 });
			expect(failed.status).toBe(901);
			expect(failed.data).toEqual({
				code: 'com.customer.faas.function.threw-error',
				message: 'boom',
			});
			const missing = await invoke(emu, http, U.draft, { token, ...v2 });
			expect(missing.status).toBe(404);
			expect(missing.data.code).toBe('com.liveperson.faas.function.not-found');
			const unauthorized = await invoke(emu, http, U.echo, v2);
			expect(unauthorized.status).toBe(401);
			expect(unauthorized.data).toEqual({
				code: 'com.liveperson.faas.unauthorized',
				message: expect.any(String),
			});
		});
	});

	describe('events', () => {
		const eventUrl = (id, what) =>
			`${emu.urls.faasGW}/api/account/${ACCOUNT}/events/${id}/${what}?v=1&skillId=5`;

		test('invoke runs every deployed bound function in order and answers the list', async () => {
			const res = await http.post(eventUrl('my_event', 'invoke'), invokeBody({ n: 7 }), {
				headers: { Authorization: `Bearer ${token}` },
			});
			expect(res.status).toBe(200);
			expect(res.data).toEqual([{ one: 7 }, 'two']);
			expect(emu.runCount(U.ev1)).toBe(1);
			expect(emu.runCount(U.ev2)).toBe(1);
			expect(emu.runCount(U.evDraft)).toBe(0);
		});

		test('invoke of an event nobody implements → []', async () => {
			const res = await http.post(eventUrl('nobody', 'invoke'), invokeBody({}), {
				headers: { Authorization: `Bearer ${token}` },
			});
			expect(res.status).toBe(200);
			expect(res.data).toEqual([]);
		});

		test('a failing bound function → 901 for the whole call, later ones do not run', async () => {
			emu.addFunction({
				uuid: 'ev-fail',
				name: 'ev-fail',
				eventId: 'failing_event',
				handler: async () => {
					throw new Error('event boom');
				},
			});
			emu.addFunction({
				uuid: 'ev-after',
				name: 'ev-after',
				eventId: 'failing_event',
				handler: async () => 'after',
			});
			try {
				const res = await http.post(eventUrl('failing_event', 'invoke'), invokeBody({}), {
					headers: { Authorization: `Bearer ${token}` },
				});
				expect(res.status).toBe(901);
				expect(res.data.errorMsg).toBe('event boom');
				expect(emu.runCount('ev-after')).toBe(0);
			} finally {
				emu.removeFunction('ev-fail');
				emu.removeFunction('ev-after');
			}
		});

		test('isImplemented', async () => {
			const yes = await http.get(eventUrl('my_event', 'isImplemented'), {
				headers: { Authorization: `Bearer ${token}` },
			});
			expect(yes.status).toBe(200);
			expect(yes.data).toEqual({ implemented: true });
			const no = await http.get(eventUrl('nobody', 'isImplemented'), {
				headers: { Authorization: `Bearer ${token}` },
			});
			expect(no.data).toEqual({ implemented: false });
			expect((await http.get(eventUrl('my_event', 'isImplemented'))).status).toBe(401);
		});
	});

	describe('listing (faasUI)', () => {
		let userToken;
		beforeEach(async () => {
			userToken = await emu.issueToken({ kind: 'user', userId: 'lp-user-1' });
		});

		test('V1 path with repeated state filter', async () => {
			const res = await http.get(
				`${emu.urls.faasUI}/api/account/${ACCOUNT}/lambdas/?state=Draft&state=Productive&userId=u1&v=1`,
				{
					headers: { Authorization: `Bearer ${userToken}` },
				},
			);
			expect(res.status).toBe(200);
			expect(res.data).toHaveLength(9);
			expect(res.data[0]).toEqual({
				uuid: U.echo,
				name: 'echo',
				description: 'echoes its input',
				state: 'Productive',
				eventId: null,
				version: 1,
				createdAt: expect.any(String),
				updatedAt: expect.any(String),
			});
			expect(emu.requestsOf('faasUI')[0].query).toEqual({
				state: ['Draft', 'Productive'],
				userId: 'u1',
				v: '1',
			});
			const drafts = await http.get(
				`${emu.urls.faasUI}/api/account/${ACCOUNT}/lambdas/?state=Draft&v=1`,
				{
					headers: { Authorization: `Bearer ${userToken}` },
				},
			);
			expect(drafts.data.map((f) => f.uuid)).toEqual([U.draft, U.evDraft]);
		});

		test('V2 path with functionName filter (a V2 UI host)', async () => {
			emu.setPlatform('v2');
			const res = await http.get(
				`${emu.urls.faasUI}/api/account/${ACCOUNT}/functions?state=Productive&functionName=EVENT`,
				{
					headers: { Authorization: `Bearer ${userToken}` },
				},
			);
			expect(res.status).toBe(200);
			expect(res.data.map((f) => f.name)).toEqual(['event-one', 'event-two']);
		});

		test('only the path of the UI host flavour is served: V1 host → functions 404, V2 host → lambdas/ 404', async () => {
			const auth = { headers: { Authorization: `Bearer ${userToken}` } };
			const v2OnV1 = await http.get(`${emu.urls.faasUI}/api/account/${ACCOUNT}/functions`, auth);
			expect(v2OnV1.status).toBe(404);
			expect(v2OnV1.data.errorCode).toBe('com.liveperson.faas.route.not-found');
			emu.setServiceHost('faasUI', 'va.functions.example.com');
			try {
				expect(emu.listingPlatform).toBe('v2');
				const v1OnV2 = await http.get(
					`${emu.urls.faasUI}/api/account/${ACCOUNT}/lambdas/?v=1`,
					auth,
				);
				expect(v1OnV2.status).toBe(404);
				expect(v1OnV2.data.code).toBe('com.liveperson.faas.route.not-found');
			} finally {
				emu.setServiceHost('faasUI', undefined);
			}
		});

		test('no token → 401', async () => {
			emu.setPlatform('v2');
			const res = await http.get(`${emu.urls.faasUI}/api/account/${ACCOUNT}/functions`);
			expect(res.status).toBe(401);
			expect(res.data.code).toBe('com.liveperson.faas.unauthorized');
		});

		test("listingAllowedFor 'all': the app token lists too", async () => {
			const other = await startEmulator({
				listingAllowedFor: 'all',
				functions: fixtureFunctions(),
			});
			try {
				const h = httpClient(other);
				const appToken = await fetchToken(other, h);
				const ok = await h.get(`${other.urls.faasUI}/api/account/${ACCOUNT}/lambdas/?v=1`, {
					headers: { Authorization: `Bearer ${appToken}` },
				});
				expect(ok.status).toBe(200);
				expect(ok.data.length).toBe(9);
			} finally {
				await other.stop();
			}
		});

		test("by default (listingAllowedFor 'user-only'): app token → 403, user token → 200", async () => {
			const other = await startEmulator({ functions: fixtureFunctions() });
			try {
				const h = httpClient(other);
				const appToken = await fetchToken(other, h);
				const forbidden = await h.get(`${other.urls.faasUI}/api/account/${ACCOUNT}/lambdas/?v=1`, {
					headers: { Authorization: `Bearer ${appToken}` },
				});
				expect(forbidden.status).toBe(403);
				expect(forbidden.data.errorCode).toBe('com.liveperson.faas.forbidden');
				const userToken = await other.issueToken({ kind: 'user', userId: 'agent-1' });
				const ok = await h.get(`${other.urls.faasUI}/api/account/${ACCOUNT}/lambdas/?v=1`, {
					headers: { Authorization: `Bearer ${userToken}` },
				});
				expect(ok.status).toBe(200);
				expect(ok.data.length).toBe(9);
				// the app token still invokes
				expect((await invoke(other, h, U.echo, { token: appToken })).status).toBe(200);
			} finally {
				await other.stop();
			}
		});
	});

	describe('faults', () => {
		test('status: 429 with Retry-After, the function does not run, then normal again (times)', async () => {
			const f = emu.fault({
				service: 'faasGW',
				times: 1,
				action: {
					type: 'status',
					status: 429,
					headers: { 'Retry-After': '3' },
					body: { errorCode: 'rate', errorMsg: 'slow down' },
				},
			});
			const limited = await invoke(emu, http, U.echo, { token });
			expect(limited.status).toBe(429);
			expect(limited.headers['retry-after']).toBe('3');
			expect(limited.data).toEqual({ errorCode: 'rate', errorMsg: 'slow down' });
			expect(emu.runCount(U.echo)).toBe(0);
			expect(f.hits).toBe(1);
			expect((await invoke(emu, http, U.echo, { token })).status).toBe(200);
			expect(f.hits).toBe(1);
			expect(emu.requestsOf('faasGW').map((r) => [r.status, r.fault])).toEqual([
				[429, 'status'],
				[200, null],
			]);
		});

		test.each([503, 500, 502, 504, 413])('status %i with a string body', async (status) => {
			emu.fault({
				service: 'faasGW',
				action: { type: 'status', status, body: 'upstream trouble' },
			});
			const res = await invoke(emu, http, U.echo, { token });
			expect(res.status).toBe(status);
			expect(res.data).toBe('upstream trouble');
			expect(emu.runCount(U.echo)).toBe(0);
		});

		test('match by uuid / method / pathIncludes only hits matching requests; remove() ends it', async () => {
			const f = emu.fault({
				service: 'faasGW',
				match: { uuid: U.fail, method: 'post' },
				action: { type: 'status', status: 503 },
			});
			expect((await invoke(emu, http, U.echo, { token })).status).toBe(200);
			expect((await invoke(emu, http, U.fail, { token })).status).toBe(503);
			const g = emu.fault({
				service: 'faasGW',
				match: { pathIncludes: '/isImplemented' },
				action: { type: 'status', status: 500 },
			});
			const isImpl = await http.get(
				`${emu.urls.faasGW}/api/account/${ACCOUNT}/events/my_event/isImplemented?v=1`,
				{ headers: { Authorization: `Bearer ${token}` } },
			);
			expect(isImpl.status).toBe(500);
			f.remove();
			g.remove();
			expect((await invoke(emu, http, U.fail, { token })).status).toBe(901);
			expect(f.hits).toBe(1);
		});

		test('faults on other services (Sentinel 503, CSDS 500)', async () => {
			emu.fault({ service: 'sentinel', times: 1, action: { type: 'status', status: 503 } });
			emu.fault({ service: 'csds', times: 1, action: { type: 'status', status: 500 } });
			const res = await http.post(
				`${emu.urls.sentinel}/sentinel/api/account/${ACCOUNT}/app/token?v=2.0`,
				new URLSearchParams({
					grant_type: 'client_credentials',
					client_id: 'n8n-test-client',
					client_secret: 's3cr3t-Client-Secret-Value-0001',
				}),
			);
			expect(res.status).toBe(503);
			expect(emu.tokensIssued).toBe(0);
			expect(
				(await http.get(`${emu.urls.csds}/api/account/${ACCOUNT}/service/baseURI.json?version=1.0`))
					.status,
			).toBe(500);
		});

		test('delay: answers after the delay and the function runs', async () => {
			emu.fault({ service: 'faasGW', action: { type: 'delay', ms: 120 } });
			const started = Date.now();
			const res = await invoke(emu, http, U.echo, { token });
			expect(res.status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(110);
			expect(emu.runCount(U.echo)).toBe(1);
		});

		test('reset-before: connection reset, the function does not run', async () => {
			emu.fault({ service: 'faasGW', action: { type: 'reset-before' } });
			expect(await networkError(invoke(emu, http, U.echo, { token }))).toBe('ECONNRESET');
			expect(emu.runCount(U.echo)).toBe(0);
			expect(emu.requestsOf('faasGW')[0]).toMatchObject({
				status: null,
				outcome: 'reset',
				fault: 'reset-before',
			});
		});

		test('reset-after: connection reset, but the function ran', async () => {
			emu.fault({ service: 'faasGW', action: { type: 'reset-after' } });
			expect(await networkError(invoke(emu, http, U.echo, { token }))).toBe('ECONNRESET');
			expect(emu.runCount(U.echo)).toBe(1);
		});

		test('hang: the function runs, no answer until the client gives up', async () => {
			emu.fault({ service: 'faasGW', action: { type: 'hang' } });
			expect(await networkError(invoke(emu, http, U.echo, { token, timeout: 200 }))).toBe(
				'ECONNABORTED',
			);
			expect(emu.runCount(U.echo)).toBe(1);
			expect(emu.requestsOf('faasGW')[0].status).toBeNull();
		});

		test('hang: stop() still closes cleanly and the client sees the connection die', async () => {
			const other = await startEmulator({ functions: fixtureFunctions() });
			const h = httpClient(other);
			const t = await fetchToken(other, h);
			other.fault({ service: 'faasGW', action: { type: 'hang' } });
			let arrived;
			const ran = new Promise((resolve) => (arrived = resolve));
			other.addFunction({ uuid: 'notify', name: 'notify', handler: async () => arrived() });
			const pending = networkError(invoke(other, h, 'notify', { token: t }));
			await ran;
			await other.stop();
			expect(await pending).toMatch(/ECONNRESET|ECONNABORTED|ERR_BAD_RESPONSE/);
			expect(other.requestsOf('faasGW')[0].outcome).toBe('stopped');
		});

		test('raw: non-JSON body after running the function', async () => {
			emu.fault({
				service: 'faasGW',
				action: { type: 'raw', body: '<html>gateway</html>', contentType: 'text/html' },
			});
			const res = await invoke(emu, http, U.echo, { token });
			expect(res.status).toBe(200);
			expect(res.headers['content-type']).toBe('text/html');
			expect(res.data).toBe('<html>gateway</html>');
			expect(emu.runCount(U.echo)).toBe(1);
			emu.clearFaults();
			emu.fault({ service: 'faasGW', action: { type: 'raw', status: 502 } });
			const bad = await invoke(emu, http, U.echo, { token });
			expect([bad.status, bad.data]).toEqual([502, 'not json']);
		});

		test('empty: empty body after running the function', async () => {
			emu.fault({ service: 'faasGW', action: { type: 'empty', status: 202 } });
			const res = await http.post(
				`${emu.urls.faasGW}/api/account/${ACCOUNT}/lambdas/${U.echo}/invoke?v=1`,
				invokeBody({}),
				{
					headers: { Authorization: `Bearer ${token}` },
					responseType: 'text',
				},
			);
			expect(res.status).toBe(202);
			expect(res.data).toBe('');
			expect(emu.runCount(U.echo)).toBe(1);
		});

		test('invalid fault specs are rejected', () => {
			expect(() => emu.fault({ service: 'faasGW', action: { type: 'explode' } })).toThrow(
				/action.type/,
			);
			expect(() => emu.fault({ service: 'nope', action: { type: 'hang' } })).toThrow(
				/unknown service/,
			);
			expect(() => emu.fault({ action: { type: 'status' } })).toThrow(/status/);
		});
	});

	describe('service down/up', () => {
		test('a down service refuses connections and comes back on the same port', async () => {
			const host = emu.hosts.faasGW;
			await emu.setServiceDown('faasGW', true);
			try {
				expect(emu.isServiceUp('faasGW')).toBe(false);
				expect(await networkError(invoke(emu, http, U.echo, { token }))).toBe('ECONNREFUSED');
				// other services keep working and CSDS still names the same host
				const csds = await http.get(
					`${emu.urls.csds}/api/account/${ACCOUNT}/service/faasGW/baseURI.json?version=1.0`,
				);
				expect(csds.data.baseURI).toBe(host);
			} finally {
				await emu.setServiceDown('faasGW', false);
			}
			expect(emu.hosts.faasGW).toBe(host);
			expect((await invoke(emu, http, U.echo, { token })).status).toBe(200);
		});

		test('sentinel down → token fetch refused', async () => {
			await emu.setServiceDown('sentinel', true);
			try {
				const code = await networkError(
					http.post(
						`${emu.urls.sentinel}/sentinel/api/account/${ACCOUNT}/app/token?v=2.0`,
						'grant_type=client_credentials',
					),
				);
				expect(code).toBe('ECONNREFUSED');
			} finally {
				await emu.setServiceDown('sentinel', false);
			}
			expect(await fetchToken(emu, http)).toMatch(/^ey/);
		});
	});

	describe('counters and the log', () => {
		test('maxInFlight: five concurrent invocations are processed at the same time', async () => {
			// A barrier instead of timing: every run waits until all five are inside the function. If the emulator
			// processed requests one by one, this would never release (test timeout).
			let arrived = 0;
			let releaseAll;
			const allHere = new Promise((resolve) => (releaseAll = resolve));
			emu.addFunction({
				uuid: 'barrier',
				name: 'barrier',
				handler: async (_input, ctx) => {
					arrived += 1;
					if (arrived === 5) releaseAll();
					await allHere;
					return { run: ctx.runNumber };
				},
			});
			try {
				const results = await Promise.all(
					[1, 2, 3, 4, 5].map(() => invoke(emu, http, 'barrier', { token })),
				);
				expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
				expect(results.map((r) => r.data.run).sort()).toEqual([1, 2, 3, 4, 5]);
				expect(emu.runCount('barrier')).toBe(5);
				expect(emu.maxInFlight('barrier')).toBe(5);
				expect(emu.gatewayMaxInFlight).toBe(5);
				expect(emu.inFlight('barrier')).toBe(0);
				expect(emu.maxInFlight(U.echo)).toBe(0);
			} finally {
				emu.removeFunction('barrier');
			}
		});

		test('sequential calls never overlap; latencyMs delays the answer', async () => {
			const started = Date.now();
			for (let i = 0; i < 2; i += 1)
				expect((await invoke(emu, http, U.slow, { token })).status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(290);
			expect(emu.maxInFlight(U.slow)).toBe(1);
			expect(emu.gatewayMaxInFlight).toBe(1);
			expect(emu.runCount(U.slow)).toBe(2);
		});

		test('resetCounters and clearLog', async () => {
			await invoke(emu, http, U.echo, { token });
			await fetchToken(emu, http);
			expect(emu.runCount(U.echo)).toBe(1);
			expect(emu.tokensIssued).toBe(1);
			expect(emu.countOf('faasGW')).toBe(1);
			expect(emu.countOf('sentinel', (r) => r.status === 200)).toBe(1);
			expect(emu.countOf(undefined)).toBe(2);
			emu.resetCounters();
			emu.clearLog();
			expect(emu.runCount(U.echo)).toBe(0);
			expect(emu.tokensIssued).toBe(0);
			expect(emu.gatewayMaxInFlight).toBe(0);
			expect(emu.requests).toHaveLength(0);
		});

		test('requests are logged in arrival order across services', async () => {
			await http.get(
				`${emu.urls.csds}/api/account/${ACCOUNT}/service/faasGW/baseURI.json?version=1.0`,
			);
			await fetchToken(emu, http);
			await invoke(emu, http, U.echo, { token });
			expect(emu.requests.map((r) => r.service)).toEqual(['csds', 'sentinel', 'faasGW']);
			expect(emu.requests[2].query).toEqual({ v: '1', userId: 'tester' });
			expect(emu.requests.every((r) => r.startedAt <= r.endedAt)).toBe(true);
		});

		test('addFunction / removeFunction at runtime', async () => {
			emu.addFunction({ uuid: 'late', name: 'late', handler: async () => 'added' });
			expect((await invoke(emu, http, 'late', { token })).data).toBe('added');
			expect(emu.removeFunction('late')).toBe(true);
			expect((await invoke(emu, http, 'late', { token })).status).toBe(404);
		});
	});
});

describe('plain HTTP and lifecycle', () => {
	test('tls:false serves http and stop() closes every listener', async () => {
		const emu = await startEmulator({
			tls: false,
			functions: [{ uuid: 'u', name: 'u', handler: async () => 'plain' }],
		});
		const http = axios.create({ validateStatus: () => true });
		expect(emu.urls.faasGW).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const t = await fetchToken(emu, http);
		expect((await invoke(emu, http, 'u', { token: t })).data).toBe('plain');
		await emu.stop();
		await emu.stop(); // idempotent
		expect(
			await networkError(
				http.get(`${emu.urls.csds}/api/account/${ACCOUNT}/service/baseURI.json?version=1.0`),
			),
		).toBe('ECONNREFUSED');
	});

	test('cli.js prints its connection line, serves the examples and exits on SIGTERM', async () => {
		const child = spawn(
			process.execPath,
			[path.join(__dirname, '../../tools/emulator/cli.js'), '--http'],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		try {
			const line = await new Promise((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (d) => {
					out += d;
					if (out.includes('\n')) resolve(out.split('\n')[0]);
				});
				child.on('exit', (code) => reject(new Error(`cli exited early with ${code}`)));
			});
			const info = JSON.parse(line);
			expect(info).toMatchObject({
				accountId: ACCOUNT,
				clientId: 'n8n-test-client',
				clientSecret: 's3cr3t-Client-Secret-Value-0001',
				caPath: null,
			});
			const http = axios.create({ validateStatus: () => true });
			const fake = {
				urls: info.urls,
				accountId: info.accountId,
				clients: [{ clientId: info.clientId, clientSecret: info.clientSecret }],
			};
			const t = await fetchToken(fake, http);
			const res = await invoke(fake, http, EXAMPLE_UUIDS.greeting, {
				token: t,
				payload: { name: 'Ann' },
			});
			expect(res.data).toEqual({ greeting: 'Hello, Ann!' });
			const total = await invoke(fake, http, EXAMPLE_UUIDS.orderTotal, {
				token: t,
				payload: { items: [{ price: 0.1, quantity: 3 }, { price: 0.2 }] },
			});
			expect(total.data).toEqual({ total: 0.5, currency: 'USD', itemCount: 4 });
			const failed = await invoke(fake, http, EXAMPLE_UUIDS.failOnDemand, {
				token: t,
				payload: { fail: true },
			});
			expect(failed.status).toBe(901);
		} finally {
			const exited = new Promise((resolve) =>
				child.on('exit', (code, signal) => resolve({ code, signal })),
			);
			child.kill('SIGTERM');
			expect(await exited).toEqual({ code: 0, signal: null });
		}
	});
});

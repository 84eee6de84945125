'use strict';
// The emulator's Sentinel: the OAuth 2.0 authorization code grant (reference §3), driven the way n8n's own
// `oAuth2Api` credential drives it (grant type authorization code, client authentication "header" = HTTP Basic):
// authorize URL = configured URL + client_id, redirect_uri, response_type, state, scope; the token request is a form
// body {code, grant_type, redirect_uri} with an Authorization: Basic header; refresh is {refresh_token, grant_type}.

const https = require('node:https');
const axios = require('axios');
const jose = require('jose');
const { startEmulator } = require('../../tools/emulator');
const { decodeJwt } = require('../../tools/emulator/jwt');

const ACCOUNT = '123456';
const CALLBACK = 'http://localhost:5678/rest/oauth2-credential/callback';
const FN = '22222222-0000-4000-8000-000000000001';

function httpClient(emu) {
	return axios.create({
		httpsAgent: new https.Agent({ ca: emu.caPem, keepAlive: false }),
		validateStatus: () => true,
		maxRedirects: 0,
	});
}

const basic = (id, secret) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');
const authorizeUrl = (emu, account = ACCOUNT) =>
	`${emu.urls.sentinel}/sentinel/api/account/${account}/authorize?v=1.0`;
const tokenUrl = (emu, account = ACCOUNT, query = '?v=2.0') =>
	`${emu.urls.sentinel}/sentinel/api/account/${account}/token${query}`;

/** The authorize URL the way n8n's client builds it (URL + searchParams.append, undefined values left out). */
function buildAuthorize(emu, params = {}) {
	const url = new URL(authorizeUrl(emu));
	const all = {
		client_id: emu.clients[0].clientId,
		redirect_uri: CALLBACK,
		response_type: 'code',
		state: 'eyJ0b2tlbiI6InN0YXRlLTEifQ==',
		scope: '',
		...params,
	};
	for (const [key, value] of Object.entries(all)) {
		if (value !== undefined) url.searchParams.append(key, value);
	}
	return url.toString();
}

/** GET /authorize without following the redirect; returns the response and the parsed Location. */
async function authorize(emu, http, params) {
	const res = await http.get(buildAuthorize(emu, params));
	const location = res.headers.location ? new URL(res.headers.location) : null;
	return { res, location, query: location ? Object.fromEntries(location.searchParams) : null };
}

async function getCode(emu, http, params) {
	const { res, query } = await authorize(emu, http, params);
	expect(res.status).toBe(302);
	expect(query.code).toEqual(expect.any(String));
	return query.code;
}

function tokenRequest(emu, http, form, { auth, client = emu.clients[0], url } = {}) {
	const headers = { Accept: 'application/json' };
	const authorization = auth === undefined ? basic(client.clientId, client.clientSecret) : auth;
	if (authorization !== null) headers.Authorization = authorization;
	return http.post(url || tokenUrl(emu), new URLSearchParams(form), { headers });
}

const exchange = (emu, http, code, opts = {}) =>
	tokenRequest(
		emu,
		http,
		{ code, grant_type: 'authorization_code', redirect_uri: CALLBACK, ...(opts.form || {}) },
		opts,
	);

const refresh = (emu, http, refreshToken, opts = {}) =>
	tokenRequest(
		emu,
		http,
		{ refresh_token: refreshToken, grant_type: 'refresh_token', ...(opts.form || {}) },
		opts,
	);

async function userTokens(emu, http, params) {
	const res = await exchange(emu, http, await getCode(emu, http, params));
	expect(res.status).toBe(200);
	return res.data;
}

function invoke(emu, http, token) {
	return http.post(
		`${emu.urls.faasGW}/api/account/${ACCOUNT}/lambdas/${FN}/invoke?v=1&userId=lp-user-1`,
		{ timestamp: 1700000000000, headers: [], payload: { n: 1 } },
		{ headers: { Authorization: `Bearer ${token}` } },
	);
}

const list = (emu, http, token) =>
	http.get(`${emu.urls.faasUI}/api/account/${ACCOUNT}/lambdas/?v=1`, {
		headers: { Authorization: `Bearer ${token}` },
	});

describe('Sentinel authorization code grant', () => {
	let emu;
	let http;

	beforeAll(async () => {
		emu = await startEmulator({
			functions: [{ uuid: FN, name: 'echo', handler: async (input, ctx) => ({ input, ctx }) }],
		});
		http = httpClient(emu);
	});

	afterAll(async () => {
		await emu.stop();
	});

	beforeEach(() => {
		emu.clock.reset();
		emu.setAuthorizingUser('lp-user-1');
		emu.clearLog();
		emu.resetCounters();
	});

	test('full flow: authorize → 302 with code and state → Basic-authenticated exchange → user JWT + refresh token', async () => {
		expect(emu.users).toEqual([
			{ userId: 'lp-user-1', login: 'agent@example.com', scope: 'faas.lambda.invoke' },
		]);
		expect(emu.authorizingUser).toMatchObject({ userId: 'lp-user-1' });
		const { res, location, query } = await authorize(emu, http, { scope: 'openid' });
		expect(res.status).toBe(302);
		expect(res.headers['cache-control']).toBe('no-store');
		expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
		expect(Object.keys(query).sort()).toEqual(['code', 'state']);
		expect(query.state).toBe('eyJ0b2tlbiI6InN0YXRlLTEifQ==');
		expect(emu.seenRedirectUris()).toEqual([CALLBACK]);
		const [codeRecord] = emu.authorizationCodes();
		expect(codeRecord).toMatchObject({
			code: query.code,
			clientId: 'n8n-test-client',
			userId: 'lp-user-1',
			login: 'agent@example.com',
			requestedScope: 'openid',
			redirectUri: CALLBACK,
			used: false,
		});
		expect(codeRecord.expiresAt - codeRecord.issuedAt).toBe(60_000);

		const before = Math.floor(Date.now() / 1000);
		const tokenRes = await exchange(emu, http, query.code);
		expect(tokenRes.status).toBe(200);
		expect(tokenRes.headers['content-type']).toMatch(/^application\/json/);
		expect(tokenRes.headers['cache-control']).toBe('no-store');
		expect(Object.keys(tokenRes.data).sort()).toEqual([
			'access_token',
			'refresh_token',
			'token_type',
		]);
		expect(tokenRes.data.token_type).toBe('Bearer');
		expect(tokenRes.data.refresh_token).toMatch(/^[A-Za-z0-9_-]{40,}$/); // opaque, not a JWT

		const claims = decodeJwt(tokenRes.data.access_token);
		expect(claims).toMatchObject({
			aud: ACCOUNT,
			azp: 'n8n-test-client',
			scope: 'faas.lambda.invoke',
			iss: 'Sentinel',
			sub: 'lp-user-1',
		});
		expect(claims.iat).toBeGreaterThanOrEqual(before);
		expect(claims.exp - claims.iat).toBe(28800);
		const keySet = jose.createLocalJWKSet(
			(await http.get(`${emu.urls.sentinel}/sentinel/well-known/jwks`)).data,
		);
		await expect(
			jose.jwtVerify(tokenRes.data.access_token, keySet, { issuer: 'Sentinel', audience: ACCOUNT }),
		).resolves.toBeDefined();

		expect(emu.userTokensIssued).toBe(1);
		expect(emu.refreshes).toBe(0);
		expect(emu.tokensIssued).toBe(0); // the client credentials counter is separate
		expect(emu.issuedTokens().find((t) => t.token === tokenRes.data.access_token)).toMatchObject({
			kind: 'user',
			userId: 'lp-user-1',
			login: 'agent@example.com',
			clientId: 'n8n-test-client',
		});
		expect(emu.authorizationCodes()[0].used).toBe(true);

		// both requests are logged like any other; the token request carried Basic auth and no body credentials
		const [authEntry, tokenEntry] = emu.requestsOf('sentinel');
		expect(authEntry).toMatchObject({ method: 'GET', status: 302, outcome: 'answered' });
		expect(authEntry.query).toMatchObject({ v: '1.0', response_type: 'code', scope: 'openid' });
		expect(tokenEntry).toMatchObject({ method: 'POST', status: 200 });
		expect(tokenEntry.headers.authorization).toMatch(/^Basic /);
		expect(tokenEntry.body).toEqual({
			code: query.code,
			grant_type: 'authorization_code',
			redirect_uri: CALLBACK,
		});

		// codes, refresh tokens and access tokens are all secrets
		expect(emu.secrets()).toEqual(
			expect.arrayContaining([
				's3cr3t-Client-Secret-Value-0001',
				query.code,
				tokenRes.data.refresh_token,
				tokenRes.data.access_token,
			]),
		);
	});

	test('a code is one-time: the second exchange → 400 invalid_grant, the first tokens stay valid', async () => {
		const code = await getCode(emu, http);
		const first = await exchange(emu, http, code);
		expect(first.status).toBe(200);
		const second = await exchange(emu, http, code);
		expect(second.status).toBe(400);
		expect(second.data).toEqual({
			error: 'invalid_grant',
			error_description: 'authorization code was already used',
		});
		expect((await invoke(emu, http, first.data.access_token)).status).toBe(200);
		expect(emu.userTokensIssued).toBe(1);
	});

	test('a code expires after 60 s on the emulator clock', async () => {
		const fresh = await getCode(emu, http);
		emu.clock.advance(59);
		expect((await exchange(emu, http, fresh)).status).toBe(200);

		const stale = await getCode(emu, http);
		emu.clock.advance(60);
		const res = await exchange(emu, http, stale);
		expect(res.status).toBe(400);
		expect(res.data).toEqual({
			error: 'invalid_grant',
			error_description: 'authorization code expired',
		});
	});

	test('refresh returns a new access token and a new refresh token; the used refresh token is dead (rotation)', async () => {
		const initial = await userTokens(emu, http);
		emu.clock.advance(1800); // "refresh every 30 minutes"
		const before = Math.floor(Date.now() / 1000);
		const r1 = await refresh(emu, http, initial.refresh_token);
		expect(r1.status).toBe(200);
		expect(Object.keys(r1.data).sort()).toEqual(['access_token', 'refresh_token', 'token_type']);
		expect(r1.data.access_token).not.toBe(initial.access_token);
		expect(r1.data.refresh_token).not.toBe(initial.refresh_token);
		const claims = decodeJwt(r1.data.access_token);
		expect(claims).toMatchObject({
			sub: 'lp-user-1',
			azp: 'n8n-test-client',
			scope: 'faas.lambda.invoke',
		});
		expect(claims.iat).toBeGreaterThanOrEqual(before + 1800);
		expect(claims.exp - claims.iat).toBe(28800);

		const reused = await refresh(emu, http, initial.refresh_token);
		expect(reused.status).toBe(400);
		expect(reused.data.error).toBe('invalid_grant');
		expect(reused.data.error_description).toMatch(/already used/);

		const r2 = await refresh(emu, http, r1.data.refresh_token);
		expect(r2.status).toBe(200);
		expect(emu.refreshes).toBe(2);
		expect(emu.userTokensIssued).toBe(3);
		// the old access token was not revoked by the refresh
		expect((await invoke(emu, http, initial.access_token)).status).toBe(200);

		const records = emu.refreshTokens();
		const byToken = Object.fromEntries(records.map((r) => [r.token, r]));
		expect(byToken[initial.refresh_token]).toMatchObject({
			used: true,
			replacedBy: r1.data.refresh_token,
			userId: 'lp-user-1',
		});
		expect(byToken[r2.data.refresh_token]).toMatchObject({ used: false, revoked: false });
		expect(emu.secrets()).toEqual(
			expect.arrayContaining([initial.refresh_token, r1.data.refresh_token, r2.data.refresh_token]),
		);
		expect(emu.requestsOf('sentinel').at(-1).body).toEqual({
			refresh_token: r1.data.refresh_token,
			grant_type: 'refresh_token',
		});
	});

	test('two concurrent refreshes with the same token: exactly one succeeds', async () => {
		const { refresh_token: rt } = await userTokens(emu, http);
		const answers = await Promise.all([refresh(emu, http, rt), refresh(emu, http, rt)]);
		expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
		expect(emu.refreshes).toBe(1);
	});

	test('client authentication is HTTP Basic only: bad secret, unknown client, body credentials → 401 invalid_client', async () => {
		const code = await getCode(emu, http);
		const client = emu.clients[0];
		const cases = [
			{ auth: basic(client.clientId, 'wrong') },
			{ auth: basic('someone-else', client.clientSecret) },
			{ auth: null },
			{ auth: 'Bearer abc' },
			{ auth: 'Basic !!!' },
			{ auth: 'Basic ' + Buffer.from('no-colon').toString('base64') },
			// "Client Authentication: body" is not what this endpoint takes
			{ auth: null, form: { client_id: client.clientId, client_secret: client.clientSecret } },
			{ auth: null, form: { client_id: client.clientId } },
			// two methods at once, or a body client_id naming another client
			{ form: { client_secret: client.clientSecret } },
			{ form: { client_id: 'someone-else' } },
		];
		for (const c of cases) {
			const res = await exchange(emu, http, code, c);
			expect(res.status).toBe(401);
			expect(res.data.error).toBe('invalid_client');
			expect(res.headers['www-authenticate']).toBe('Basic realm="Sentinel"');
		}
		const rt = (await userTokens(emu, http)).refresh_token;
		const badRefresh = await refresh(emu, http, rt, { auth: basic(client.clientId, 'wrong') });
		expect(badRefresh.status).toBe(401);
		expect(badRefresh.data.error).toBe('invalid_client');

		// rejected requests consumed nothing: the code and the refresh token still work
		expect((await exchange(emu, http, code)).status).toBe(200);
		expect((await refresh(emu, http, rt)).status).toBe(200);
		// a body client_id equal to the Basic client is tolerated
		const same = await exchange(emu, http, await getCode(emu, http), {
			form: { client_id: client.clientId },
		});
		expect(same.status).toBe(200);
	});

	test('bad code, wrong redirect_uri, code of another client, bad refresh token → 400 invalid_grant / invalid_request', async () => {
		const other = await startEmulator({
			clients: [
				{ clientId: 'c1', clientSecret: 's1' },
				{ clientId: 'c2', clientSecret: 's2' },
			],
		});
		try {
			const h = httpClient(other);
			const c1 = other.clients[0];
			const c2 = other.clients[1];
			const code = await getCode(other, h, { client_id: 'c1' });

			const unknown = await exchange(other, h, 'no-such-code', { client: c1 });
			expect(unknown.status).toBe(400);
			expect(unknown.data).toEqual({
				error: 'invalid_grant',
				error_description: 'unknown authorization code',
			});
			const missing = await tokenRequest(
				other,
				h,
				{ grant_type: 'authorization_code', redirect_uri: CALLBACK },
				{ client: c1 },
			);
			expect(missing.status).toBe(400);
			expect(missing.data.error).toBe('invalid_request');
			const wrongRedirect = await exchange(other, h, code, {
				client: c1,
				form: { redirect_uri: 'http://localhost:5678/elsewhere' },
			});
			expect(wrongRedirect.status).toBe(400);
			expect(wrongRedirect.data.error).toBe('invalid_grant');
			expect(wrongRedirect.data.error_description).toMatch(/redirect_uri/);
			const noRedirect = await tokenRequest(
				other,
				h,
				{ grant_type: 'authorization_code', code },
				{ client: c1 },
			);
			expect(noRedirect.status).toBe(400);
			expect(noRedirect.data.error).toBe('invalid_grant');
			const stolen = await exchange(other, h, code, { client: c2 });
			expect(stolen.status).toBe(400);
			expect(stolen.data.error_description).toBe('authorization code was issued to another client');
			// still usable by its own client
			const ok = await exchange(other, h, code, { client: c1 });
			expect(ok.status).toBe(200);

			const rtUnknown = await refresh(other, h, 'not-a-refresh-token', { client: c1 });
			expect(rtUnknown.status).toBe(400);
			expect(rtUnknown.data.error).toBe('invalid_grant');
			const rtStolen = await refresh(other, h, ok.data.refresh_token, { client: c2 });
			expect(rtStolen.status).toBe(400);
			expect(rtStolen.data.error).toBe('invalid_grant');
			const rtMissing = await tokenRequest(
				other,
				h,
				{ grant_type: 'refresh_token' },
				{ client: c1 },
			);
			expect(rtMissing.status).toBe(400);
			expect(rtMissing.data.error).toBe('invalid_request');
			expect(other.userTokensIssued).toBe(1);
		} finally {
			await other.stop();
		}
	});

	test('token endpoint: wrong grant, missing v=2.0, unknown account, JSON body → 400', async () => {
		const code = await getCode(emu, http);
		const client = emu.clients[0];
		const cc = await tokenRequest(emu, http, {
			grant_type: 'client_credentials',
			client_id: client.clientId,
			client_secret: client.clientSecret,
		});
		expect(cc.status).toBe(400);
		expect(cc.data.error).toBe('unsupported_grant_type');
		const noGrant = await tokenRequest(emu, http, { code });
		expect(noGrant.status).toBe(400);
		expect(noGrant.data.error).toBe('invalid_request');
		const form = { code, grant_type: 'authorization_code', redirect_uri: CALLBACK };
		expect((await tokenRequest(emu, http, form, { url: tokenUrl(emu, ACCOUNT, '') })).status).toBe(
			400,
		);
		expect((await tokenRequest(emu, http, form, { url: tokenUrl(emu, '999') })).status).toBe(400);
		const asJson = await http.post(tokenUrl(emu), form, {
			headers: { Authorization: basic(client.clientId, client.clientSecret) },
		});
		expect(asJson.status).toBe(400);
		expect((await http.get(tokenUrl(emu))).status).toBe(405);
		// the authorization code grant is not served on the client credentials path
		const onApp = await tokenRequest(emu, http, form, {
			url: `${emu.urls.sentinel}/sentinel/api/account/${ACCOUNT}/app/token?v=2.0`,
		});
		expect(onApp.status).toBe(400);
		expect(onApp.data.error).toBe('unsupported_grant_type');
		expect((await exchange(emu, http, code)).status).toBe(200); // nothing above consumed the code
	});

	test('authorize: unknown client, bad redirect_uri, missing v, unknown account → 400 JSON, no redirect', async () => {
		const codesBefore = emu.authorizationCodes().length;
		const cases = [
			[{ client_id: 'someone-else' }, 'invalid_client'],
			[{ client_id: undefined }, 'invalid_request'],
			[{ redirect_uri: undefined }, 'invalid_request'],
			[{ redirect_uri: '/relative/callback' }, 'invalid_request'],
			[{ redirect_uri: 'ftp://example.com/cb' }, 'invalid_request'],
			[{ redirect_uri: 'javascript:alert(1)' }, 'invalid_request'],
			[{ redirect_uri: 'https://example.com/cb#frag' }, 'invalid_request'],
		];
		for (const [params, err] of cases) {
			const { res } = await authorize(emu, http, params);
			expect(res.status).toBe(400);
			expect(res.headers.location).toBeUndefined();
			expect(res.headers['content-type']).toMatch(/^application\/json/);
			expect(res.data.error).toBe(err);
		}
		const noV = await http.get(buildAuthorize(emu).replace('?v=1.0&', '?'));
		expect(noV.status).toBe(400);
		const badAccount = await http.get(
			buildAuthorize(emu).replace(`/account/${ACCOUNT}/`, '/account/999/'),
		);
		expect(badAccount.status).toBe(400);
		expect((await http.post(buildAuthorize(emu))).status).toBe(405);
		expect(emu.authorizationCodes()).toHaveLength(codesBefore);
		expect(emu.seenRedirectUris()).not.toContain('ftp://example.com/cb');
	});

	test('authorize: wrong response_type and a declining user are redirected back with error and state', async () => {
		const wrongType = await authorize(emu, http, { response_type: 'token' });
		expect(wrongType.res.status).toBe(302);
		expect(wrongType.query).toMatchObject({
			error: 'unsupported_response_type',
			state: 'eyJ0b2tlbiI6InN0YXRlLTEifQ==',
		});
		expect(wrongType.query.code).toBeUndefined();
		const noType = await authorize(emu, http, { response_type: undefined });
		expect(noType.query.error).toBe('invalid_request');

		emu.setAuthorizingUser(null);
		expect(emu.authorizingUser).toBeNull();
		const denied = await authorize(emu, http);
		expect(denied.res.status).toBe(302);
		expect(denied.query).toMatchObject({
			error: 'access_denied',
			state: 'eyJ0b2tlbiI6InN0YXRlLTEifQ==',
		});
		// no state sent → none returned
		emu.setAuthorizingUser('lp-user-1');
		const stateless = await authorize(emu, http, { state: undefined });
		expect(Object.keys(stateless.query)).toEqual(['code']);
	});

	test('a redirect_uri with its own query keeps it; code and state are appended', async () => {
		const uri = 'https://app.example.com/cb?tenant=a%20b&x=1';
		const { res } = await authorize(emu, http, { redirect_uri: uri });
		expect(res.status).toBe(302);
		expect(res.headers.location.startsWith(uri + '&code=')).toBe(true);
		const code = new URL(res.headers.location).searchParams.get('code');
		expect((await exchange(emu, http, code, { form: { redirect_uri: uri } })).status).toBe(200);
		expect(emu.seenRedirectUris()).toEqual(expect.arrayContaining([CALLBACK, uri]));
	});

	test('registered redirectUris: exact match only; an omitted redirect_uri uses the only registered one', async () => {
		const other = await startEmulator({
			clients: [{ clientId: 'reg', clientSecret: 'reg-secret', redirectUris: [CALLBACK] }],
		});
		try {
			const h = httpClient(other);
			expect(other.clients[0].redirectUris).toEqual([CALLBACK]);
			const good = await authorize(other, h, { client_id: 'reg' });
			expect(good.res.status).toBe(302);
			for (const redirect_uri of [
				CALLBACK + '/',
				'http://localhost:5679/rest/oauth2-credential/callback',
			]) {
				const bad = await authorize(other, h, { client_id: 'reg', redirect_uri });
				expect(bad.res.status).toBe(400);
				expect(bad.res.data.error_description).toMatch(/not registered/);
			}
			const implicit = await authorize(other, h, { client_id: 'reg', redirect_uri: undefined });
			expect(implicit.res.status).toBe(302);
			expect(implicit.res.headers.location.startsWith(CALLBACK + '?code=')).toBe(true);
			// redirect_uri was not in the authorization request, so the exchange needs none
			const res = await tokenRequest(
				other,
				h,
				{ grant_type: 'authorization_code', code: implicit.query.code },
				{ client: other.clients[0] },
			);
			expect(res.status).toBe(200);
		} finally {
			await other.stop();
		}
	});

	test('Basic credentials are accepted raw (as n8n sends them) and form-encoded (RFC 6749 §2.3.1)', async () => {
		const client = { clientId: 'id with:colon', clientSecret: 'p@ss word+/=' };
		const other = await startEmulator({ clients: [client] });
		try {
			const h = httpClient(other);
			const raw = await exchange(other, h, await getCode(other, h), {
				auth: basic(client.clientId, client.clientSecret),
			});
			// a colon in the client id cannot survive the raw form (the first colon splits): only encoded works
			expect(raw.status).toBe(401);
			const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
			const encoded = await exchange(other, h, await getCode(other, h), {
				auth: basic(enc(client.clientId), enc(client.clientSecret)),
			});
			expect(encoded.status).toBe(200);
		} finally {
			await other.stop();
		}
		const plain = { clientId: 'plain-id', clientSecret: 'se:cr+et' };
		const third = await startEmulator({ clients: [plain] });
		try {
			const h = httpClient(third);
			const raw = await exchange(third, h, await getCode(third, h), {
				auth: basic(plain.clientId, plain.clientSecret),
			});
			expect(raw.status).toBe(200);
		} finally {
			await third.stop();
		}
	});

	test('user tokens are accepted by the gateway and by a user-only listing; app tokens are not listed', async () => {
		const { access_token: userToken } = await userTokens(emu, http);
		const run = await invoke(emu, http, userToken);
		expect(run.status).toBe(200);
		expect(run.data.input.payload).toEqual({ n: 1 });

		const other = await startEmulator({
			listingAllowedFor: 'user-only',
			functions: [{ uuid: FN, name: 'echo' }],
		});
		try {
			const h = httpClient(other);
			const { access_token: otherUser } = await userTokens(other, h);
			const listed = await list(other, h, otherUser);
			expect(listed.status).toBe(200);
			expect(listed.data.map((f) => f.uuid)).toEqual([FN]);
			const app = await h.post(
				`${other.urls.sentinel}/sentinel/api/account/${ACCOUNT}/app/token?v=2.0`,
				new URLSearchParams({
					grant_type: 'client_credentials',
					client_id: other.clients[0].clientId,
					client_secret: other.clients[0].clientSecret,
				}),
			);
			expect((await list(other, h, app.data.access_token)).status).toBe(403);
		} finally {
			await other.stop();
		}
	});

	test('revokeTokens() kills access tokens but not refresh tokens; revokeRefreshTokens() kills refresh tokens', async () => {
		const first = await userTokens(emu, http);
		emu.revokeTokens();
		expect((await invoke(emu, http, first.access_token)).status).toBe(401);
		const renewed = await refresh(emu, http, first.refresh_token);
		expect(renewed.status).toBe(200);
		expect((await invoke(emu, http, renewed.data.access_token)).status).toBe(200);

		emu.revokeRefreshTokens();
		const dead = await refresh(emu, http, renewed.data.refresh_token);
		expect(dead.status).toBe(400);
		expect(dead.data).toEqual({
			error: 'invalid_grant',
			error_description: 'refresh token revoked',
		});
		// access tokens are untouched by revokeRefreshTokens(), and new authorizations work
		expect((await invoke(emu, http, renewed.data.access_token)).status).toBe(200);
		const again = await userTokens(emu, http);
		expect((await refresh(emu, http, again.refresh_token)).status).toBe(200);
	});

	test('a user token expires after 8 h on the emulator clock; a refresh gives a working one', async () => {
		const tokens = await userTokens(emu, http);
		emu.clock.advance(28799);
		expect((await invoke(emu, http, tokens.access_token)).status).toBe(200);
		emu.clock.advance(1);
		const expired = await invoke(emu, http, tokens.access_token);
		expect(expired.status).toBe(401);
		expect(expired.data.errorMsg).toBe('token expired');
		const renewed = await refresh(emu, http, tokens.refresh_token);
		expect(renewed.status).toBe(200);
		expect((await invoke(emu, http, renewed.data.access_token)).status).toBe(200);
	});

	test('users option, setAuthorizingUser, and a user without the FaaS-Invocation permission', async () => {
		const other = await startEmulator({
			functions: [{ uuid: FN, name: 'echo' }],
			users: [
				{ userId: 'u-admin', login: 'admin@example.com' },
				{ userId: 'u-noperm', login: 'viewer@example.com', scope: 'something.else' },
			],
		});
		try {
			const h = httpClient(other);
			expect(other.authorizingUser).toMatchObject({ userId: 'u-admin' }); // the first user by default
			const admin = await userTokens(other, h);
			expect(decodeJwt(admin.access_token).sub).toBe('u-admin');

			other.setAuthorizingUser('u-noperm');
			const viewer = await userTokens(other, h);
			const claims = decodeJwt(viewer.access_token);
			expect(claims).toMatchObject({ sub: 'u-noperm', scope: 'something.else' });
			expect((await invoke(other, h, viewer.access_token)).status).toBe(403);
			// refreshing keeps the user of the refresh token, whoever authorizes now
			other.setAuthorizingUser('u-admin');
			const renewed = await refresh(other, h, viewer.refresh_token);
			expect(decodeJwt(renewed.data.access_token).sub).toBe('u-noperm');

			expect(() => other.setAuthorizingUser('nobody')).toThrow(/unknown user/);
		} finally {
			await other.stop();
		}
		await expect(startEmulator({ users: [{ login: 'x' }] })).rejects.toThrow(/userId/);
	});

	test('refresh with a narrower scope is allowed; a wider one → 400 invalid_scope (token not consumed)', async () => {
		const tokens = await userTokens(emu, http);
		const wider = await refresh(emu, http, tokens.refresh_token, {
			form: { scope: 'faas.lambda.invoke admin' },
		});
		expect(wider.status).toBe(400);
		expect(wider.data.error).toBe('invalid_scope');
		const same = await refresh(emu, http, tokens.refresh_token, {
			form: { scope: 'faas.lambda.invoke' },
		});
		expect(same.status).toBe(200);
		expect(decodeJwt(same.data.access_token).scope).toBe('faas.lambda.invoke');
	});

	test('options: userTokenLifetimeSeconds, userTokenExpiresInField, authorizationCodeLifetimeSeconds, refreshTokenLifetimeSeconds', async () => {
		const other = await startEmulator({
			userTokenLifetimeSeconds: 600,
			userTokenExpiresInField: true,
			authorizationCodeLifetimeSeconds: 5,
			refreshTokenLifetimeSeconds: 3600,
		});
		try {
			const h = httpClient(other);
			const tokens = await userTokens(other, h);
			expect(tokens.expires_in).toBe(600);
			const claims = decodeJwt(tokens.access_token);
			expect(claims.exp - claims.iat).toBe(600);
			const code = await getCode(other, h);
			other.clock.advance(5);
			expect((await exchange(other, h, code)).data.error_description).toBe(
				'authorization code expired',
			);
			other.clock.advance(3600);
			const late = await refresh(other, h, tokens.refresh_token);
			expect(late.status).toBe(400);
			expect(late.data.error_description).toBe('refresh token expired');

			other.setUserTokenLifetime(60);
			const short = await userTokens(other, h);
			expect(short.expires_in).toBe(60);
			// emu.issueToken({kind:'user'}) uses the user lifetime too
			const minted = decodeJwt(await other.issueToken({ kind: 'user', userId: 'x' }));
			expect(minted.exp - minted.iat).toBe(60);
		} finally {
			await other.stop();
		}
		// tokenExpiresInField applies to user tokens unless userTokenExpiresInField says otherwise
		const third = await startEmulator({ tokenExpiresInField: true });
		try {
			const tokens = await userTokens(third, httpClient(third));
			expect(tokens.expires_in).toBe(28800);
		} finally {
			await third.stop();
		}
	});

	test('resetCounters() resets userTokensIssued and refreshes', async () => {
		const tokens = await userTokens(emu, http);
		await refresh(emu, http, tokens.refresh_token);
		expect(emu.userTokensIssued).toBe(2);
		expect(emu.refreshes).toBe(1);
		emu.resetCounters();
		expect(emu.userTokensIssued).toBe(0);
		expect(emu.refreshes).toBe(0);
	});

	test('faults apply to the new endpoints like to any other', async () => {
		const f = emu.fault({
			service: 'sentinel',
			match: { pathIncludes: '/token' },
			times: 1,
			action: { type: 'status', status: 503 },
		});
		const code = await getCode(emu, http);
		expect((await exchange(emu, http, code)).status).toBe(503);
		expect(f.hits).toBe(1);
		expect((await exchange(emu, http, code)).status).toBe(200);
		emu.clearFaults();
	});
});

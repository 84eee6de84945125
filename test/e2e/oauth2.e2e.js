'use strict';

/**
 * The node with the OAuth2 (user) credential inside real n8n: the authorization-code consent flow driven through
 * n8n's own REST API (no browser), then events, Get Many and n8n's own token refresh in `n8n execute` runs, each
 * checked against the node outputs (workflows/oauth2-*.expected.json) and the emulator's request log.
 */
const fs = require('fs');
const https = require('https');
const harness = require('../../tools/n8n/harness');
const { appCredential, userCredential } = require('../../tools/emulator/credentials');
const { startSuite, restSession, CREDENTIAL } = require('./n8n');
const { leakedSecrets } = require('../helpers/secrets');

const OAUTH2 = {
	id: 'lpfE2eOAuth2',
	name: 'LivePerson OAuth2 e2e',
	type: 'livePersonFunctionsOAuth2Api',
};
/** The Conversational Cloud user who approves the consent (the emulator has no login page). */
const USER = { userId: 'lp-agent-42', login: 'agent42@example.com' };
const USER_TOKEN_LIFETIME = 8 * 3600;
const EVENT = 'conversational_command';
const UNBOUND_EVENT = 'e2e_unbound_event';
const UUIDS = {
	greeting: 'e2e0a000-0000-4000-8000-000000000001',
	audit: 'e2e0a000-0000-4000-8000-000000000002',
	draft: 'e2e0a000-0000-4000-8000-000000000003',
	echo: 'e2e0a000-0000-4000-8000-000000000004',
	modified: 'e2e0a000-0000-4000-8000-000000000005',
};

/** Two deployed functions bound to one event, a Draft bound to another (so that event runs nothing), two unbound. */
const oauth2Functions = () => {
	const userId = (ctx) => ctx.request.query.userId ?? null;
	return [
		{
			uuid: UUIDS.greeting,
			name: 'greeting',
			eventId: EVENT,
			handler: async (input, ctx) => ({
				function: 'greeting',
				greeting: `Hello, ${input.payload.name}`,
				userId: userId(ctx),
			}),
		},
		{
			uuid: UUIDS.audit,
			name: 'audit-log',
			eventId: EVENT,
			handler: async (input, ctx) => ({
				function: 'audit-log',
				logged: input.payload.name,
				eventId: ctx.eventId,
				userId: userId(ctx),
			}),
		},
		{
			uuid: UUIDS.draft,
			name: 'draft-greeting',
			state: 'Draft',
			eventId: UNBOUND_EVENT,
			handler: async () => ({ function: 'draft-greeting' }),
		},
		{
			uuid: UUIDS.echo,
			name: 'echo',
			handler: async (input, ctx) => ({ payload: input.payload, userId: userId(ctx) }),
		},
		{
			uuid: UUIDS.modified,
			name: 'modified-echo',
			state: 'Modified',
			handler: async (input) => ({ payload: input.payload }),
		},
	];
};

let suite;
let emu;
let instance;
/** Everything n8n printed or answered in this file, beside what the suite keeps: checked for secrets at the end. */
const outputsSeen = [];
/** Set once the consent flow through n8n's REST API stored tokens in the credential. */
let connectedThroughN8n = false;

beforeAll(async () => {
	suite = await startSuite({
		emulator: {
			functions: oauth2Functions(),
			users: [USER],
			listingAllowedFor: 'user-only',
			userTokenLifetimeSeconds: USER_TOKEN_LIFETIME,
		},
		credentials: (e) => [
			{ ...OAUTH2, data: userCredential(e) },
			{ ...CREDENTIAL, data: appCredential(e) },
		],
	});
	({ emu, instance } = suite);
});
afterAll(async () => {
	if (suite) expect(leakedSecrets(emu, [...suite.seen, ...outputsSeen])).toEqual([]);
	await suite?.stop();
});

// ---------------------------------------------------------------- helpers

const execute = (name) => suite.attempt(name);
const run = (name) => suite.execute(name);
const expected = (name) => suite.expected(name);
const items = (result, node, output) => suite.items(result, node, output);
const outputs = (result, node) => suite.outputs(result, node);

function expectFixture(result, name) {
	for (const [node, want] of Object.entries(expected(name))) {
		expect({ node, outputs: outputs(result, node).slice(0, want.length) }).toMatchObject({
			node,
			outputs: want,
		});
	}
}

const sentinelCalls = (suffix) =>
	emu.requestsOf('sentinel').filter((request) => request.path.endsWith(suffix));
const gatewayCalls = (suffix) =>
	emu.requestsOf('faasGW').filter((request) => request.path.endsWith(suffix));
const basicPair = (header) =>
	Buffer.from(String(header).replace(/^Basic /, ''), 'base64').toString('utf8');
const bearerClaims = (request) =>
	JSON.parse(
		Buffer.from(
			String(request.headers.authorization)
				.replace(/^Bearer /, '')
				.split('.')[1],
			'base64url',
		).toString('utf8'),
	);

/** GET over HTTPS trusting the emulator's CA, never following redirects (what a browser's first hop sees). */
function httpsGet(url) {
	return new Promise((resolve, reject) => {
		https
			.get(url, { ca: emu.caPem }, (response) => {
				let body = '';
				response.on('data', (chunk) => (body += chunk));
				response.on('end', () =>
					resolve({ status: response.statusCode, headers: response.headers, body }),
				);
			})
			.on('error', reject);
	});
}

function httpsPostForm(url, form, authorization) {
	return new Promise((resolve, reject) => {
		const body = new URLSearchParams(form).toString();
		const request = https.request(
			url,
			{
				method: 'POST',
				ca: emu.caPem,
				headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
			},
			(response) => {
				let text = '';
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => resolve({ status: response.statusCode, json: JSON.parse(text) }));
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

/**
 * Only if the consent flow through n8n could not connect the credential: the same code flow run by the test
 * itself against the emulator, and the tokens imported into the credential, so cases 2-4 still run.
 */
async function connectWithoutN8n() {
	const redirectUri = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';
	const base = `${emu.urls.sentinel}/sentinel/api/account/${emu.accountId}`;
	const query = new URLSearchParams({
		v: '1.0',
		response_type: 'code',
		client_id: emu.clients[0].clientId,
		redirect_uri: redirectUri,
		state: 'fallback',
	});
	const authorize = await httpsGet(`${base}/authorize?${query}`);
	const code = new URL(authorize.headers.location).searchParams.get('code');
	const { clientId, clientSecret } = emu.clients[0];
	const token = await httpsPostForm(
		`${base}/token?v=2.0`,
		{ grant_type: 'authorization_code', code, redirect_uri: redirectUri },
		`Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
	);
	const { access_token, refresh_token, token_type } = token.json;
	await instance.importCredentials([
		{
			...OAUTH2,
			data: { ...userCredential(emu), oauthTokenData: { access_token, refresh_token, token_type } },
		},
	]);
}

// ---------------------------------------------------------------- 1. consent flow through n8n's REST API

describe("1. the OAuth2 consent flow driven through n8n's REST API, no browser", () => {
	let server;
	let session;
	const rest = (...args) => session.rest(...args);
	const cookieHeader = () => session.cookieHeader();

	/** What the browser does with the Location n8n's callback is sent to: a GET with the n8n session cookie (or not). */
	async function openCallback(url, { withCookie = true } = {}) {
		const response = await fetch(url, {
			redirect: 'manual',
			headers: withCookie ? { cookie: cookieHeader() } : {},
		});
		const text = await response.text();
		outputsSeen.push(text);
		return { status: response.status, text };
	}

	beforeAll(async () => {
		const port = await harness.freePort();
		// n8n's redirect_uri is {instance base URL}/rest/oauth2-credential/callback; without N8N_EDITOR_BASE_URL the base
		// is http://localhost:{N8N_PORT}, which may resolve to ::1 while n8n listens on 127.0.0.1 only.
		server = await instance.start({
			port,
			env: { N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}` },
		});
		session = restSession(server.url, outputsSeen, 'e2e-oauth2-browser');
		await session.setupOwner();
	});
	afterAll(async () => {
		await instance.stop();
		if (server) outputsSeen.push(fs.readFileSync(server.logFile, 'utf8'));
	});

	test.each([
		['a Sentinel host with a path and query', { sentinelHost: 'evil.example/x?' }],
		['a Sentinel host with user info', { sentinelHost: 'user@evil.example' }],
		['an account ID that is a path', { accountId: '../../evil' }],
		['an account ID with an @', { accountId: 'a@evil.example' }],
	])(
		'%s: the authorize URL n8n builds goes nowhere (.invalid), not where the text points',
		async (_, fields) => {
			const hostile = { ...OAUTH2, id: 'lpfE2eOAuth2Hostile', name: 'hostile' };
			await instance.importCredentials([{ ...hostile, data: userCredential(emu, fields) }]);
			const authorizeUrl = new URL(await rest('GET', `/oauth2-credential/auth?id=${hostile.id}`));
			expect(authorizeUrl.hostname).toBe('sentinel-host-or-account-id-not-valid.invalid');
			expect(authorizeUrl.href).not.toContain('evil');
		},
	);

	test("authorize URL from n8n, consent at Sentinel, n8n's callback exchanges the code with HTTP Basic: the credential is connected", async () => {
		emu.clearLog();
		const callbackUrl = `${server.url}/rest/oauth2-credential/callback`;

		// n8n computes the authorize URL from the credential (custom Sentinel host, account) and its own callback.
		const authorizeUrl = new URL(await rest('GET', `/oauth2-credential/auth?id=${OAUTH2.id}`));
		expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(
			`${emu.urls.sentinel}/sentinel/api/account/${emu.accountId}/authorize`,
		);
		const sent = Object.fromEntries(authorizeUrl.searchParams);
		expect(sent).toEqual(
			expect.objectContaining({
				v: '1.0',
				client_id: emu.clients[0].clientId,
				redirect_uri: callbackUrl,
				response_type: 'code',
				state: expect.any(String),
			}),
		);
		expect(emu.requests).toHaveLength(0); // n8n itself sent nothing yet

		// The "browser" opens it: Sentinel answers 302 to n8n's callback with a code and the same state.
		const consent = await httpsGet(authorizeUrl.href);
		expect(consent.status).toBe(302);
		const location = new URL(consent.headers.location);
		expect(`${location.origin}${location.pathname}`).toBe(callbackUrl);
		expect(location.searchParams.get('state')).toBe(sent.state);
		expect(location.searchParams.get('code')).toEqual(expect.any(String));

		// n8n refuses the callback without the session of the user who started the flow, before calling Sentinel.
		const stranger = await openCallback(location.href, { withCookie: false });
		expect(stranger.text).toContain('Error: Unauthorized');
		expect(sentinelCalls('/token')).toHaveLength(0);

		// With the session cookie: n8n exchanges the code and stores the tokens.
		const callback = await openCallback(location.href);
		expect({
			status: callback.status,
			page: callback.text.includes('Connection successful') ? 'success' : callback.text,
		}).toEqual({ status: 200, page: 'success' });

		const [authorize] = sentinelCalls('/authorize');
		expect(authorize.query).toEqual(
			expect.objectContaining({
				client_id: emu.clients[0].clientId,
				redirect_uri: callbackUrl,
				response_type: 'code',
			}),
		);
		const tokenCalls = sentinelCalls('/token');
		expect(tokenCalls).toHaveLength(1);
		const [exchange] = tokenCalls;
		expect(exchange.method).toBe('POST');
		expect(exchange.query).toEqual({ v: '2.0' });
		expect(basicPair(exchange.headers.authorization)).toBe(
			`${emu.clients[0].clientId}:${emu.clients[0].clientSecret}`,
		);
		expect(exchange.body).toEqual(
			expect.objectContaining({
				grant_type: 'authorization_code',
				code: location.searchParams.get('code'),
				redirect_uri: callbackUrl,
			}),
		);
		expect(exchange.body.client_secret).toBeUndefined();
		expect(exchange.status).toBe(200);
		expect(emu.userTokensIssued).toBe(1);
		expect(emu.authorizationCodes()).toEqual([
			expect.objectContaining({ userId: USER.userId, redirectUri: callbackUrl, used: true }),
		]);

		// n8n shows the credential as connected (it never returns the tokens or the secret).
		const stored = await rest('GET', `/credentials/${OAUTH2.id}?includeData=true`);
		expect(stored.data.oauthTokenData).toBe(true);
		expect(stored.data.clientSecret).not.toBe(emu.clients[0].clientSecret);
		connectedThroughN8n = true;
	});

	test("the connected credential works: Invoke by UUID in `n8n execute` with the user's token and userId, no new token", async () => {
		expect(connectedThroughN8n).toBe(true);
		emu.clearLog();
		const result = await run('oauth2-invoke');
		expectFixture(result, 'oauth2-invoke');
		expect(items(result, 'Echo').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		const invokes = gatewayCalls('/invoke');
		expect(
			invokes.map((request) => [request.status, request.query.userId, bearerClaims(request).sub]),
		).toEqual(Array(3).fill([200, USER.userId, USER.userId]));
		expect(emu.requestsOf('sentinel')).toHaveLength(0);
	});

	test('with Sentinel "lo" n8n sends the user to https://lo.sentinel.liveperson.net/.../authorize?v=1.0', async () => {
		emu.clearLog();
		const created = await rest('POST', '/credentials', {
			name: 'LivePerson OAuth2 EMEA',
			type: OAUTH2.type,
			data: {
				accountId: '87654321',
				sentinel: 'lo',
				clientId: 'emea-client',
				clientSecret: 'emea-client-secret-not-used',
			},
		});
		const authorizeUrl = await rest('GET', `/oauth2-credential/auth?id=${created.id}`);
		expect(
			authorizeUrl.startsWith(
				'https://lo.sentinel.liveperson.net/sentinel/api/account/87654321/authorize?v=1.0&',
			),
		).toBe(true);
		expect(Object.fromEntries(new URL(authorizeUrl).searchParams)).toEqual(
			expect.objectContaining({
				client_id: 'emea-client',
				redirect_uri: `${server.url}/rest/oauth2-credential/callback`,
				response_type: 'code',
			}),
		);
		expect(emu.requests).toHaveLength(0);
	});
});

// ---------------------------------------------------------------- 2-4. `n8n execute` with the connected credential

describe('with the connected OAuth2 credential', () => {
	beforeAll(async () => {
		if (connectedThroughN8n) return;
		// Case 1 failed (see its error) or was filtered out: still prove cases 2-4, with tokens the test got itself.
		process.stderr.write(
			'oauth2.e2e: the credential was not connected through n8n (case 1 failed or did not run); importing tokens instead\n',
		);
		await connectWithoutN8n();
	});

	test('2. events: two bound functions as a list and split (paired), an event without functions, isImplemented true/false', async () => {
		emu.clearLog();
		emu.resetCounters();
		const result = await run('oauth2-events');
		expectFixture(result, 'oauth2-events');
		expect(items(result, 'Event list').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
		expect(items(result, 'Event split').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
		]);
		expect(items(result, 'Event split, added').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
		]);
		expect(items(result, 'No functions').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);

		const invokes = gatewayCalls('/invoke');
		const invokeCounts = {};
		for (const request of invokes)
			invokeCounts[request.path] = (invokeCounts[request.path] ?? 0) + 1;
		expect(invokeCounts).toEqual({
			[`/api/account/${emu.accountId}/events/${EVENT}/invoke`]: 6,
			[`/api/account/${emu.accountId}/events/${UNBOUND_EVENT}/invoke`]: 2,
		});
		// Every invocation on behalf of the user: userId from the token's sub, the user's token, V1.
		expect(
			invokes.every(
				(request) =>
					request.status === 200 &&
					request.query.v === '1' &&
					request.query.userId === USER.userId &&
					bearerClaims(request).sub === USER.userId,
			),
		).toBe(true);
		expect(emu.runCount(UUIDS.greeting)).toBe(6);
		expect(emu.runCount(UUIDS.audit)).toBe(6);
		expect(emu.runCount(UUIDS.draft)).toBe(0);

		const checks = gatewayCalls('/isImplemented').map((request) => ({
			path: request.path,
			method: request.method,
			status: request.status,
			skillId: request.query.skillId,
		}));
		expect(checks.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
			{
				path: `/api/account/${emu.accountId}/events/${EVENT}/isImplemented`,
				method: 'GET',
				status: 200,
				skillId: undefined,
			},
			{
				path: `/api/account/${emu.accountId}/events/${UNBOUND_EVENT}/isImplemented`,
				method: 'GET',
				status: 200,
				skillId: '42',
			},
		]);
		expect(emu.requestsOf('sentinel')).toHaveLength(0); // the stored user token is reused
	});

	describe('3. Get Many (listing needs a user: emulator listingAllowedFor "user-only")', () => {
		test('with the OAuth2 credential: the deployed functions, name and state filters, limit', async () => {
			emu.clearLog();
			const result = await run('oauth2-list');
			expectFixture(result, 'oauth2-list');
			const lists = emu.requestsOf('faasUI');
			expect(lists).toHaveLength(4);
			for (const request of lists) {
				expect({
					path: request.path,
					status: request.status,
					v: request.query.v,
					userId: request.query.userId,
					sub: bearerClaims(request).sub,
				}).toEqual({
					path: `/api/account/${emu.accountId}/lambdas/`,
					status: 200,
					v: '1',
					userId: USER.userId,
					sub: USER.userId,
				});
			}
			const states = lists
				.map((request) => [].concat(request.query.state ?? []))
				.sort((a, b) => a.length - b.length || a.join().localeCompare(b.join()));
			expect(states).toEqual([[], [], ['Productive'], ['Draft', 'Modified']]);
		});

		test('with the client-credentials credential: refused, and the error says so and points to the OAuth2 credential', async () => {
			emu.clearLog();
			const continued = await run('oauth2-list-app');
			expectFixture(continued, 'oauth2-list-app');
			const [{ error }] = outputs(continued, 'List with the app')[0];
			expect(error.description).toContain('This credential may not list functions');
			expect(error.description).toContain('LivePerson Functions OAuth2 API credential');
			expect(
				emu.requestsOf('faasUI').map((request) => [request.status, bearerClaims(request).sub]),
			).toEqual([[403, undefined]]);
			expect(sentinelCalls('/app/token')).toHaveLength(1);

			// Without "continue on fail" the run fails with the same advice on the node's error.
			emu.clearLog();
			const stopped = await execute('oauth2-list-app-stop');
			expect(stopped.ok).toBe(false);
			const nodeError = stopped.runData['List with the app'][0].error;
			expect(nodeError.message).toContain('LivePerson refused the access token (HTTP 403)');
			expect(nodeError.description).toContain('This credential may not list functions');
			expect(nodeError.description).toContain('LivePerson Functions OAuth2 API credential');
			expect(emu.requestsOf('faasUI').map((request) => request.status)).toEqual([403]);
		});
	});

	test('4. an expired user token: n8n refreshes it once (refresh_token grant, HTTP Basic), stores the rotated tokens, and the run succeeds', async () => {
		const { clientId, clientSecret } = emu.clients[0];
		const refreshOnce = async () => {
			emu.clearLog();
			emu.resetCounters();
			emu.clock.advance(USER_TOKEN_LIFETIME + 60); // the stored access token is now expired for the gateway
			const result = await run('oauth2-invoke');
			expectFixture(result, 'oauth2-invoke');
			expect(emu.refreshes).toBe(1);
			const tokenCalls = emu.requestsOf('sentinel');
			expect(tokenCalls.map((request) => [request.method, request.path, request.status])).toEqual([
				['POST', `/sentinel/api/account/${emu.accountId}/token`, 200],
			]);
			expect(tokenCalls[0].body).toEqual({
				grant_type: 'refresh_token',
				refresh_token: expect.any(String),
			});
			expect(basicPair(tokenCalls[0].headers.authorization)).toBe(`${clientId}:${clientSecret}`);
			const statuses = gatewayCalls('/invoke').map((request) => request.status);
			expect(statuses.filter((status) => status === 200)).toHaveLength(3);
			expect(statuses.filter((status) => status !== 200).every((status) => status === 401)).toBe(
				true,
			);
			expect(statuses).toContain(401);
			expect(
				gatewayCalls('/invoke')
					.filter((request) => request.status === 200)
					.every((request) => bearerClaims(request).sub === USER.userId),
			).toBe(true);
		};

		await refreshOnce();

		// The renewed token was stored: the next run uses it, nothing sent to Sentinel.
		emu.clearLog();
		await run('oauth2-invoke');
		expect(emu.requestsOf('sentinel')).toHaveLength(0);
		expect(gatewayCalls('/invoke').map((request) => request.status)).toEqual([200, 200, 200]);

		// Expired again: the refresh works with the rotated refresh token n8n stored (the first one is used up).
		await refreshOnce();
		const chain = emu.refreshTokens();
		expect(chain.map((token) => ({ used: token.used, userId: token.userId }))).toEqual([
			{ used: true, userId: USER.userId },
			{ used: true, userId: USER.userId },
			{ used: false, userId: USER.userId },
		]);
		expect(chain[0].replacedBy === chain[1].token && chain[1].replacedBy === chain[2].token).toBe(
			true,
		);
	});
});

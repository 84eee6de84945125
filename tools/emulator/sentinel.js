'use strict';
// Sentinel, LivePerson's authorization server (reference §2 and §3).
//
// Client credentials grant (§2), client authentication in the BODY:
//   POST /sentinel/api/account/{accountId}/app/token?v=2.0
//        Content-Type: application/x-www-form-urlencoded
//        grant_type=client_credentials&client_id=...&client_secret=...
//   → {"access_token":"<JWT>","token_type":"Bearer"}        (+ "expires_in" only with option tokenExpiresInField)
//
// Authorization code grant (§3, on behalf of a Conversational Cloud user), client authentication in the HEADER:
//   GET  /sentinel/api/account/{accountId}/authorize?v=1.0&response_type=code&client_id&redirect_uri&state&scope
//        → 302 Location: {redirect_uri}?code=<one-time code>&state=<state>   (the login/consent page is skipped:
//          the emulator's "authorizing user" approves at once)
//   POST /sentinel/api/account/{accountId}/token?v=2.0
//        Authorization: Basic base64(client_id:client_secret)
//        grant_type=authorization_code&code&redirect_uri   |   grant_type=refresh_token&refresh_token[&scope]
//   → {"access_token":"<user JWT>","token_type":"Bearer","refresh_token":"<opaque>"}
//        (+ "expires_in" only with option userTokenExpiresInField)
//
//   GET  /sentinel/well-known/jwks → public keys
//
// Errors follow OAuth 2.0 (RFC 6749 §4.1.2.1, §5.2): {"error","error_description"}. At /authorize, a bad client_id or
// redirect_uri is answered 400 JSON (never redirected); every later problem goes back to the redirect_uri as
// ?error=...&error_description=...&state=... like a real authorization server does.
// The emulator is deliberately strict where the reference is explicit (form body, v=2.0 / v=1.0, credentials in the
// body for /app/token and in the header for /token) so a client that deviates fails here rather than in production.

const { json } = require('./respond');

const APP_TOKEN = /^\/sentinel\/api\/account\/([^/]+)\/app\/token$/;
const USER_TOKEN = /^\/sentinel\/api\/account\/([^/]+)\/token$/;
const AUTHORIZE = /^\/sentinel\/api\/account\/([^/]+)\/authorize$/;
const JWKS = '/sentinel/well-known/jwks';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

const oauthError = (status, error, description, headers) =>
	json(status, description ? { error, error_description: description } : { error }, headers);

const error = (state, entry, status, _kind, message) =>
	oauthError(status, status === 413 ? 'invalid_request' : 'server_error', message);

async function handle({ state, entry }) {
	if (entry.path === JWKS) {
		if (entry.method !== 'GET')
			return oauthError(405, 'invalid_request', `${entry.method} not allowed`);
		return json(200, state.signer.jwks());
	}
	let m;
	if ((m = APP_TOKEN.exec(entry.path))) return appToken(state, entry, decodeURIComponent(m[1]));
	if ((m = USER_TOKEN.exec(entry.path))) return userToken(state, entry, decodeURIComponent(m[1]));
	if ((m = AUTHORIZE.exec(entry.path))) return authorize(state, entry, decodeURIComponent(m[1]));
	return oauthError(404, 'not_found', `no such Sentinel resource: ${entry.path}`);
}

// ---------------------------------------------------------------- token endpoints (shared checks)

/** Method, v=2.0, account, form body, grant_type present and allowed. Returns an error answer or null. */
function tokenRequestProblem(state, entry, account, allowedGrants) {
	if (entry.method !== 'POST')
		return oauthError(405, 'invalid_request', `${entry.method} not allowed`);
	if (entry.query.v !== '2.0')
		return oauthError(400, 'invalid_request', 'query parameter v=2.0 is required');
	if (account !== state.options.accountId)
		return oauthError(400, 'invalid_request', `unknown account ${account}`);
	const contentType = String(entry.headers['content-type'] || '').toLowerCase();
	if (!contentType.includes('application/x-www-form-urlencoded')) {
		return oauthError(400, 'invalid_request', 'body must be application/x-www-form-urlencoded');
	}
	const grantType = (entry.body || {}).grant_type;
	if (!grantType) return oauthError(400, 'invalid_request', 'grant_type is required');
	if (!allowedGrants.includes(grantType)) {
		return oauthError(
			400,
			'unsupported_grant_type',
			`grant_type ${grantType} is not supported here`,
		);
	}
	return null;
}

/** A form parameter that must be present once (a repeated one arrives as an array). */
const single = (value) => (typeof value === 'string' && value !== '' ? value : null);

// ---------------------------------------------------------------- client credentials grant (§2)

async function appToken(state, entry, account) {
	const problem = tokenRequestProblem(state, entry, account, ['client_credentials']);
	if (problem) return problem;
	const form = entry.body;
	const client = state.clients.find((c) => c.clientId === form.client_id);
	if (
		!form.client_id ||
		!form.client_secret ||
		!client ||
		client.clientSecret !== form.client_secret
	) {
		// Same answer for unknown client and wrong secret (do not reveal which one was wrong).
		return oauthError(401, 'invalid_client', 'Client authentication failed');
	}

	const { token } = await state.tokens.issue({ clientId: client.clientId, kind: 'app' });
	state.counters.tokensIssued += 1;
	const answer = { access_token: token, token_type: 'Bearer' };
	if (state.options.tokenExpiresInField) answer.expires_in = state.options.tokenLifetimeSeconds;
	return json(200, answer, NO_STORE);
}

// ---------------------------------------------------------------- authorization code grant (§3): /authorize

/**
 * The redirect_uri of an authorization request. A client with `redirectUris` accepts exactly those (and an absent
 * redirect_uri when it has exactly one); a client without accepts any absolute http(s) URI (recorded, see
 * emu.seenRedirectUris). Returns { ok: true, uri, given } or { ok: false, reason }.
 */
function resolveRedirect(client, given) {
	const registered = client.redirectUris;
	if (given === undefined || given === '') {
		if (registered && registered.length === 1)
			return { ok: true, uri: registered[0], given: false };
		return { ok: false, reason: 'redirect_uri is required' };
	}
	if (Array.isArray(given)) return { ok: false, reason: 'redirect_uri given more than once' };
	let url;
	try {
		url = new URL(given);
	} catch {
		return { ok: false, reason: 'redirect_uri is not an absolute URI' };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		return { ok: false, reason: 'redirect_uri must be an http or https URI' };
	if (given.includes('#')) return { ok: false, reason: 'redirect_uri must not contain a fragment' };
	if (registered && !registered.includes(given)) {
		return {
			ok: false,
			reason: `redirect_uri ${given} is not registered for client ${client.clientId}`,
		};
	}
	return { ok: true, uri: given, given: true };
}

/** 302 to the redirect URI with these parameters added to its query (its own query is kept as it is). */
function redirectTo(uri, params) {
	const query = new URLSearchParams();
	for (const [key, value] of Object.entries(params)) {
		if (value !== undefined && value !== null) query.append(key, value);
	}
	const separator = !uri.includes('?') ? '?' : /[?&]$/.test(uri) ? '' : '&';
	return {
		status: 302,
		headers: { location: uri + separator + query.toString(), ...NO_STORE },
		body: '',
	};
}

function authorize(state, entry, account) {
	if (entry.method !== 'GET')
		return oauthError(405, 'invalid_request', `${entry.method} not allowed`);
	const q = entry.query;
	if (q.v !== '1.0') return oauthError(400, 'invalid_request', 'query parameter v=1.0 is required');
	if (account !== state.options.accountId)
		return oauthError(400, 'invalid_request', `unknown account ${account}`);

	// Not redirected (RFC 6749 §4.1.2.1): the redirect target cannot be trusted yet.
	const clientId = single(q.client_id);
	if (!clientId) return oauthError(400, 'invalid_request', 'client_id is required (once)');
	const client = state.clients.find((c) => c.clientId === clientId);
	if (!client) return oauthError(400, 'invalid_client', `unknown client_id ${clientId}`);
	const redirect = resolveRedirect(client, q.redirect_uri);
	if (!redirect.ok) return oauthError(400, 'invalid_request', redirect.reason);
	state.grants.recordRedirect(client.clientId, redirect.uri);

	// From here on, errors go back to the client through the redirect URI.
	const st = Array.isArray(q.state) ? undefined : q.state;
	const back = (params) => redirectTo(redirect.uri, { ...params, state: st });
	const backError = (err, description) => back({ error: err, error_description: description });
	for (const name of ['response_type', 'scope', 'state']) {
		if (Array.isArray(q[name]))
			return backError('invalid_request', `parameter ${name} given more than once`);
	}
	if (!q.response_type) return backError('invalid_request', 'response_type is required');
	if (q.response_type !== 'code') {
		return backError(
			'unsupported_response_type',
			`response_type ${q.response_type} is not supported`,
		);
	}
	const user = state.authorizingUser();
	if (!user) return backError('access_denied', 'the user denied the authorization request');

	const record = state.grants.issueCode({
		client,
		user,
		redirectUri: redirect.uri,
		redirectUriGiven: redirect.given,
		requestedScope: q.scope,
		state: st,
	});
	return back({ code: record.code });
}

// ---------------------------------------------------------------- authorization code grant (§3): /token

/** Basic credentials → [clientId, secret] pairs to try: as sent, and form-decoded (RFC 6749 §2.3.1). */
function basicCandidates(header) {
	const m = /^Basic[ ]+([A-Za-z0-9+/=_-]+)\s*$/i.exec(String(header));
	if (!m) return null;
	const decoded = Buffer.from(m[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return null;
	const pair = [decoded.slice(0, colon), decoded.slice(colon + 1)];
	const candidates = [pair];
	try {
		const formDecode = (s) => decodeURIComponent(s.replace(/\+/g, ' '));
		const alt = pair.map(formDecode);
		if (alt[0] !== pair[0] || alt[1] !== pair[1]) candidates.push(alt);
	} catch {
		// not form-encoded: only the raw pair
	}
	return candidates;
}

/**
 * "Client Authentication: header": HTTP Basic only. Credentials in the body are refused (a client_secret in the body
 * always; a body client_id that differs from the authenticated client too; a matching one is tolerated).
 */
function authenticateClient(state, entry, form) {
	const deny = (description) => ({
		ok: false,
		answer: oauthError(401, 'invalid_client', description, {
			'www-authenticate': 'Basic realm="Sentinel"',
		}),
	});
	if (form.client_secret !== undefined) {
		return deny(
			'client credentials are accepted in the Authorization header only (HTTP Basic), not in the body',
		);
	}
	const header = entry.headers.authorization;
	if (!header) {
		return deny(
			form.client_id !== undefined
				? 'client authentication required in the Authorization header (HTTP Basic); client_id in the body does not authenticate'
				: 'client authentication required in the Authorization header (HTTP Basic)',
		);
	}
	const candidates = basicCandidates(header);
	if (!candidates) return deny('Authorization header is not valid HTTP Basic');
	let client = null;
	for (const [id, secret] of candidates) {
		client = state.clients.find((c) => c.clientId === id && c.clientSecret === secret) || null;
		if (client) break;
	}
	// Same answer for unknown client and wrong secret (do not reveal which one was wrong).
	if (!client) return deny('Client authentication failed');
	if (form.client_id !== undefined && form.client_id !== client.clientId)
		return deny('client_id in the body does not match the authenticated client');
	return { ok: true, client };
}

async function userToken(state, entry, account) {
	const problem = tokenRequestProblem(state, entry, account, [
		'authorization_code',
		'refresh_token',
	]);
	if (problem) return problem;
	const form = entry.body;
	const auth = authenticateClient(state, entry, form);
	if (!auth.ok) return auth.answer;
	const { client } = auth;

	if (form.grant_type === 'authorization_code') {
		const code = single(form.code);
		if (!code) return oauthError(400, 'invalid_request', 'code is required (once)');
		if (Array.isArray(form.redirect_uri))
			return oauthError(400, 'invalid_request', 'redirect_uri given more than once');
		const redeemed = state.grants.redeemCode(code, client.clientId, form.redirect_uri);
		if (!redeemed.ok) return oauthError(400, redeemed.error, redeemed.reason);
		const { userId, login, scope } = redeemed.record;
		return answerUserTokens(state, client, { userId, login, scope, tokenScope: scope });
	}

	// refresh_token
	const refreshToken = single(form.refresh_token);
	if (!refreshToken) return oauthError(400, 'invalid_request', 'refresh_token is required (once)');
	if (Array.isArray(form.scope))
		return oauthError(400, 'invalid_request', 'scope given more than once');
	const requested = form.scope || undefined;
	const redeemed = state.grants.redeemRefreshToken(refreshToken, client.clientId, requested);
	if (!redeemed.ok) return oauthError(400, redeemed.error, redeemed.reason);
	const old = redeemed.record;
	const answer = await answerUserTokens(
		state,
		client,
		{ userId: old.userId, login: old.login, scope: old.scope, tokenScope: requested || old.scope },
		old,
	);
	state.counters.refreshes += 1;
	return answer;
}

/** Mints the user access token (JWT) and a fresh refresh token; answers them. */
async function answerUserTokens(state, client, { userId, login, scope, tokenScope }, replaced) {
	const opts = state.options;
	const { token } = await state.tokens.issue({
		clientId: client.clientId,
		kind: 'user',
		userId,
		login,
		scope: tokenScope,
		lifetimeSeconds: opts.userTokenLifetimeSeconds,
	});
	const refresh = state.grants.issueRefreshToken({
		clientId: client.clientId,
		userId,
		login,
		scope,
	});
	if (replaced) replaced.replacedBy = refresh.token;
	state.counters.userTokensIssued += 1;
	const answer = { access_token: token, token_type: 'Bearer', refresh_token: refresh.token };
	if (opts.userTokenExpiresInField) answer.expires_in = opts.userTokenLifetimeSeconds;
	return json(200, answer, NO_STORE);
}

module.exports = { name: 'sentinel', handle, error };

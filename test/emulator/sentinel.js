'use strict';
// Sentinel, LivePerson's authorization server (reference §2): the client credentials grant.
//   POST /sentinel/api/account/{accountId}/app/token?v=2.0
//        Content-Type: application/x-www-form-urlencoded
//        grant_type=client_credentials&client_id=...&client_secret=...   (client authentication in the BODY)
//   → {"access_token":"<JWT>","token_type":"Bearer"}        (+ "expires_in" only with option tokenExpiresInField)
//   GET  /sentinel/well-known/jwks → public keys
// Errors follow OAuth 2.0 (RFC 6749 §5.2): {"error","error_description"}.
// The emulator is deliberately strict where the reference is explicit (form body, credentials in the body,
// v=2.0) so a client that deviates fails here rather than in production.

const { json } = require('./respond');

const TOKEN = /^\/sentinel\/api\/account\/([^/]+)\/app\/token$/;
const JWKS = '/sentinel/well-known/jwks';

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
	const m = TOKEN.exec(entry.path);
	if (!m) return oauthError(404, 'not_found', `no such Sentinel resource: ${entry.path}`);
	if (entry.method !== 'POST')
		return oauthError(405, 'invalid_request', `${entry.method} not allowed`);

	const account = decodeURIComponent(m[1]);
	if (entry.query.v !== '2.0')
		return oauthError(400, 'invalid_request', 'query parameter v=2.0 is required');
	if (account !== state.options.accountId)
		return oauthError(400, 'invalid_request', `unknown account ${account}`);
	const contentType = String(entry.headers['content-type'] || '').toLowerCase();
	if (!contentType.includes('application/x-www-form-urlencoded')) {
		return oauthError(400, 'invalid_request', 'body must be application/x-www-form-urlencoded');
	}
	const form = entry.body || {};
	const grantType = form.grant_type;
	if (!grantType) return oauthError(400, 'invalid_request', 'grant_type is required');
	if (grantType !== 'client_credentials') {
		return oauthError(
			400,
			'unsupported_grant_type',
			`grant_type ${grantType} is not supported here`,
		);
	}

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
	return json(200, answer, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

module.exports = { name: 'sentinel', handle, error };

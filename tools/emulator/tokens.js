'use strict';
// Access tokens: issuing (Sentinel) and checking (gateway and UI).
// Every token is remembered by its jti so that revokeTokens() can invalidate everything issued so far, and so
// secrets() can list them for "no token in the logs" assertions.

const crypto = require('node:crypto');

function createTokenStore(state) {
	const issued = new Map(); // jti → { token, kind, clientId, userId?, login?, iat, exp, revoked }

	/**
	 * Mints a token (async: jose signs asynchronously). Resolves to { token, claims }.
	 * kind 'app' = client credentials grant (what Sentinel's /app/token issues); kind 'user' = a token on behalf of
	 * a user (authorization code grant: what Sentinel's /token issues; tests can also mint these with emu.issueToken).
	 * Default lifetime: tokenLifetimeSeconds for 'app', userTokenLifetimeSeconds for 'user'.
	 */
	async function issue({
		clientId,
		kind = 'app',
		userId,
		login,
		lifetimeSeconds,
		scope,
		aud,
		claims,
	} = {}) {
		const iat = state.clock.nowSeconds();
		const defaultLifetime =
			kind === 'user' ? state.options.userTokenLifetimeSeconds : state.options.tokenLifetimeSeconds;
		const lifetime = lifetimeSeconds === undefined ? defaultLifetime : lifetimeSeconds;
		const jti = crypto.randomUUID();
		const payload = {
			aud: aud === undefined ? state.options.accountId : aud,
			azp: clientId,
			scope: scope === undefined ? 'faas.lambda.invoke' : scope,
			iss: 'Sentinel',
			iat,
			exp: iat + lifetime,
			jti,
			...(kind === 'user' ? { sub: userId || 'emulated-user' } : {}),
			...(claims || {}),
		};
		const token = await state.signer.sign(payload);
		issued.set(jti, {
			token,
			kind,
			clientId,
			...(kind === 'user'
				? { userId: payload.sub, login: login === undefined ? null : login }
				: {}),
			iat: payload.iat,
			exp: payload.exp,
			revoked: false,
		});
		return { token, claims: payload };
	}

	/**
	 * Checks a request's Authorization header for this account.
	 * Resolves to { ok: true, claims, kind } or { ok: false, reason } (reason goes into the 401 message).
	 * jose checks the signature; exp (on the emulator clock), aud and revocation are checked here.
	 */
	async function check(authorizationHeader, accountId) {
		if (!authorizationHeader) return { ok: false, reason: 'missing Authorization header' };
		const m = /^Bearer[ ]+(\S+)\s*$/i.exec(String(authorizationHeader));
		if (!m) return { ok: false, reason: 'Authorization header is not "Bearer <token>"' };
		const verified = await state.signer.verifySignature(m[1]);
		if (!verified.ok) return { ok: false, reason: 'invalid token: ' + verified.reason };
		const { claims } = verified;
		if (typeof claims.exp !== 'number') return { ok: false, reason: 'token has no exp' };
		if (state.clock.nowSeconds() >= claims.exp) return { ok: false, reason: 'token expired' };
		const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
		if (!audiences.includes(accountId))
			return { ok: false, reason: `token is not valid for account ${accountId}` };
		const record = issued.get(claims.jti);
		if (!record) return { ok: false, reason: 'unknown token' };
		if (record.revoked) return { ok: false, reason: 'token revoked' };
		return { ok: true, claims, kind: record.kind };
	}

	return {
		issue,
		check,
		revokeAll() {
			for (const record of issued.values()) record.revoked = true;
		},
		list: () => [...issued.values()].map((r) => ({ ...r })),
		allTokens: () => [...issued.values()].map((r) => r.token),
	};
}

module.exports = { createTokenStore };

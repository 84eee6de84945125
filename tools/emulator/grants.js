'use strict';
// State of the authorization code grant (reference §3): one-time authorization codes and opaque refresh tokens.
// Access tokens themselves are JWTs from tokens.js; this store only holds what leads to them.
//
// - Codes: random, one-time, valid `authorizationCodeLifetimeSeconds` (default 60) on the emulator clock, bound to
//   the client, the user and the redirect_uri of the authorization request. Only a SUCCESSFUL exchange consumes a
//   code (a request rejected for a wrong secret or redirect_uri leaves it usable). A second use → invalid_grant
//   (tokens issued from the first use stay valid).
// - Refresh tokens: random opaque strings, rotated on every use: a successful refresh consumes the presented token
//   (single use, no grace period, so of two concurrent refreshes with the same token only the first succeeds) and
//   hands out a new one. They never expire unless `refreshTokenLifetimeSeconds` is set. revokeAll() here is
//   emu.revokeRefreshTokens(); emu.revokeTokens() (access tokens) does not touch them.

const crypto = require('node:crypto');

const opaque = (bytes) => crypto.randomBytes(bytes).toString('base64url');
const splitScope = (scope) =>
	String(scope || '')
		.split(/\s+/)
		.filter(Boolean);

function createGrantStore(state) {
	const codes = new Map(); // code → record
	const refreshTokens = new Map(); // token → record
	const seenRedirects = new Map(); // clientId → Set of redirect URIs accepted at /authorize

	const fail = (reason) => ({ ok: false, error: 'invalid_grant', reason });

	function issueCode({ client, user, redirectUri, redirectUriGiven, requestedScope, state: st }) {
		const issuedAt = state.clock.now();
		const record = {
			code: opaque(24),
			clientId: client.clientId,
			userId: user.userId,
			login: user.login,
			scope: user.scope,
			requestedScope, // what the client asked for (the user's permissions decide the token's scope)
			redirectUri,
			redirectUriGiven, // false when /authorize used the client's only registered URI
			state: st,
			issuedAt,
			expiresAt: issuedAt + state.options.authorizationCodeLifetimeSeconds * 1000,
			used: false,
			usedAt: null,
		};
		codes.set(record.code, record);
		return record;
	}

	/** Checks a code for this client and redirect_uri; consumes it only when everything matches. */
	function redeemCode(code, clientId, redirectUri) {
		const record = codes.get(code);
		if (!record) return fail('unknown authorization code');
		if (record.clientId !== clientId)
			return fail('authorization code was issued to another client');
		if (record.used) return fail('authorization code was already used');
		if (state.clock.now() >= record.expiresAt) return fail('authorization code expired');
		if (record.redirectUriGiven && redirectUri !== record.redirectUri) {
			return fail('redirect_uri does not match the one of the authorization request');
		}
		record.used = true; // synchronously, before any await: a concurrent second exchange fails
		record.usedAt = state.clock.now();
		return { ok: true, record };
	}

	function issueRefreshToken({ clientId, userId, login, scope }) {
		const issuedAt = state.clock.now();
		const lifetime = state.options.refreshTokenLifetimeSeconds;
		const record = {
			token: opaque(32),
			clientId,
			userId,
			login,
			scope,
			issuedAt,
			expiresAt: lifetime === null ? null : issuedAt + lifetime * 1000,
			used: false,
			revoked: false,
			replacedBy: null,
		};
		refreshTokens.set(record.token, record);
		return record;
	}

	/**
	 * Checks a refresh token for this client (and an optional narrower scope, RFC 6749 §6); consumes it (rotation)
	 * when valid. Failure: { ok: false, error: 'invalid_grant' | 'invalid_scope', reason }.
	 */
	function redeemRefreshToken(token, clientId, requestedScope) {
		const record = refreshTokens.get(token);
		if (!record) return fail('unknown refresh token');
		if (record.clientId !== clientId) return fail('refresh token was issued to another client');
		if (record.revoked) return fail('refresh token revoked');
		if (record.used) return fail('refresh token was already used (tokens rotate on refresh)');
		if (record.expiresAt !== null && state.clock.now() >= record.expiresAt)
			return fail('refresh token expired');
		const granted = splitScope(record.scope);
		const extra = splitScope(requestedScope).filter((s) => !granted.includes(s));
		if (extra.length > 0) {
			return { ...fail(`scope ${extra.join(' ')} was not granted`), error: 'invalid_scope' };
		}
		record.used = true; // synchronously, before any await: a concurrent second refresh fails
		return { ok: true, record };
	}

	function recordRedirect(clientId, uri) {
		if (!seenRedirects.has(clientId)) seenRedirects.set(clientId, new Set());
		seenRedirects.get(clientId).add(uri);
	}

	return {
		issueCode,
		redeemCode,
		issueRefreshToken,
		redeemRefreshToken,
		recordRedirect,
		seenRedirects: (clientId) => [...(seenRedirects.get(clientId) || [])],
		revokeRefreshTokens() {
			for (const record of refreshTokens.values()) record.revoked = true;
		},
		listCodes: () => [...codes.values()].map((r) => ({ ...r })),
		listRefreshTokens: () => [...refreshTokens.values()].map((r) => ({ ...r })),
		allSecrets: () => [...codes.keys(), ...refreshTokens.keys()],
	};
}

module.exports = { createGrantStore, splitScope };

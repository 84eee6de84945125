'use strict';
// RS256 JSON Web Tokens for the emulated Sentinel, built on jose 5 (its CommonJS build loads inside jest).
// jose does the cryptography only: key generation, signing (header {alg:'RS256', typ:'JWT', kid}) and signature
// verification. The claims (exp on the emulator clock, aud, revocation) are checked by tokens.js, which knows the
// emulator's clock, account and issued tokens; jose's own claim checks would use the real clock.

const crypto = require('node:crypto');
const jose = require('jose');

const ALG = 'RS256';

/** Creates a signing key (fresh RSA pair for every emulator start, so tokens never outlive one emulator). */
async function createSigner() {
	const { publicKey, privateKey } = await jose.generateKeyPair(ALG, { modulusLength: 2048 });
	const kid = 'emu-' + crypto.randomBytes(6).toString('hex');
	const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };

	/** Signs the claims as they are (no claim is added or checked here). Resolves to the compact JWT. */
	function sign(claims) {
		return new jose.SignJWT({ ...claims })
			.setProtectedHeader({ alg: ALG, typ: 'JWT', kid })
			.sign(privateKey);
	}

	/**
	 * Checks the signature only (claims are checked by the caller, which knows the clock and the account).
	 * Resolves to { ok: true, header, claims } or { ok: false, reason }; never rejects.
	 */
	async function verifySignature(token) {
		if (typeof token !== 'string' || token.split('.').length !== 3)
			return { ok: false, reason: 'not a compact JWS' };
		let header;
		try {
			header = jose.decodeProtectedHeader(token);
		} catch {
			return { ok: false, reason: 'undecodable token' };
		}
		if (header.alg !== ALG) return { ok: false, reason: 'unexpected alg ' + header.alg };
		if (header.kid !== kid) return { ok: false, reason: 'unknown kid' };
		let verified;
		try {
			verified = await jose.compactVerify(token, publicKey, { algorithms: [ALG] });
		} catch (err) {
			if (err && err.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
				return { ok: false, reason: 'bad signature' };
			return { ok: false, reason: 'undecodable token' };
		}
		let claims;
		try {
			claims = JSON.parse(Buffer.from(verified.payload).toString('utf8'));
		} catch {
			return { ok: false, reason: 'undecodable token' };
		}
		if (!claims || typeof claims !== 'object' || Array.isArray(claims))
			return { ok: false, reason: 'claims are not an object' };
		return { ok: true, header: verified.protectedHeader, claims };
	}

	return { kid, sign, verifySignature, jwks: () => ({ keys: [{ ...jwk }] }) };
}

/** Decodes a JWT's claims without verifying anything (what LivePerson's own client does to read exp). */
const decodeJwt = (token) => jose.decodeJwt(String(token));

module.exports = { createSigner, decodeJwt };

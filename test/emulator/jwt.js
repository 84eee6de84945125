'use strict';
// RS256 JSON Web Tokens for the emulated Sentinel, built on node:crypto.
//
// Why not `jose`: jose 6 is an ES module only. Jest 30 on Node 20 cannot require() ES modules (it needs Node 24.9+
// or --experimental-vm-modules), and the emulator must load inside jest without changing the jest config.
// The tokens are standard compact JWS (header {alg:'RS256', typ:'JWT', kid}), so jose (or any JWT library)
// verifies them against the JWKS served at /sentinel/well-known/jwks; the emulator's own test checks that
// with jose in a plain node child process.

const crypto = require('node:crypto');
const { promisify } = require('node:util');

const generateKeyPair = promisify(crypto.generateKeyPair);

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const b64urlJson = (obj) => b64url(JSON.stringify(obj));

/** Creates a signing key (fresh RSA pair for every emulator start, so tokens never outlive one emulator). */
async function createSigner() {
	const { publicKey, privateKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
	const kid = 'emu-' + crypto.randomBytes(6).toString('hex');
	const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };

	function sign(claims) {
		const signingInput = b64urlJson({ alg: 'RS256', typ: 'JWT', kid }) + '.' + b64urlJson(claims);
		const signature = crypto.sign('sha256', Buffer.from(signingInput), privateKey);
		return signingInput + '.' + b64url(signature);
	}

	/**
	 * Checks the signature only (claims are checked by the caller, which knows the clock and the account).
	 * Returns { ok: true, header, claims } or { ok: false, reason }.
	 */
	function verifySignature(token) {
		const parts = typeof token === 'string' ? token.split('.') : [];
		if (parts.length !== 3) return { ok: false, reason: 'not a compact JWS' };
		let header;
		let claims;
		try {
			header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
			claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		} catch {
			return { ok: false, reason: 'undecodable token' };
		}
		if (header.alg !== 'RS256') return { ok: false, reason: 'unexpected alg ' + header.alg };
		if (header.kid !== kid) return { ok: false, reason: 'unknown kid' };
		const valid = crypto.verify(
			'sha256',
			Buffer.from(parts[0] + '.' + parts[1]),
			publicKey,
			Buffer.from(parts[2], 'base64url'),
		);
		if (!valid) return { ok: false, reason: 'bad signature' };
		if (!claims || typeof claims !== 'object')
			return { ok: false, reason: 'claims are not an object' };
		return { ok: true, header, claims };
	}

	return { kid, sign, verifySignature, jwks: () => ({ keys: [{ ...jwk }] }) };
}

/** Decodes a JWT's claims without verifying anything (what LivePerson's own client does to read exp). */
function decodeJwt(token) {
	return JSON.parse(Buffer.from(String(token).split('.')[1], 'base64url').toString('utf8'));
}

module.exports = { createSigner, decodeJwt };

'use strict';
// Makes names under `.localhost` resolve to 127.0.0.1 in THIS Node process, as RFC 6761 §6.3 says they should
// ("name resolution APIs and libraries SHOULD recognize localhost names as special and SHOULD always return the
// IP loopback address"). glibc's resolver on these machines does not, so the V2-looking names the emulator hands
// out (fninvocations.localhost, functions.localhost, see platform.js) would not resolve. Only such names are
// answered here; every other name goes to the real dns.lookup unchanged. Nothing outside the process changes.
//
// Use: jest `setupFiles` (jest.config.js), or `node --require ./tools/emulator/localhost-names.js` (NODE_OPTIONS),
// which is how the e2e harness gives it to the n8n process. Requiring it twice is harmless.

const dns = require('node:dns');

const LOCALHOST_NAME = /^(?:[a-z0-9-]+\.)+localhost\.?$/i;
const MARK = Symbol.for('n8n-nodes-liveperson-functions.localhost-names');

function answer(options) {
	const opts = typeof options === 'number' ? { family: options } : options || {};
	const entry = { address: '127.0.0.1', family: 4 };
	return opts.all ? [entry] : entry;
}

if (!dns.lookup[MARK]) {
	const original = dns.lookup;
	const lookup = function lookup(hostname, options, callback) {
		const cb = typeof options === 'function' ? options : callback;
		if (typeof hostname === 'string' && LOCALHOST_NAME.test(hostname) && typeof cb === 'function') {
			const result = answer(typeof options === 'function' ? {} : options);
			process.nextTick(() =>
				Array.isArray(result) ? cb(null, result) : cb(null, result.address, result.family),
			);
			return {};
		}
		return original.apply(this, arguments);
	};
	// util.promisify(dns.lookup) resolves to {address, family} through symbols on the original: keep them.
	for (const symbol of Object.getOwnPropertySymbols(original)) lookup[symbol] = original[symbol];
	lookup[MARK] = true;
	dns.lookup = lookup;

	const originalPromise = dns.promises.lookup;
	dns.promises.lookup = async function lookupPromise(hostname, options) {
		if (typeof hostname === 'string' && LOCALHOST_NAME.test(hostname)) return answer(options);
		return originalPromise.call(this, hostname, options);
	};
}

module.exports = { LOCALHOST_NAME };

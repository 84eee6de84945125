'use strict';

/** All text reachable from a value: own properties (message, stack too), causes, nested objects. */
function deepText(value, seen = new Set()) {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'object') return String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	return Object.getOwnPropertyNames(value)
		.map((key) => `${key}=${deepText(value[key], seen)}`)
		.join('\n');
}

/** Every secret the emulator knows (client secrets, issued tokens) that appears anywhere in `values`. */
function leakedSecrets(emu, ...values) {
	const text = values.map((value) => deepText(value)).join('\n');
	return emu.secrets().filter((secret) => secret && text.includes(secret));
}

module.exports = { leakedSecrets, deepText };

'use strict';
// Small constructors for the answers the service handlers return. Handlers return a plain description
// { status, headers, body } instead of writing to the socket, so the pipeline can still swap the answer for an
// injected fault (raw, empty, reset-after, hang) after the handler (and the function) ran.

const JSON_TYPE = 'application/json; charset=utf-8';

const json = (status, value, headers = {}) => ({
	status,
	headers: { 'content-type': JSON_TYPE, ...headers },
	body: JSON.stringify(value),
});

const empty = (status, headers = {}) => ({ status, headers, body: '' });

const text = (status, body, contentType = 'text/plain; charset=utf-8', headers = {}) => ({
	status,
	headers: { 'content-type': contentType, ...headers },
	body: String(body),
});

/** Marker a function handler returns to answer a non-JSON body: `return raw('<html>', 'text/html')`. */
class RawBody {
	constructor(body, contentType, status) {
		this.body = body === undefined || body === null ? '' : String(body);
		this.contentType = contentType || 'text/plain; charset=utf-8';
		this.status = status || 200;
	}
}
const raw = (body, contentType, status) => new RawBody(body, contentType, status);

/**
 * Error body in the shape of the gateway/UI platform version.
 *   v1: {"errorCode","errorMsg","errorLogs":[]}     v2: {"code","message"}
 */
function platformError(platform, status, codes, message, errorLogs = []) {
	if (platform === 'v2') return json(status, { code: codes.v2, message });
	return json(status, { errorCode: codes.v1, errorMsg: message, errorLogs });
}

// Error codes. The reference names the 404, 901 and 401 codes (§7); LivePerson's client 2.2.0 (baseClient.js
// mapV2ErrorCodeToV1) names the V1/V2 pairs of TRANSLATIONS below, among them the invalid-input pair used for 400.
// The others are NOT documented anywhere and were chosen for the emulator (clients must not depend on them, only on
// the status).
const CODES = {
	unauthorized: { v1: 'com.liveperson.faas.unauthorized', v2: 'com.liveperson.faas.unauthorized' },
	forbidden: { v1: 'com.liveperson.faas.forbidden', v2: 'com.liveperson.faas.forbidden' },
	badRequest: {
		v1: 'com.liveperson.faas.es.badinput',
		v2: 'com.liveperson.faas.evg.invalid',
	},
	missingLambda: {
		v1: 'com.liveperson.faas.es.missinglambda',
		v2: 'com.liveperson.faas.function.not-found',
	},
	routeNotFound: {
		v1: 'com.liveperson.faas.route.not-found',
		v2: 'com.liveperson.faas.route.not-found',
	},
	methodNotAllowed: {
		v1: 'com.liveperson.faas.method-not-allowed',
		v2: 'com.liveperson.faas.method-not-allowed',
	},
	tooLarge: {
		v1: 'com.liveperson.faas.payload-too-large',
		v2: 'com.liveperson.faas.payload-too-large',
	},
	customFailure: {
		v1: 'com.liveperson.faas.handler.custom-failure',
		v2: 'com.customer.faas.function.threw-error',
	},
	timeout: {
		v1: 'com.liveperson.faas.handler.executiontime-exceeded',
		v2: 'com.customer.faas.function.execution-exceeded',
	},
	internal: {
		v1: 'com.liveperson.faas.emulator.internal-error',
		v2: 'com.liveperson.faas.emulator.internal-error',
	},
};

/**
 * The same failure in V1 and V2 words: reference §7 (custom-failure/threw-error, runtime-exception/js-runtime-error,
 * executiontime-exceeded/execution-exceeded, es.missinglambda/function.not-found) and LivePerson's client 2.2.0
 * (baseClient.js mapV2ErrorCodeToV1: also es.general/evg.general and es.badinput/evg.invalid).
 * Not taken from the client: its pair log-limit-reached/`com.liveperson.faas.function.runtime.limit-reached`. The
 * reference (liveperson-functions-api.md §7, lines 106-108) names exactly three V2 function-failure codes, all
 * `com.customer.faas.function.*`, and calls everything else a platform or request error; where the two disagree the
 * reference decides, so a V1 handler code without a documented V2 pair is answered on V2 as `threw-error`.
 */
const TRANSLATIONS = [
	['com.liveperson.faas.handler.custom-failure', 'com.customer.faas.function.threw-error'],
	['com.liveperson.faas.handler.runtime-exception', 'com.customer.faas.function.js-runtime-error'],
	[
		'com.liveperson.faas.handler.executiontime-exceeded',
		'com.customer.faas.function.execution-exceeded',
	],
	['com.liveperson.faas.es.missinglambda', 'com.liveperson.faas.function.not-found'],
	['com.liveperson.faas.es.general', 'com.liveperson.faas.evg.general'],
	['com.liveperson.faas.es.badinput', 'com.liveperson.faas.evg.invalid'],
];
const TO_V2 = new Map(TRANSLATIONS);
const TO_V1 = new Map(TRANSLATIONS.map(([v1, v2]) => [v2, v1]));

/**
 * A code in V2 words. An unknown V1 function-failure code (`com.liveperson.faas.handler.*`) becomes V2's function
 * failure `threw-error` (V2 function failures are `com.customer.faas.function.*`, reference §7); others stay as given.
 */
function v2CodeOf(code) {
	if (TO_V2.has(code)) return TO_V2.get(code);
	if (code.startsWith('com.liveperson.faas.handler.')) return CODES.customFailure.v2;
	return code;
}

/** A code in V1 words; an unknown V2 function-failure code (`com.customer.faas.function.*`) becomes custom-failure. */
function v1CodeOf(code) {
	if (TO_V1.has(code)) return TO_V1.get(code);
	if (code.startsWith('com.customer.faas.function.')) return CODES.customFailure.v1;
	return code;
}

module.exports = {
	json,
	empty,
	text,
	raw,
	RawBody,
	platformError,
	CODES,
	JSON_TYPE,
	v2CodeOf,
	v1CodeOf,
};

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

// Error codes. The reference names the 404, 901 and 401 codes; the others are NOT documented anywhere and were
// chosen for the emulator (clients must not depend on them, only on the status).
const CODES = {
	unauthorized: { v1: 'com.liveperson.faas.unauthorized', v2: 'com.liveperson.faas.unauthorized' },
	forbidden: { v1: 'com.liveperson.faas.forbidden', v2: 'com.liveperson.faas.forbidden' },
	badRequest: {
		v1: 'com.liveperson.faas.es.badrequest',
		v2: 'com.liveperson.faas.request.invalid',
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

module.exports = { json, empty, text, raw, RawBody, platformError, CODES, JSON_TYPE };

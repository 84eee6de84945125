'use strict';
// faasGW, the invocation gateway (reference §4, §5, §7).
//   POST /api/account/{acc}/lambdas/{uuid}/invoke        invoke one function
//   POST /api/account/{acc}/events/{eventId}/invoke      invoke every deployed function bound to the event
//   GET  /api/account/{acc}/events/{eventId}/isImplemented → {"implemented": bool}
// The platform is that of the faasGW host CSDS hands out (platform.js), as LivePerson's client decides it.
// Platform 'v1': errors {"errorCode","errorMsg","errorLogs"}. Platform 'v2': errors {"code","message"}.
// Neither refuses a request for its query or headers: no document says a gateway answers 400 to a missing `v=1` or
// `LP-EventSource` (reference §4 only lists what clients send; LivePerson's client sends no LP-EventSource on V2
// isImplemented), so they are only recorded in the log, where tests check what a client sent.
// Check order: route → Bearer token (401/403) → body (400) → function (404) → run (200/901).

const { json, empty, platformError, CODES, RawBody, v2CodeOf, v1CodeOf } = require('./respond');

const LAMBDA_INVOKE = /^\/api\/account\/([^/]+)\/lambdas\/([^/]+)\/invoke$/;
const EVENT_INVOKE = /^\/api\/account\/([^/]+)\/events\/([^/]+)\/invoke$/;
const IS_IMPLEMENTED = /^\/api\/account\/([^/]+)\/events\/([^/]+)\/isImplemented$/;

const platformOf = (state) => state.platformOf('faasGW');

const error = (state, entry, status, kind, message, errorLogs) =>
	platformError(platformOf(state), status, CODES[kind] || CODES.internal, message, errorLogs);

/** Counts concurrent invoke requests (all of the gateway, and per function UUID) from arrival to end. */
function track(state, entry) {
	if (entry.method !== 'POST' || !entry.path.endsWith('/invoke')) return () => {};
	const c = state.counters;
	c.gatewayInFlight += 1;
	c.gatewayMaxInFlight = Math.max(c.gatewayMaxInFlight, c.gatewayInFlight);
	const lambda = LAMBDA_INVOKE.exec(entry.path);
	const uuid = lambda ? decodeURIComponent(lambda[2]) : null;
	if (uuid) {
		const now = (c.inFlight.get(uuid) || 0) + 1;
		c.inFlight.set(uuid, now);
		c.maxInFlight.set(uuid, Math.max(c.maxInFlight.get(uuid) || 0, now));
	}
	return () => {
		c.gatewayInFlight -= 1;
		if (uuid) c.inFlight.set(uuid, c.inFlight.get(uuid) - 1);
	};
}

const checkPayload = (b) => ('payload' in b ? null : 'payload is required');

/**
 * The invoke body is {timestamp: number, headers?: [{key, value}], payload: any} (reference §4; seed 001 lines
 * 127-131). `headers` may be left out: LivePerson's client types it optional (InvocationDomain `headers?`) and sends
 * none when its caller gives none; the function then gets `[]`. Returns a problem or null.
 */
function bodyProblem(entry) {
	const b = entry.body;
	if (entry.rawBody === '') return 'request body is required';
	if (b === undefined) return 'request body is not valid JSON';
	if (!b || typeof b !== 'object' || Array.isArray(b)) return 'request body must be a JSON object';
	if (typeof b.timestamp !== 'number' || !Number.isFinite(b.timestamp))
		return 'timestamp must be a number';
	if (b.headers === undefined) return checkPayload(b);
	if (!Array.isArray(b.headers)) return 'headers must be an array of {key, value}';
	const badHeader = b.headers.find(
		(h) => !h || typeof h !== 'object' || typeof h.key !== 'string' || typeof h.value !== 'string',
	);
	if (badHeader !== undefined) return 'every headers item must be {"key": string, "value": string}';
	return checkPayload(b);
}

/**
 * Runs one function: counts the run, waits its latency, calls the handler, enforces its time limit.
 * Returns { ok: true, value } or { ok: false, status, kind, v1Code?, v2Code?, message, errorLogs }.
 */
async function runFunction(state, fn, entry, extraCtx) {
	const runNumber = (state.counters.runs.get(fn.uuid) || 0) + 1;
	state.counters.runs.set(fn.uuid, runNumber);
	// The function gets its own copy: a handler that mutates its input must not change the request log.
	const input = structuredClone({
		timestamp: entry.body.timestamp,
		headers: entry.body.headers === undefined ? [] : entry.body.headers,
		payload: entry.body.payload,
	});
	const ctx = {
		request: { headers: { ...entry.headers }, query: { ...entry.query } },
		runNumber,
		uuid: fn.uuid,
		accountId: state.options.accountId,
		...extraCtx,
	};
	const limit = state.timer(fn.timeoutMs);
	try {
		const work = (async () => {
			if (fn.latencyMs > 0) await state.sleep(fn.latencyMs);
			return fn.handler(input, ctx);
		})();
		const TIMED_OUT = Symbol('timeout');
		const value = await Promise.race([work, limit.promise.then(() => TIMED_OUT)]);
		if (value === TIMED_OUT) {
			work.catch(() => {}); // the late outcome of an abandoned run is ignored
			return failure(
				state,
				CODES.timeout,
				`function exceeded its execution time of ${fn.timeoutMs} ms`,
				[],
			);
		}
		return { ok: true, value };
	} catch (thrown) {
		if (state.stopped) throw thrown;
		return fromThrown(state, thrown);
	} finally {
		limit.cancel();
	}
}

function failure(state, codes, message, errorLogs, status = 901) {
	return { ok: false, answer: platformError(platformOf(state), status, codes, message, errorLogs) };
}

/**
 * What a handler threw → 901 answer.
 *  - an Error (or anything that is not a plain object): custom failure with its message;
 *  - a plain object {errorCode|code, message, errorLogs?, status?}: those values (status defaults to 901).
 */
function fromThrown(state, thrown) {
	const isPlainObject = thrown && typeof thrown === 'object' && !(thrown instanceof Error);
	if (!isPlainObject) {
		const message = thrown instanceof Error ? thrown.message : String(thrown);
		const errorCode =
			thrown instanceof Error && typeof thrown.errorCode === 'string' ? thrown.errorCode : null;
		const codes = errorCode
			? { v1: v1CodeOf(errorCode), v2: v2CodeOf(errorCode) }
			: CODES.customFailure;
		return failure(state, codes, message, []);
	}
	// A code given in either platform's words is answered in the words of the platform that runs the function.
	const given = thrown.code || thrown.errorCode;
	const v1 = given ? v1CodeOf(given) : CODES.customFailure.v1;
	const v2 = given ? v2CodeOf(given) : CODES.customFailure.v2;
	const message = thrown.message === undefined ? 'function failed' : String(thrown.message);
	const errorLogs = Array.isArray(thrown.errorLogs) ? thrown.errorLogs : [];
	return failure(state, { v1, v2 }, message, errorLogs, thrown.status || 901);
}

/** A successful run's value → HTTP answer: JSON of any value, empty body for undefined, raw() marker as is. */
function successAnswer(value) {
	if (value instanceof RawBody) {
		return {
			status: value.status,
			headers: { 'content-type': value.contentType },
			body: value.body,
		};
	}
	if (value === undefined) return empty(200);
	const body = JSON.stringify(value);
	if (body === undefined) return empty(200); // functions, symbols
	return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

async function handle({ state, entry }) {
	const lambda = LAMBDA_INVOKE.exec(entry.path);
	const event = lambda ? null : EVENT_INVOKE.exec(entry.path);
	const implemented = lambda || event ? null : IS_IMPLEMENTED.exec(entry.path);
	const route = lambda || event || implemented;
	if (!route)
		return error(state, entry, 404, 'routeNotFound', `no such gateway resource: ${entry.path}`);
	const expectedMethod = implemented ? 'GET' : 'POST';
	if (entry.method !== expectedMethod)
		return error(state, entry, 405, 'methodNotAllowed', `${entry.method} not allowed`);

	const account = decodeURIComponent(route[1]);
	const auth = await state.tokens.check(entry.headers.authorization, account);
	if (!auth.ok) return error(state, entry, 401, 'unauthorized', auth.reason);
	const scopes = String(auth.claims.scope || '').split(/\s+/);
	if (!scopes.includes('faas.lambda.invoke')) {
		return error(state, entry, 403, 'forbidden', 'token lacks scope faas.lambda.invoke');
	}
	if (implemented) {
		return json(200, {
			implemented: state.functions.boundTo(decodeURIComponent(route[2])).length > 0,
		});
	}

	const problem = bodyProblem(entry);
	if (problem) return error(state, entry, 400, 'badRequest', problem);

	if (lambda) {
		const uuid = decodeURIComponent(route[2]);
		const fn = state.functions.invocable(uuid);
		if (!fn)
			return error(
				state,
				entry,
				404,
				'missingLambda',
				`function ${uuid} does not exist or is not deployed`,
			);
		const result = await runFunction(state, fn, entry, {});
		return result.ok ? successAnswer(result.value) : result.answer;
	}

	// Event invocation: run the bound deployed functions one after another, in registration order, and answer
	// the list of their results (undefined → null). The first failure stops the run and becomes the whole
	// answer (its 901 error body); later functions do not run.
	const eventId = decodeURIComponent(route[2]);
	const results = [];
	for (const fn of state.functions.boundTo(eventId)) {
		const result = await runFunction(state, fn, entry, { eventId });
		if (!result.ok) return result.answer;
		const value = result.value instanceof RawBody ? result.value.body : result.value;
		results.push(value === undefined ? null : value);
	}
	return json(200, results);
}

module.exports = { name: 'faasGW', handle, error, track };

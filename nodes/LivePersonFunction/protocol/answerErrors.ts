import type { HttpResponse } from './http';
import { headerValue, parseJsonBody } from './http';
import type { LivePersonErrorBody, LivePersonStep } from './errors';
import { LivePersonError } from './errors';
import { cutErrorLogs, cutRemoteText } from './remoteText';

const FUNCTION_FAILURE_CODE = /^com\.liveperson\.faas\.handler\.|^com\.customer\.faas\.function\./;

/** Reads both LivePerson error body shapes: V1 `{errorCode, errorMsg, errorLogs}`, V2 `{code, message}`. */
export function readErrorBody(text: string): LivePersonErrorBody | undefined {
	const parsed = parseJsonBody(text);
	if (parsed.kind !== 'json' || typeof parsed.value !== 'object' || parsed.value === null) {
		return undefined;
	}
	const body = parsed.value as Record<string, unknown>;
	const code = body.errorCode ?? body.code;
	const message = body.errorMsg ?? body.message;
	const result: LivePersonErrorBody = {};
	if (typeof code === 'string') result.code = cutRemoteText(code, 200);
	if (typeof message === 'string') result.message = cutRemoteText(message);
	if (Array.isArray(body.errorLogs)) result.errorLogs = cutErrorLogs(body.errorLogs);
	return Object.keys(result).length ? result : undefined;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function readRetryAfterMs(
	headers: Record<string, unknown>,
	now = Date.now(),
): number | undefined {
	const value = headerValue(headers, 'retry-after');
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A 2xx whose body cannot be read as `expected`: the call ran, so it is marked as having run
 * and is never repeated without the user's opt-in.
 */
export function unreadableAnswer(
	response: HttpResponse,
	step: LivePersonStep,
	message: string,
): LivePersonError {
	return new LivePersonError(message, {
		kind: 'bad-answer',
		step,
		httpStatus: response.status,
		mayHaveRun: true,
		description: `It ran, but its answer could not be read: ${JSON.stringify(response.body.slice(0, 200))}`,
	});
}

/** Turns a non-2xx gateway answer into a LivePersonError a user can act on. */
export function classifyFaasError(
	response: HttpResponse,
	step: LivePersonStep = 'invoke',
): LivePersonError {
	const status = response.status;
	const body = readErrorBody(response.body);
	const detail = body?.message ? `: ${body.message}` : '';
	const base = { step, httpStatus: status, body };

	if (status === 901 || (body?.code !== undefined && FUNCTION_FAILURE_CODE.test(body.code))) {
		// The function's own words come first: they are what its author wrote for this case.
		return new LivePersonError(body?.message || 'The function failed', {
			...base,
			kind: 'function-failure',
			// It ran and threw: never repeated, and never described as not having run.
			mayHaveRun: true,
			description: `The function failed${body?.code ? ` (${body.code})` : ''}: it threw an error or exceeded its limits. Check its code and its logs in LivePerson Functions.`,
		});
	}
	switch (status) {
		case 401:
		case 403:
			return new LivePersonError(`LivePerson refused the access token (HTTP ${status})${detail}`, {
				...base,
				kind: 'auth',
				description:
					step === 'listing'
						? 'This credential may not list functions (typical for client-credentials apps). Use the LivePerson Functions OAuth2 API credential (a user with access to LivePerson Functions) to list them, or pick a function "By ID" (its UUID is on the "Invoke your Function" page).'
						: 'Check that the App Installation of this client has the scope faas.lambda.invoke and that the Account ID is right.',
			});
		case 404:
			return new LivePersonError(`Function not found or not deployed (HTTP 404)${detail}`, {
				...base,
				kind: 'not-found',
				description:
					'Check the function UUID and that the function is deployed in LivePerson Functions (a function in Draft cannot be invoked).',
			});
		case 429:
			return new LivePersonError(`LivePerson is throttling requests (HTTP 429)${detail}`, {
				...base,
				kind: 'throttled',
				retryAfterMs: readRetryAfterMs(response.headers),
				description:
					'Too many invocations at once for this account, or all instances of the function are busy. Lower the Concurrency option or keep Retries on.',
			});
		case 413:
			return new LivePersonError(`The request is too large for LivePerson (HTTP 413)`, {
				...base,
				kind: 'bad-request',
				description: 'Send a smaller payload, for example only the fields the function needs.',
			});
		case 503: {
			// With Retry-After it is LivePerson asking to come back: the function did not run. A bare
			// 503 may come from a proxy after the request reached the function: it may have run.
			const retryAfterMs = readRetryAfterMs(response.headers);
			return new LivePersonError(`LivePerson Functions is unavailable (HTTP 503)${detail}`, {
				...base,
				kind: 'unavailable',
				retryAfterMs,
				mayHaveRun: retryAfterMs === undefined,
				description:
					retryAfterMs === undefined
						? 'The platform, or a proxy before it, could not take the request, and did not say when to come back. The function may or may not have run, so the call is not repeated unless "Retry When the Function May Already Have Run" is on.'
						: 'The platform could not take the request. It is safe to try again later.',
			});
		}
	}
	if (status >= 400 && status < 500) {
		return new LivePersonError(`LivePerson rejected the request (HTTP ${status})${detail}`, {
			...base,
			kind: 'bad-request',
			description: 'The request was malformed. Check the payload and the headers of the node.',
		});
	}
	return new LivePersonError(`LivePerson Functions failed to answer (HTTP ${status})${detail}`, {
		...base,
		kind: 'platform',
		mayHaveRun: true,
		description:
			'A platform error. The function may or may not have run, so the call is not repeated unless "Retry When the Function May Already Have Run" is on.',
	});
}

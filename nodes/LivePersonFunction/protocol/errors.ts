/**
 * What went wrong, in the terms a user acts on. Only `throttled`, `unavailable` (503) and
 * `transport` errors raised before the request left are safe to repeat without asking the user,
 * because only then can the function not have run.
 */
export type LivePersonErrorKind =
	| 'function-failure'
	| 'not-found'
	| 'auth'
	| 'throttled'
	| 'unavailable'
	| 'platform'
	| 'bad-request'
	| 'transport'
	| 'timeout'
	| 'bad-answer'
	| 'configuration';

/** Which step of the chain failed: the credential test names it to the user. */
export type LivePersonStep = 'discovery' | 'token' | 'invoke' | 'listing';

export interface LivePersonErrorBody {
	code?: string;
	message?: string;
	errorLogs?: unknown[];
}

export interface LivePersonErrorDetails {
	kind: LivePersonErrorKind;
	step: LivePersonStep;
	description?: string;
	httpStatus?: number;
	body?: LivePersonErrorBody;
	retryAfterMs?: number;
	/** True when the function may have run although no answer says so (timeouts, resets, 5xx). */
	mayHaveRun?: boolean;
	/** The socket error (ECONNREFUSED...) behind a transport error. */
	socketCode?: string;
}

/**
 * Deliberately has no `code`, `status` or `statusCode` property: n8n's NodeApiError looks for
 * those on a wrapped error and would replace our message with a generic one.
 */
export class LivePersonError extends Error {
	readonly kind: LivePersonErrorKind;
	readonly step: LivePersonStep;
	readonly description?: string;
	readonly httpStatus?: number;
	readonly body?: LivePersonErrorBody;
	readonly retryAfterMs?: number;
	readonly mayHaveRun: boolean;
	readonly socketCode?: string;

	constructor(message: string, details: LivePersonErrorDetails) {
		super(message);
		this.name = 'LivePersonError';
		this.kind = details.kind;
		this.step = details.step;
		this.description = details.description;
		this.httpStatus = details.httpStatus;
		this.body = details.body;
		this.retryAfterMs = details.retryAfterMs;
		this.mayHaveRun = details.mayHaveRun ?? false;
		this.socketCode = details.socketCode;
	}

	/** One self-contained sentence pair, for places that show only a message (n8n's credential test). */
	withAdvice(): LivePersonError {
		if (!this.description) return this;
		return new LivePersonError(`${this.message}. ${this.description}`, {
			kind: this.kind,
			step: this.step,
			httpStatus: this.httpStatus,
			body: this.body,
			retryAfterMs: this.retryAfterMs,
			mayHaveRun: this.mayHaveRun,
			socketCode: this.socketCode,
		});
	}
}

// Words, not codes, in messages: n8n replaces any error message that contains a socket code
// (ECONNREFUSED...) with a generic sentence, which would hide which LivePerson step failed.
const NOT_SENT: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ENETDOWN: 'network down',
};
const TIMEOUT_CODES = new Set([
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);
const BROKEN: Record<string, string> = {
	ECONNRESET: 'connection reset',
	EPIPE: 'connection closed',
	ABORTED: 'cancelled',
};

// Node's socket codes (ECONNRESET) and undici's; axios' own ERR_* codes say nothing about the socket.
const SOCKET_CODE = /^(E(?!RR_)[A-Z_]+|UND_ERR_[A-Z_]+)$/;

/**
 * The first value `pick` finds on an error or along its `cause` chain: n8n wraps errors several
 * times (NodeApiError around axios' error around the socket's), and an error may point to itself.
 */
export function findInCauseChain<T>(
	error: unknown,
	pick: (link: Record<string, unknown>) => T | undefined,
): T | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (typeof current === 'object' && current !== null && !seen.has(current)) {
		seen.add(current);
		const link = current as Record<string, unknown>;
		const found = pick(link);
		if (found !== undefined) return found;
		current = link.cause ?? link.error;
	}
	return undefined;
}

/** The first socket error code on an error or its `cause` chain. */
export function findErrorCode(error: unknown): string | undefined {
	return findInCauseChain(error, (link) => {
		if (link.name === 'AbortError' || link.code === 'ERR_CANCELED') return 'ABORTED';
		return typeof link.code === 'string' && SOCKET_CODE.test(link.code) ? link.code : undefined;
	});
}

/** The LivePerson error behind whatever n8n wrapped around it. */
export function findLivePersonError(error: unknown): LivePersonError | undefined {
	return findInCauseChain(error, (link) => (link instanceof LivePersonError ? link : undefined));
}

/** Any failure of a call as a LivePersonError: ours as is, anything else as a transport error. */
export function asLivePersonError(
	error: unknown,
	step: LivePersonStep,
	target: string,
): LivePersonError {
	return findLivePersonError(error) ?? classifyTransportError(error, step, target);
}

/** Classifies an error thrown by the HTTP client (no answer arrived) for the given target. */
export function classifyTransportError(
	error: unknown,
	step: LivePersonStep,
	target: string,
): LivePersonError {
	const socketCode = findErrorCode(error);
	if (socketCode && NOT_SENT[socketCode]) {
		return new LivePersonError(`Could not connect to ${target} (${NOT_SENT[socketCode]})`, {
			kind: 'transport',
			step,
			socketCode,
			mayHaveRun: false,
			description:
				'The request was not sent. Check the host name and that this n8n instance can reach it.',
		});
	}
	if (socketCode && TIMEOUT_CODES.has(socketCode)) {
		return new LivePersonError(`No answer from ${target} in time`, {
			kind: 'timeout',
			step,
			socketCode,
			mayHaveRun: true,
			description:
				'The request may have reached LivePerson, so the function may have run. Raise the Timeout option, or turn on "Retry When the Function May Already Have Run" if the function is safe to repeat.',
		});
	}
	const what = (socketCode && BROKEN[socketCode]) ?? 'network error';
	return new LivePersonError(`The connection to ${target} failed (${what})`, {
		kind: 'transport',
		step,
		socketCode,
		mayHaveRun: true,
		description:
			'The connection broke after the request may have been sent, so the function may have run. It is not repeated unless "Retry When the Function May Already Have Run" is on.',
	});
}

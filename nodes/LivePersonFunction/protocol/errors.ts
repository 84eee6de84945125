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
	| 'redirect'
	| 'cancelled'
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

/** The LivePerson error behind whatever n8n wrapped around it. */
export function findLivePersonError(error: unknown): LivePersonError | undefined {
	return findInCauseChain(error, (link) => (link instanceof LivePersonError ? link : undefined));
}

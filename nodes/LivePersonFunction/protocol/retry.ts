import { LivePersonError } from './errors';
import { cancelledError } from './transportErrors';

export interface RetryPolicy {
	/** Attempts in all, the first one included. */
	maxAttempts: number;
	/** No retry starts after this much time since the first attempt. */
	maxTotalMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** The user's opt-in to repeat calls that may already have run the function. */
	retryWhenMayHaveRun: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	maxTotalMs: 60_000,
	baseDelayMs: 500,
	maxDelayMs: 10_000,
	retryWhenMayHaveRun: false,
};

export interface RetryEnvironment {
	/** Waits `ms`, or less when `cancelSignal` aborts first. */
	sleep: (ms: number) => Promise<void>;
	now: () => number;
	random: () => number;
	/** The execution's cancellation: no attempt starts after it, and a retry wait ends with it. */
	cancelSignal?: AbortSignal;
}

/**
 * Safe to repeat without asking: throttling, 503 with Retry-After and failures to connect (nothing
 * was sent). Timeouts, resets after sending, a bare 503 and other 5xx may have run the function:
 * only with the opt-in.
 * Function failures, bad requests, not-found and auth errors are never repeated here, nor are
 * failures of the credential's own discovery and token requests
 * (an expired token is renewed by n8n's own 401 path before we ever see it).
 */
export function isRetryable(error: unknown, policy: RetryPolicy): boolean {
	if (!(error instanceof LivePersonError)) return false;
	// A failed discovery or token request is the credential's problem, not the invocation's: repeating
	// it for every item would only hammer the Domain API or Sentinel. The error says what to fix.
	if (error.step === 'discovery' || error.step === 'token') return false;
	if (error.kind === 'throttled') return true;
	if ((error.kind === 'unavailable' || error.kind === 'transport') && !error.mayHaveRun)
		return true;
	const mayHaveRunKinds = ['timeout', 'transport', 'platform', 'unavailable'];
	return policy.retryWhenMayHaveRun && mayHaveRunKinds.includes(error.kind);
}

/** Exponential backoff with full jitter; a Retry-After from LivePerson wins when it is longer. */
export function retryDelayMs(
	failures: number,
	error: LivePersonError,
	policy: RetryPolicy,
	random: number,
): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
	const jittered = Math.round(ceiling / 2 + (random * ceiling) / 2);
	return error.retryAfterMs !== undefined ? Math.max(error.retryAfterMs, jittered) : jittered;
}

export interface Attempted<T> {
	value: T;
	attempts: number;
}

/** An error that also says how many attempts were made before giving up. */
export class AttemptsError extends Error {
	constructor(
		readonly error: unknown,
		readonly attempts: number,
	) {
		super(error instanceof Error ? error.message : String(error));
		this.name = 'AttemptsError';
	}
}

export async function withRetries<T>(
	operation: (attempt: number) => Promise<T>,
	policy: RetryPolicy,
	environment: RetryEnvironment,
): Promise<Attempted<T>> {
	const started = environment.now();
	for (let attempt = 1; ; attempt++) {
		let failure: unknown;
		try {
			return { value: await operation(attempt), attempts: attempt };
		} catch (error) {
			failure = error;
		}
		const cancelled = () => environment.cancelSignal?.aborted === true;
		const giveUp = attempt >= policy.maxAttempts || !isRetryable(failure, policy) || cancelled();
		const delay = giveUp
			? 0
			: retryDelayMs(attempt, failure as LivePersonError, policy, environment.random());
		if (giveUp || environment.now() + delay - started > policy.maxTotalMs)
			throw new AttemptsError(failure, attempt);
		await environment.sleep(delay);
		// Cancelled while waiting: the item is not sent again, and says what the last attempt did.
		if (cancelled()) {
			const earlier = failure as LivePersonError;
			throw new AttemptsError(cancelledError(earlier.step, { sent: false, earlier }), attempt);
		}
	}
}

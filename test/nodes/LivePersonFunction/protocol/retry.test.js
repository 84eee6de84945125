'use strict';

const {
	withRetries,
	isRetryable,
	retryDelayMs,
	AttemptsError,
	DEFAULT_RETRY_POLICY,
} = require('../../../../nodes/LivePersonFunction/protocol/retry');
const { LivePersonError } = require('../../../../nodes/LivePersonFunction/protocol/errors');
const { fakeEnvironment } = require('../../../helpers/fakeEnvironment');

const lp = (kind, extra = {}) => new LivePersonError(kind, { kind, step: 'invoke', ...extra });

describe('isRetryable', () => {
	const safe = DEFAULT_RETRY_POLICY;
	const optIn = { ...DEFAULT_RETRY_POLICY, retryWhenMayHaveRun: true };
	test.each([
		[lp('throttled'), true, true],
		[lp('unavailable'), true, true],
		[lp('transport', { mayHaveRun: false }), true, true],
		[lp('transport', { mayHaveRun: true }), false, true],
		[lp('timeout', { mayHaveRun: true }), false, true],
		[lp('platform', { mayHaveRun: true }), false, true],
		[lp('function-failure'), false, false],
		[lp('not-found'), false, false],
		[lp('auth'), false, false],
		[lp('bad-request'), false, false],
		[lp('bad-answer', { mayHaveRun: true }), false, false],
		[new Error('other'), false, false],
		[
			new LivePersonError('Sentinel down', { kind: 'transport', step: 'token', mayHaveRun: false }),
			false,
			false,
		],
		[new LivePersonError('CSDS busy', { kind: 'unavailable', step: 'discovery' }), false, false],
	])('%s: by default %s, with the opt-in %s', (error, byDefault, withOptIn) => {
		expect(isRetryable(error, safe)).toBe(byDefault);
		expect(isRetryable(error, optIn)).toBe(withOptIn);
	});
});

test('retryDelayMs: exponential with jitter, capped, and Retry-After wins when longer', () => {
	const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
	expect(retryDelayMs(1, lp('throttled'), policy, 0)).toBe(50);
	expect(retryDelayMs(1, lp('throttled'), policy, 1)).toBe(100);
	expect(retryDelayMs(3, lp('throttled'), policy, 1)).toBe(400);
	expect(retryDelayMs(10, lp('throttled'), policy, 1)).toBe(1000);
	expect(retryDelayMs(1, lp('throttled', { retryAfterMs: 3000 }), policy, 1)).toBe(3000);
	expect(retryDelayMs(3, lp('throttled', { retryAfterMs: 10 }), policy, 1)).toBe(400);
});

describe('withRetries', () => {
	test('returns the value and the attempts', async () => {
		const environment = fakeEnvironment();
		let calls = 0;
		const result = await withRetries(
			async () => {
				calls++;
				if (calls < 3) throw lp('throttled');
				return 'ok';
			},
			DEFAULT_RETRY_POLICY,
			environment,
		);
		expect(result).toEqual({ value: 'ok', attempts: 3 });
		expect(environment.sleeps).toEqual([375, 750]);
	});

	test('stops at maxAttempts and reports them', async () => {
		const environment = fakeEnvironment();
		const error = await withRetries(
			async () => {
				throw lp('unavailable');
			},
			{ ...DEFAULT_RETRY_POLICY, maxAttempts: 3 },
			environment,
		).catch((e) => e);
		expect(error).toBeInstanceOf(AttemptsError);
		expect(error.attempts).toBe(3);
		expect(error.error.kind).toBe('unavailable');
		expect(environment.sleeps).toHaveLength(2);
	});

	test('does not start a wait that would end past the total time budget', async () => {
		const environment = fakeEnvironment();
		const error = await withRetries(
			async () => {
				throw lp('throttled', { retryAfterMs: 90_000 });
			},
			DEFAULT_RETRY_POLICY,
			environment,
		).catch((e) => e);
		expect(error.attempts).toBe(1);
		expect(environment.sleeps).toEqual([]);
	});

	test('never repeats an error that is not retryable, nor after cancellation', async () => {
		const environment = fakeEnvironment();
		const failure = await withRetries(
			async () => {
				throw lp('function-failure');
			},
			DEFAULT_RETRY_POLICY,
			environment,
		).catch((e) => e);
		expect(failure.attempts).toBe(1);
		const cancelled = await withRetries(
			async () => {
				throw lp('throttled');
			},
			DEFAULT_RETRY_POLICY,
			{ ...environment, cancelSignal: AbortSignal.abort() },
		).catch((e) => e);
		expect(cancelled.attempts).toBe(1);
		expect(environment.sleeps).toEqual([]);
	});

	test.each([
		['throttled', false, /the function did not run for this item/],
		['timeout', true, /an earlier attempt may have run the function/],
	])(
		'cancelled during the wait after %s: not sent again, reported as cancelled (mayHaveRun %s)',
		async (kind, mayHaveRun, said) => {
			const cancel = new AbortController();
			const environment = fakeEnvironment();
			let attempts = 0;
			const failure = await withRetries(
				async () => {
					attempts++;
					throw lp(kind, { mayHaveRun });
				},
				{ ...DEFAULT_RETRY_POLICY, retryWhenMayHaveRun: true },
				{
					...environment,
					cancelSignal: cancel.signal,
					sleep: async () => cancel.abort(),
				},
			).catch((e) => e);
			expect(attempts).toBe(1);
			expect(failure.attempts).toBe(1);
			expect(failure.error).toMatchObject({ kind: 'cancelled', step: 'invoke', mayHaveRun });
			expect(failure.error.message).toBe(
				'The execution was cancelled before this item was sent again',
			);
			expect(failure.error.description).toMatch(said);
		},
	);
});

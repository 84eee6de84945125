'use strict';

const {
	jsonDepthExceeds,
	untilAborted,
} = require('../../../../nodes/LivePersonFunction/protocol/http');

describe('untilAborted', () => {
	test('work that never settles ends when the signal aborts, with what onAbort gives', async () => {
		const controller = new AbortController();
		const waiting = untilAborted(new Promise(() => {}), controller.signal, () => 'stopped');
		controller.abort();
		await expect(waiting).resolves.toBe('stopped');
	});

	test('an onAbort that throws rejects; the lost work failing later is not unhandled', async () => {
		const controller = new AbortController();
		let failLater;
		const work = new Promise((_, reject) => (failLater = reject));
		const waiting = untilAborted(work, controller.signal, () => {
			throw new Error('deadline');
		});
		controller.abort();
		await expect(waiting).rejects.toThrow('deadline');
		failLater(new Error('late'));
		await new Promise((resolve) => setImmediate(resolve));
	});

	test('work that settles first wins, and leaves no listener on the signal', async () => {
		const controller = new AbortController();
		const added = jest.spyOn(controller.signal, 'addEventListener');
		const removed = jest.spyOn(controller.signal, 'removeEventListener');
		await expect(untilAborted(Promise.resolve(7), controller.signal, () => 0)).resolves.toBe(7);
		expect(removed.mock.calls.map((c) => c[1])).toEqual(added.mock.calls.map((c) => c[1]));
	});

	test('an already aborted signal gives onAbort at once', async () => {
		await expect(untilAborted(new Promise(() => {}), AbortSignal.abort(), () => 'x')).resolves.toBe(
			'x',
		);
	});
});

describe('jsonDepthExceeds', () => {
	const nested = (depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
	test.each([
		[nested(3), 3, false],
		[nested(4), 3, true],
		[`{"a":${nested(3)}}`, 3, true],
		// Brackets and escaped quotes inside strings do not count.
		[`["[[[[\\"[[["]`, 1, false],
		['"\\\\"', 0, false],
	])('%s deeper than %i: %s', (text, limit, deeper) => {
		expect(jsonDepthExceeds(text, limit)).toBe(deeper);
	});
});

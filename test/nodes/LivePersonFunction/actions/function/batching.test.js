'use strict';

/** How items are cut into batches, and how the Batching option is read. */
const {
	planBatches,
	readBatchLimits,
} = require('../../../../../nodes/LivePersonFunction/actions/function/batching');

const candidates = (sizes, key = () => 'k', envelope = 100) =>
	sizes.map((payloadBytes, itemIndex) => ({
		itemIndex,
		key: key(itemIndex),
		payloadBytes,
		envelopeBytes: envelope,
	}));

describe('planBatches', () => {
	test('at most maxItems per batch, in input order, every item once', () => {
		const plan = planBatches(candidates(Array(23).fill(10)), { maxItems: 10, maxBytes: 1e6 });
		expect(plan.map((b) => b.length)).toEqual([10, 10, 3]);
		expect(plan.flat()).toEqual([...Array(23).keys()]);
	});

	test('the byte cap counts the envelope, each payload and the commas, and is never exceeded', () => {
		// 100 + 10 + (1 + 10) + (1 + 10) = 132: three fit in 132, not in 131.
		expect(planBatches(candidates([10, 10, 10, 10]), { maxItems: 50, maxBytes: 132 })).toEqual([
			[0, 1, 2],
			[3],
		]);
		expect(planBatches(candidates([10, 10, 10, 10]), { maxItems: 50, maxBytes: 131 })).toEqual([
			[0, 1],
			[2, 3],
		]);
	});

	test('items that would call differently never share a batch', () => {
		const key = (i) => (i < 2 || i > 3 ? 'a' : 'b');
		expect(
			planBatches(candidates([1, 1, 1, 1, 1, 1], key), { maxItems: 10, maxBytes: 1e6 }),
		).toEqual([
			[0, 1],
			[2, 3],
			[4, 5],
		]);
	});

	test('a gap (an item refused before sending) ends the batch, so a batch is a run of adjacent items', () => {
		const list = candidates([1, 1, 1, 1]).filter((c) => c.itemIndex !== 2);
		expect(planBatches(list, { maxItems: 10, maxBytes: 1e6 })).toEqual([[0, 1], [3]]);
	});

	test('no items, no batches', () => {
		expect(planBatches([], { maxItems: 10, maxBytes: 1000 })).toEqual([]);
	});
});

describe('readBatchLimits', () => {
	test('not added (or empty): batching is off', () => {
		expect(readBatchLimits(undefined)).toBeUndefined();
		expect(readBatchLimits({})).toBeUndefined();
	});

	test('added: its values, defaults for what is left empty, clamped, KB as 1024 bytes', () => {
		expect(readBatchLimits({ batch: { itemsPerCall: 50, maxKilobytes: 64 } })).toEqual({
			maxItems: 50,
			maxBytes: 65536,
		});
		expect(readBatchLimits({ batch: {} })).toEqual({ maxItems: 10, maxBytes: 256 * 1024 });
		expect(readBatchLimits({ batch: { itemsPerCall: 1e9, maxKilobytes: -5 } })).toEqual({
			maxItems: 1000,
			maxBytes: 1024,
		});
		expect(readBatchLimits({ batch: { itemsPerCall: '7.4' } }).maxItems).toBe(7);
	});

	test('not a number (from an expression): an error naming the field', () => {
		expect(() => readBatchLimits({ batch: { itemsPerCall: 'many' } })).toThrow(
			expect.objectContaining({ field: 'Items per Call' }),
		);
		expect(() => readBatchLimits({ batch: { maxKilobytes: Infinity } })).toThrow(
			expect.objectContaining({ field: 'Max Call Size (KB)' }),
		);
	});
});

import type { INodeProperties } from 'n8n-workflow';

import { boundedNumber } from '../shared/numbers';

const BATCH_SIZE_BOUNDS = { min: 1, max: 1000 };
const BATCH_KILOBYTES_BOUNDS = { min: 1, max: 10_240 };
const DEFAULT_BATCH_SIZE = 10;
// The platform's own body limit is not published; this stays far below anything it accepts.
const DEFAULT_BATCH_KILOBYTES = 256;

export const BATCHING_OPTION: INodeProperties = {
	displayName: 'Batching',
	name: 'batching',
	type: 'fixedCollection',
	placeholder: 'Add Batching',
	default: {},
	description:
		'Send several items in one call. Only for functions written for batches: see "Batch invocation" in the README.',
	options: [
		{
			displayName: 'Batching',
			name: 'batch',
			values: [
				{
					displayName: 'Items per Call',
					name: 'itemsPerCall',
					type: 'number',
					typeOptions: { minValue: BATCH_SIZE_BOUNDS.min, maxValue: BATCH_SIZE_BOUNDS.max },
					default: DEFAULT_BATCH_SIZE,
					description:
						'At most this many items go in one call. The function has 30 s for the whole batch.',
				},
				{
					displayName: 'Max Call Size (KB)',
					name: 'maxKilobytes',
					type: 'number',
					typeOptions: {
						minValue: BATCH_KILOBYTES_BOUNDS.min,
						maxValue: BATCH_KILOBYTES_BOUNDS.max,
					},
					default: DEFAULT_BATCH_KILOBYTES,
					description: 'A call never carries more than this many kilobytes (1 KB = 1024 bytes)',
				},
			],
		},
	],
};

export interface BatchLimits {
	maxItems: number;
	maxBytes: number;
}

/** The Batching option as set (read once, from the first item); undefined when batching is off. */
export function readBatchLimits(value: unknown): BatchLimits | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const batch = (value as { batch?: unknown }).batch;
	if (typeof batch !== 'object' || batch === null) return undefined;
	const { itemsPerCall, maxKilobytes } = batch as Record<string, unknown>;
	const kilobytes =
		boundedNumber(maxKilobytes, 'Max Call Size (KB)', BATCH_KILOBYTES_BOUNDS) ??
		DEFAULT_BATCH_KILOBYTES;
	return {
		maxItems:
			boundedNumber(itemsPerCall, 'Items per Call', BATCH_SIZE_BOUNDS) ?? DEFAULT_BATCH_SIZE,
		maxBytes: kilobytes * 1024,
	};
}

/** One item ready to go in a batch: calls with the same `key` may share a batch. */
export interface BatchCandidate {
	itemIndex: number;
	key: string;
	payloadBytes: number;
	/** The size of the call's body without items (see batchEnvelopeBytes). */
	envelopeBytes: number;
}

/**
 * Cuts the items, in input order, into batches: consecutive items that call the same way, at most
 * `maxItems` of them and never more than `maxBytes` in all. Every batch is a run of adjacent items,
 * so it can be named by its first and last item. Candidates must each fit `maxBytes` on their own.
 */
export function planBatches(candidates: BatchCandidate[], limits: BatchLimits): number[][] {
	const batches: number[][] = [];
	let current: number[] = [];
	let bytes = 0;
	let previous: BatchCandidate | undefined;
	for (const candidate of candidates) {
		const joins =
			previous !== undefined &&
			candidate.itemIndex === previous.itemIndex + 1 &&
			candidate.key === previous.key &&
			current.length < limits.maxItems &&
			bytes + 1 + candidate.payloadBytes <= limits.maxBytes;
		if (joins) {
			current.push(candidate.itemIndex);
			bytes += 1 + candidate.payloadBytes;
		} else {
			if (current.length) batches.push(current);
			current = [candidate.itemIndex];
			bytes = candidate.envelopeBytes + candidate.payloadBytes;
		}
		previous = candidate;
	}
	if (current.length) batches.push(current);
	return batches;
}

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { batchEnvelopeBytes, utf8Bytes } from '../../protocol/batch';
import type { CallSettings, InvocationEnvelope } from '../../protocol/client';
import { LivePersonCallError } from '../../protocol/client';
import { payloadJson } from '../../protocol/invoke';
import type { InvocationOptions } from '../shared/invocation';
import { readConcurrency, readItemInvocation } from '../shared/invocation';
import type { BatchRange } from '../shared/itemErrors';
import { ItemInputError } from '../shared/itemErrors';
import type { ItemOutcome, WorkUnit } from '../shared/runItems';
import { runUnits } from '../shared/runItems';
import type { BatchCandidate, BatchLimits } from './batching';
import { planBatches } from './batching';
import { functionResultItem, readFunctionId } from './functionItem';

/** What one item contributes to its batch, read and checked before anything is sent. */
interface BatchItem {
	functionId: string;
	envelope: InvocationEnvelope;
	settings: CallSettings;
	options: InvocationOptions;
	payloadJson: string;
}

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function readBatchItem(
	this: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	limits: BatchLimits,
): { read: BatchItem; candidate: BatchCandidate } {
	const functionId = readFunctionId.call(this, itemIndex);
	const { content, options, settings } = readItemInvocation.call(this, itemIndex, item.json);
	const { headers, userId, skillId } = content;
	const json = payloadJson(content.payload);
	const payloadBytes = utf8Bytes(json);
	const envelopeBytes = batchEnvelopeBytes(headers);
	if (envelopeBytes + payloadBytes > limits.maxBytes) {
		throw new ItemInputError(
			`The payload is ${kilobytes(payloadBytes)}: a call with it would be larger than ${kilobytes(limits.maxBytes)}`,
			'Max Call Size (KB)',
			'Raise Max Call Size (KB), send fewer fields, or turn Batching off for such items.',
		);
	}
	return {
		read: {
			functionId,
			envelope: { headers, userId, skillId },
			settings,
			options,
			payloadJson: json,
		},
		candidate: {
			itemIndex,
			// Items share a call only if they would call exactly the same way on their own.
			key: JSON.stringify([functionId, headers, userId, skillId, settings]),
			payloadBytes,
			envelopeBytes,
		},
	};
}

/**
 * Invoke by UUID with batching: every item is read and checked first (a bad item fails on its own,
 * before anything is sent), then adjacent items that call the same way go out together, one call
 * per batch, `concurrency` batches at a time. The function answers one element per item.
 */
export async function executeInBatches(
	this: IExecuteFunctions,
	limits: BatchLimits,
): Promise<INodeExecutionData[][]> {
	const concurrency = readConcurrency.call(this);
	const items = this.getInputData();
	const reads = new Array<BatchItem>(items.length);
	const candidates: BatchCandidate[] = [];
	const refused: ItemOutcome[] = [];
	for (const [itemIndex, item] of items.entries()) {
		try {
			const { read, candidate } = readBatchItem.call(this, itemIndex, item, limits);
			reads[itemIndex] = read;
			candidates.push(candidate);
		} catch (error) {
			refused.push({ itemIndex, error });
		}
	}
	const units: WorkUnit[] = planBatches(candidates, limits).map((batch) => ({
		items: batch,
		batch: { firstItem: batch[0], lastItem: batch[batch.length - 1], size: batch.length },
	}));

	return await runUnits.call(
		this,
		concurrency,
		units,
		async (client, unit) => {
			const { functionId, envelope, settings } = reads[unit.items[0]];
			const result = await client.invokeFunctionBatch(
				functionId,
				{ ...envelope, payloadsJson: unit.items.map((itemIndex) => reads[itemIndex].payloadJson) },
				settings,
			);
			const range = unit.batch as BatchRange; // every unit of this operation is a batch
			const details = { functionId, batch: { ...range } };
			return result.value.map((element, position): ItemOutcome => {
				const itemIndex = unit.items[position];
				if (!element.ok) {
					const { attempts, requestId } = result;
					return {
						itemIndex,
						error: new LivePersonCallError(element.error, { attempts, requestId, functionId }),
						batch: { range, wholeCall: false },
					};
				}
				const { options } = reads[itemIndex];
				return {
					itemIndex,
					output: [
						functionResultItem(items[itemIndex], itemIndex, element.result, options, {
							result,
							details,
						}),
					],
				};
			});
		},
		refused,
	);
}

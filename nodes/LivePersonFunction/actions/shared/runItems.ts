import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { LivePersonClient } from '../../protocol/client';
import { asLivePersonError, LivePersonError } from '../../protocol/errors';
import { mapWithConcurrency } from '../../protocol/pool';
import { openLivePersonClient } from '../../transport/openClient';
import { errorJson, nodeError } from './itemErrors';

const cancelledError = () =>
	new LivePersonError('The execution was cancelled before this item was sent', {
		kind: 'cancelled',
		step: 'invoke',
		mayHaveRun: false,
		description: 'Nothing was sent for this item.',
	});

export type ItemTask = (
	client: LivePersonClient,
	itemIndex: number,
	item: INodeExecutionData,
) => Promise<INodeExecutionData[]>;

/**
 * Runs `task` for every input item, `concurrency` at a time, on one client (credential read and
 * hosts found once per execution). Outputs keep the input order and are paired with their item.
 * A failed item becomes an error item with "continue on fail"; otherwise the node stops at the first
 * failure (no new item starts) and throws an error that names the item.
 */
export async function runForEachItem(
	this: IExecuteFunctions,
	concurrency: number,
	task: ItemTask,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();

	let client: LivePersonClient | undefined;
	let openError: unknown;
	try {
		client = await openLivePersonClient(this);
	} catch (error) {
		openError = asLivePersonError(error, 'discovery', 'the LivePerson Domain API');
	}

	// Cancelling the execution aborts what is in flight (n8n passes its signal to every request);
	// no item starts after it, so nothing more is sent.
	const cancelSignal = this.getExecutionCancelSignal?.();
	let stopped = false;
	const settled = await mapWithConcurrency(
		items.length,
		Math.max(1, Math.floor(concurrency) || 1),
		async (itemIndex) => {
			if (openError) throw openError;
			if (stopped) return [];
			if (cancelSignal?.aborted) throw cancelledError();
			return await task(client as LivePersonClient, itemIndex, items[itemIndex]).catch(
				(error: unknown) => {
					if (!continueOnFail) stopped = true;
					throw error;
				},
			);
		},
	);

	const output: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of settled.entries()) {
		if (outcome.status === 'fulfilled') {
			output.push(...outcome.value);
			continue;
		}
		if (!continueOnFail) throw nodeError(this.getNode(), outcome.reason, itemIndex);
		output.push({
			json: { error: errorJson(outcome.reason, itemIndex) },
			pairedItem: { item: itemIndex },
		});
	}
	return [output];
}

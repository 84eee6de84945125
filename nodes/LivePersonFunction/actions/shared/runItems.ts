import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { LivePersonClient } from '../../protocol/client';
import { asLivePersonError, cancelledError } from '../../protocol/transportErrors';
import { mapWithConcurrency } from '../../protocol/pool';
import { openLivePersonClient } from '../../transport/openClient';
import type { BatchFailure, BatchRange } from './itemErrors';
import { errorJson, nodeError } from './itemErrors';
import { failuresBecomeItems } from './tool';

export type ItemTask = (
	client: LivePersonClient,
	itemIndex: number,
	item: INodeExecutionData,
) => Promise<INodeExecutionData[]>;

/** What became of one input item: its output items, or why it failed. */
export type ItemOutcome =
	| { itemIndex: number; output: INodeExecutionData[] }
	| { itemIndex: number; error: unknown; batch?: BatchFailure };

/** Items sent together in one call (one item, or a batch). */
export interface WorkUnit {
	items: number[];
	batch?: BatchRange;
}

/** Runs one unit; throwing fails every item of the unit with that error. */
type UnitTask = (client: LivePersonClient, unit: WorkUnit) => Promise<ItemOutcome[]>;

const failed = (outcome: ItemOutcome) => 'error' in outcome;

/**
 * Runs `task` for every unit, `concurrency` at a time, on one client (credential read and hosts
 * found once per execution). Outputs keep the input order and are paired with their item; every
 * input item gets an outcome. A failed item becomes an error item with "continue on fail" (and as
 * an AI agent's tool, see failuresBecomeItems);
 * otherwise the node stops at the first failure (no new unit starts) and throws an error that
 * names the item. `refused` are items that failed before anything was sent.
 */
export async function runUnits(
	this: IExecuteFunctions,
	concurrency: number,
	units: WorkUnit[],
	task: UnitTask,
	refused: ItemOutcome[] = [],
): Promise<INodeExecutionData[][]> {
	const continueOnFail = failuresBecomeItems(this);
	const outcomes = new Array<ItemOutcome | undefined>(this.getInputData().length);
	for (const outcome of refused) outcomes[outcome.itemIndex] = outcome;

	let stopped = !continueOnFail && refused.length > 0;
	let client: LivePersonClient | undefined;
	let openError: unknown;
	if (!stopped) {
		try {
			client = await openLivePersonClient(this);
		} catch (error) {
			openError = asLivePersonError(error, 'discovery', 'the LivePerson Domain API');
		}
	}

	// Cancelling the execution aborts what is in flight (n8n passes its signal to every request);
	// no unit starts after it, so nothing more is sent.
	const cancelSignal = this.getExecutionCancelSignal?.();
	const failUnit = (unit: WorkUnit, error: unknown) => {
		for (const itemIndex of unit.items)
			outcomes[itemIndex] = {
				itemIndex,
				error,
				batch: unit.batch && { range: unit.batch, wholeCall: true },
			};
	};
	await mapWithConcurrency(units.length, Math.max(1, Math.floor(concurrency) || 1), async (i) => {
		const unit = units[i];
		if (stopped) return;
		if (openError) return failUnit(unit, openError);
		if (cancelSignal?.aborted) return failUnit(unit, cancelledError('invoke', { sent: false }));
		try {
			for (const outcome of await task(client as LivePersonClient, unit)) {
				outcomes[outcome.itemIndex] = outcome;
			}
		} catch (error) {
			failUnit(unit, error);
		}
		if (!continueOnFail && unit.items.some((item) => outcomes[item] && failed(outcomes[item])))
			stopped = true;
	});

	const output: INodeExecutionData[] = [];
	for (const outcome of outcomes) {
		// No outcome: a unit that never started because an earlier item failed (thrown below).
		if (!outcome) continue;
		if ('output' in outcome) {
			output.push(...outcome.output);
			continue;
		}
		const { itemIndex, error, batch } = outcome;
		if (!continueOnFail) throw nodeError(this.getNode(), error, itemIndex, batch);
		output.push({
			json: { error: errorJson(error, itemIndex, batch) },
			pairedItem: { item: itemIndex },
		});
	}
	return [output];
}

/** `task` for every input item on its own; see runUnits. */
export async function runForEachItem(
	this: IExecuteFunctions,
	concurrency: number,
	task: ItemTask,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const units = items.map((_, itemIndex) => ({ items: [itemIndex] }));
	return await runUnits.call(this, concurrency, units, async (client, { items: [itemIndex] }) => [
		{ itemIndex, output: await task(client, itemIndex, items[itemIndex]) },
	]);
}

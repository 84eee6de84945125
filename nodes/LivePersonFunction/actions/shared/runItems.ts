import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { LivePersonError } from '../../protocol/errors';
import { mapWithConcurrency } from '../../protocol/pool';
import { asLivePersonError, errorJson, nodeError } from '../../transport/errorMapping';
import type { FaasSession } from '../../transport/session';
import { openSession } from '../../transport/session';

export type ItemTask = (session: FaasSession, itemIndex: number, item: INodeExecutionData) => Promise<INodeExecutionData[]>;

/**
 * Runs `task` for every input item, `concurrency` at a time, on one session (credential read and
 * hosts found once per execution). Outputs keep the input order and are paired with their item.
 * A failed item becomes an error item with "continue on fail"; otherwise the node stops at the first
 * failure (no new item starts) and throws an error that names the item.
 */
export async function runForEachItem(this: IExecuteFunctions, concurrency: number, task: ItemTask): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();

	let session: FaasSession | undefined;
	let sessionError: unknown;
	try {
		session = await openSession(this);
	} catch (error) {
		sessionError = error instanceof LivePersonError ? error : asLivePersonError(error, 'discovery', 'the LivePerson Domain API');
	}

	let stopped = false;
	const settled = await mapWithConcurrency(items.length, Math.max(1, Math.floor(concurrency) || 1), async (itemIndex) => {
		if (sessionError) throw sessionError;
		if (stopped) return [];
		return await task(session as FaasSession, itemIndex, items[itemIndex]).catch((error: unknown) => {
			if (!continueOnFail) stopped = true;
			throw error;
		});
	});

	const output: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of settled.entries()) {
		if (outcome.status === 'fulfilled') {
			output.push(...outcome.value);
			continue;
		}
		const reason = outcome.reason as { requestId?: string; functionId?: string };
		const context = { itemIndex, requestId: reason.requestId, functionId: reason.functionId };
		if (!continueOnFail) throw nodeError(this.getNode(), outcome.reason, context);
		output.push({ json: { error: errorJson(outcome.reason, context) }, pairedItem: { item: itemIndex } });
	}
	return [output];
}

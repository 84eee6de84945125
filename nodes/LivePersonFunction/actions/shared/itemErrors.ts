import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { LivePersonCallError } from '../../protocol/client';
import { findLivePersonError } from '../../protocol/errors';

/** A problem with what the user configured for one item; the node names the item and the field. */
export class ItemInputError extends Error {
	constructor(
		message: string,
		readonly field: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'ItemInputError';
	}
}

/** The input items one batch call carried (first and last item index, and how many). */
export interface BatchRange {
	firstItem: number;
	lastItem: number;
	size: number;
}

/** A failure inside a batch call: of the whole call (every item of it), or of one item alone. */
export interface BatchFailure {
	range: BatchRange;
	wholeCall: boolean;
}

const batchWords = (range: BatchRange) =>
	range.size === 1
		? `the batch of item ${range.firstItem}`
		: `the batch of items ${range.firstItem}–${range.lastItem} (${range.size} items)`;

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What an error item carries under `error` (continue on fail / error output). Never secrets. */
export function errorJson(error: unknown, itemIndex: number, batch?: BatchFailure): IDataObject {
	const json = itemErrorJson(error, itemIndex);
	if (!batch) return json;
	const { range, wholeCall } = batch;
	// Failures of the whole call name the batch: the same request id for every item of it.
	if (wholeCall)
		return {
			...json,
			message: `${capitalised(batchWords(range))}: ${json.message as string}`,
			batch: { ...range },
		};
	// One item failed alone: the message stays the function's own; the description names the item
	// by its own index, as n8n does, and its batch by the items it carried.
	return {
		...json,
		description: `Item ${itemIndex}, in ${batchWords(range)}: ${json.description as string}`,
		batch: { ...range },
	};
}

function itemErrorJson(error: unknown, itemIndex: number): IDataObject {
	const call = error instanceof LivePersonCallError ? error : undefined;
	const reason = call ? call.reason : error;
	if (reason instanceof ItemInputError) {
		return {
			message: `Item ${itemIndex}, field "${reason.field}": ${reason.message}`,
			description: reason.description,
			kind: 'invalid-input',
			field: reason.field,
			itemIndex,
		};
	}
	const common = {
		itemIndex,
		functionId: call?.functionId,
		requestId: call?.requestId,
		attempts: call?.attempts,
	};
	const lp = findLivePersonError(reason);
	if (!lp)
		return {
			message: reason instanceof Error ? reason.message : String(reason),
			kind: 'unexpected',
			...common,
		};
	return {
		message: lp.message,
		description: lp.description,
		kind: lp.kind,
		step: lp.step,
		httpStatus: lp.httpStatus,
		code: lp.body?.code,
		errorMessage: lp.body?.message,
		errorLogs: lp.body?.errorLogs as IDataObject[] | undefined,
		retryAfterMs: lp.retryAfterMs,
		socketCode: lp.socketCode,
		mayHaveRun: lp.mayHaveRun,
		...common,
	};
}

/** The error the node throws when the user did not choose to continue on failure. */
export function nodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	batch?: BatchFailure,
): NodeApiError | NodeOperationError {
	const json = errorJson(error, itemIndex, batch);
	const description = typeof json.description === 'string' ? json.description : undefined;
	if (json.kind === 'invalid-input' || json.kind === 'unexpected') {
		return new NodeOperationError(node, json.message as string, { itemIndex, description });
	}
	return new NodeApiError(node, json as JsonObject, {
		message: json.message as string,
		description,
		httpCode: json.httpStatus === undefined ? undefined : String(json.httpStatus),
		itemIndex,
	});
}

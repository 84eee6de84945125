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

const batchWords = (batch: BatchRange) =>
	batch.size === 1
		? `The batch of item ${batch.firstItem}`
		: `The batch of items ${batch.firstItem}–${batch.lastItem} (${batch.size} items)`;

/** What an error item carries under `error` (continue on fail / error output). Never secrets. */
export function errorJson(error: unknown, itemIndex: number, batch?: BatchRange): IDataObject {
	const json = itemErrorJson(error, itemIndex);
	if (!batch) return json;
	// Failures of the whole call name the batch: the same request id for every item of it.
	return {
		...json,
		message: `${batchWords(batch)}: ${json.message as string}`,
		batch: { ...batch },
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
	batch?: BatchRange,
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

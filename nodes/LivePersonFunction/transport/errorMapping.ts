import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ItemInputError } from '../actions/shared/payload';
import { classifyTransportError, LivePersonError } from '../protocol/errors';
import type { LivePersonStep } from '../protocol/errors';
import { AttemptsError } from '../protocol/retry';

export interface FailureContext {
	itemIndex: number;
	attempts?: number;
	requestId?: string;
	functionId?: string;
}

/** The LivePerson error behind whatever n8n wrapped around it (n8n nests errors in `cause`). */
export function findLivePersonError(error: unknown): LivePersonError | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (typeof current === 'object' && current !== null && !seen.has(current)) {
		if (current instanceof LivePersonError) return current;
		seen.add(current);
		current = (current as { cause?: unknown; error?: unknown }).cause ?? (current as { error?: unknown }).error;
	}
	return undefined;
}

/** Any failure of a call as a LivePersonError: ours as is, anything else as a transport error. */
export function asLivePersonError(error: unknown, step: LivePersonStep, target: string): LivePersonError {
	return findLivePersonError(error) ?? classifyTransportError(error, step, target);
}

/** What an error item carries under `error` (continue on fail / error output). Never secrets. */
export function errorJson(error: unknown, context: FailureContext): IDataObject {
	const inner = error instanceof AttemptsError ? error.error : error;
	const attempts = error instanceof AttemptsError ? error.attempts : context.attempts;
	const common = { itemIndex: context.itemIndex, functionId: context.functionId, requestId: context.requestId, attempts };
	if (inner instanceof ItemInputError) {
		return {
			message: `Item ${context.itemIndex}, field "${inner.field}": ${inner.message}`,
			description: inner.description,
			kind: 'invalid-input',
			field: inner.field,
			itemIndex: context.itemIndex,
		};
	}
	const lp = findLivePersonError(inner);
	if (!lp) return { message: inner instanceof Error ? inner.message : String(inner), kind: 'unexpected', ...common };
	return {
		message: lp.message,
		description: lp.description,
		kind: lp.kind,
		step: lp.step,
		httpStatus: lp.httpStatus,
		code: lp.faas?.code,
		errorMessage: lp.faas?.message,
		errorLogs: lp.faas?.errorLogs as IDataObject[] | undefined,
		retryAfterMs: lp.retryAfterMs,
		socketCode: lp.socketCode,
		mayHaveRun: lp.mayHaveRun,
		...common,
	};
}

/** The error the node throws when the user did not choose to continue on failure. */
export function nodeError(node: INode, error: unknown, context: FailureContext): NodeApiError | NodeOperationError {
	const json = errorJson(error, context);
	const description = typeof json.description === 'string' ? json.description : undefined;
	if (json.kind === 'invalid-input' || json.kind === 'unexpected') {
		return new NodeOperationError(node, json.message as string, { itemIndex: context.itemIndex, description });
	}
	return new NodeApiError(node, json as JsonObject, {
		message: json.message as string,
		description,
		httpCode: json.httpStatus === undefined ? undefined : String(json.httpStatus),
		itemIndex: context.itemIndex,
	});
}

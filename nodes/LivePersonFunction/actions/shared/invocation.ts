import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { MAX_REQUEST_TIMEOUT_MS, MB, MIN_REQUEST_TIMEOUT_MS } from '../../protocol/http';

import type { CallResult, CallSettings, InvocationContent } from '../../protocol/client';
import type { Platform } from '../../protocol/invoke';
import { nodeError } from './itemErrors';
import { boundedNumber } from './numbers';
import { itemParameter } from './parameters';
import type { OutputMode } from './output';
import { checkResultField } from './output';
import type { NameValue } from './payload';
import { headersFromPairs, payloadFromFields, payloadFromJson } from './payload';
import type { ItemTask } from './runItems';
import { refuseHostileKeys, toolFacts } from './tool';
import { runForEachItem } from './runItems';

const TIMEOUT_BOUNDS = { min: MIN_REQUEST_TIMEOUT_MS, max: MAX_REQUEST_TIMEOUT_MS };
const ATTEMPTS_BOUNDS = { min: 1, max: 10 };
const CONCURRENCY_BOUNDS = { min: 1, max: 50 };
const ANSWER_SIZE_BOUNDS = { min: 1, max: 256 };
const PAYLOAD_FIELDS: Record<string, string> = {
	item: 'Payload',
	fields: 'Payload Fields',
	json: 'Payload (JSON)',
};

/** The Options collection of the invoking operations, as the user set it. */
export interface InvocationOptions {
	concurrency?: number;
	includeResponseDetails?: boolean;
	output?: OutputMode;
	platform?: 'auto' | Platform;
	resultField?: string;
	retry?: boolean;
	retryWhenMayHaveRun?: boolean;
	maxAttempts?: number;
	maxAnswerSize?: number;
	skillId?: string;
	timeout?: number;
	userId?: string;
	eventOutput?: 'list' | 'split';
}

export interface ItemInvocation {
	content: InvocationContent;
	options: InvocationOptions;
	settings: CallSettings;
}

const megabytesToBytes = (megabytes: number | undefined) =>
	megabytes === undefined ? undefined : Math.round(megabytes * MB);

/** What one item sends: its payload (by the chosen mode), headers, ids, and how to call. */
export function readItemInvocation(
	this: IExecuteFunctions,
	itemIndex: number,
	input: IDataObject,
): ItemInvocation {
	const mode = itemParameter(this, 'payloadMode', itemIndex, 'item') as string;
	const tool = toolFacts(this);
	let payload: unknown = input;
	if (mode === 'fields') {
		payload = payloadFromFields(
			itemParameter(this, 'payloadFields.field', itemIndex, []) as NameValue[],
		);
	} else if (mode === 'json') {
		payload = payloadFromJson(
			itemParameter(this, 'payloadJson', itemIndex, '{}'),
			tool.payloadArgument,
		);
	}
	// As a tool, the payload is a model's words.
	if (tool.asTool) refuseHostileKeys(payload, PAYLOAD_FIELDS[mode] ?? 'Payload');
	const options = itemParameter(this, 'options', itemIndex, {}) as InvocationOptions;
	checkResultField(options.resultField);
	return {
		content: {
			payload,
			headers: headersFromPairs(
				itemParameter(this, 'headers.header', itemIndex, []) as NameValue[],
			),
			userId: options.userId,
			skillId: options.skillId,
		},
		options,
		settings: {
			platform: options.platform,
			timeoutMs: boundedNumber(options.timeout, 'Timeout (Ms)', TIMEOUT_BOUNDS),
			retry: options.retry,
			retryWhenMayHaveRun: options.retryWhenMayHaveRun,
			maxAttempts: boundedNumber(options.maxAttempts, 'Max Attempts', ATTEMPTS_BOUNDS),
			maxAnswerBytes: megabytesToBytes(
				boundedNumber(options.maxAnswerSize, 'Max Answer Size (MB)', ANSWER_SIZE_BOUNDS),
			),
		},
	};
}

/** The Concurrency option (read from the first item): how many calls run at once. */
export function readConcurrency(this: IExecuteFunctions): number {
	try {
		return (
			boundedNumber(
				this.getNodeParameter('options.concurrency', 0, 5),
				'Concurrency',
				CONCURRENCY_BOUNDS,
			) ?? 5
		);
	} catch (error) {
		throw nodeError(this.getNode(), error, 0);
	}
}

/** Invokes for every input item, as many at once as the Concurrency option says; outputs in input order. */
export async function executeForEachItem(
	this: IExecuteFunctions,
	task: ItemTask,
): Promise<INodeExecutionData[][]> {
	return await runForEachItem.call(this, readConcurrency.call(this), task);
}

/** The `invocation` details added with "Include Response Details". */
export function responseDetails(result: CallResult<unknown>, extra: IDataObject): IDataObject {
	const { status, requestId, durationMs, attempts, platform } = result;
	return { statusCode: status, requestId, durationMs, attempts, platform, ...extra };
}

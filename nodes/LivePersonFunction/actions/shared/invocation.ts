import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CallResult, CallSettings, InvocationContent } from '../../protocol/client';
import type { Platform } from '../../protocol/invoke';
import type { OutputMode } from './output';
import type { NameValue } from './payload';
import { headersFromPairs, payloadFromFields, payloadFromJson } from './payload';

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

/** What one item sends: its payload (by the chosen mode), headers, ids, and how to call. */
export function readItemInvocation(
	this: IExecuteFunctions,
	itemIndex: number,
	input: IDataObject,
): ItemInvocation {
	const mode = this.getNodeParameter('payloadMode', itemIndex, 'item') as string;
	let payload: unknown = input;
	if (mode === 'fields') {
		payload = payloadFromFields(
			this.getNodeParameter('payloadFields.field', itemIndex, []) as NameValue[],
		);
	} else if (mode === 'json') {
		payload = payloadFromJson(this.getNodeParameter('payloadJson', itemIndex, '{}'));
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as InvocationOptions;
	return {
		content: {
			payload,
			headers: headersFromPairs(
				this.getNodeParameter('headers.header', itemIndex, []) as NameValue[],
			),
			userId: options.userId,
			skillId: options.skillId,
		},
		options,
		settings: {
			platform: options.platform,
			timeoutMs: options.timeout,
			retry: options.retry,
			retryWhenMayHaveRun: options.retryWhenMayHaveRun,
			maxAttempts: options.maxAttempts,
		},
	};
}

/** The `invocation` details added with "Include Response Details". */
export function responseDetails(result: CallResult<unknown>, extra: IDataObject): IDataObject {
	const { status, requestId, durationMs, attempts, platform } = result;
	return { statusCode: status, requestId, durationMs, attempts, platform, ...extra };
}

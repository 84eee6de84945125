import { randomUUID } from 'crypto';
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { HttpRequest, HttpResponse } from '../../protocol/http';
import type { FaasHeader, Platform } from '../../protocol/invoke';
import { buildInvocationRequest, detectPlatform } from '../../protocol/invoke';
import { requireHost } from '../../protocol/discovery';
import type { Attempted, RetryPolicy } from '../../protocol/retry';
import { AttemptsError, DEFAULT_RETRY_POLICY, withRetries } from '../../protocol/retry';
import { asLivePersonError } from '../../transport/errorMapping';
import type { FaasSession } from '../../transport/session';
import type { OutputMode } from './output';
import type { NameValue } from './payload';
import { headersFromPairs, payloadFromFields, payloadFromJson } from './payload';

/** Payload, headers and options: the same for every operation that invokes (by UUID or by event). */
export function invocationProperties(show: IDisplayOptions['show'], extraOptions: INodeProperties[] = []): INodeProperties[] {
	const options = OPTIONS.map((option) => option);
	for (const extra of extraOptions) options.push(extra);
	options.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return [
		{
			displayName: 'Payload',
			name: 'payloadMode',
			type: 'options',
			default: 'item',
			description: 'What the function receives as input.payload',
			displayOptions: { show },
			options: [
				{ name: 'Whole Input Item', value: 'item', description: 'The JSON of the input item' },
				{ name: 'Chosen Fields', value: 'fields', description: 'Name/value pairs; dotted names build nested objects' },
				{ name: 'JSON', value: 'json', description: 'A JSON value, written or from an expression' },
			],
		},
		{
			displayName: 'Payload Fields',
			name: 'payloadFields',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Field',
			displayOptions: { show: { ...show, payloadMode: ['fields'] } },
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'For example customer.name' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'Payload (JSON)',
			name: 'payloadJson',
			type: 'json',
			default: '{}',
			displayOptions: { show: { ...show, payloadMode: ['json'] } },
			description: 'The payload as JSON text or an expression that returns an object',
		},
		{
			displayName: 'Headers',
			name: 'headers',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Header',
			description: 'Passed to the function as input.headers',
			displayOptions: { show },
			options: [
				{
					displayName: 'Header',
					name: 'header',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show },
			options,
		},
	];
}

const OPTIONS: INodeProperties[] = [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 5,
			description: 'How many invocations run at once for this node. 1 runs the items strictly one after another.',
		},
		{
			displayName: 'Include Response Details',
			name: 'includeResponseDetails',
			type: 'boolean',
			default: false,
			description: 'Whether to add an "invocation" field with the HTTP status, request ID, duration, attempts and platform',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 5,
			description: 'Attempts per item when retrying, the first one included',
		},
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'result',
			options: [
				{ name: 'Function Result', value: 'result', description: 'An object result becomes the item; other results go under the result field' },
				{ name: 'Input Item With Result Added', value: 'addToInput', description: 'Keep the input item and add the result under the result field' },
			],
		},
		{
			displayName: 'Platform',
			name: 'platform',
			type: 'options',
			default: 'auto',
			description: 'The LivePerson Functions platform of the account',
			options: [
				{ name: 'Auto (From Gateway Host)', value: 'auto' },
				{ name: 'V1', value: 'v1' },
				{ name: 'V2', value: 'v2' },
			],
		},
		{
			displayName: 'Result Field Name',
			name: 'resultField',
			type: 'string',
			default: 'result',
			description: 'Where the result goes when it is not an object, or when it is added to the input item',
		},
		{
			displayName: 'Retry Throttled and Unavailable Calls',
			name: 'retry',
			type: 'boolean',
			default: true,
			description: 'Whether to retry 429 and 503 answers and failed connections, with backoff, honouring Retry-After. Such calls never ran the function.',
		},
		{
			displayName: 'Retry When the Function May Already Have Run',
			name: 'retryWhenMayHaveRun',
			type: 'boolean',
			default: false,
			description: 'Whether to also retry timeouts, 500, 502, 504 and broken connections. Only for functions that are safe to run twice.',
		},
		{
			displayName: 'Skill ID',
			name: 'skillId',
			type: 'string',
			default: '',
			description: 'Sent as the skillId query parameter',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1000 },
			default: 35000,
			description: 'How long to wait for one answer. Functions run at most 30 s.',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			description: 'Sent as the userId query parameter (V1); identifies the caller in the Functions logs',
		},
];

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
	[key: string]: unknown;
}

export interface InvocationInput {
	payload: unknown;
	headers: FaasHeader[];
	options: InvocationOptions;
	requestId: string;
	timestamp: number;
}

/** What one item sends: its payload (by the chosen mode), headers and options, and a fresh request id. */
function readInvocationInput(this: IExecuteFunctions, itemIndex: number, input: IDataObject): InvocationInput {
	const mode = this.getNodeParameter('payloadMode', itemIndex, 'item') as string;
	let payload: unknown = input;
	if (mode === 'fields') {
		payload = payloadFromFields(this.getNodeParameter('payloadFields.field', itemIndex, []) as NameValue[]);
	} else if (mode === 'json') {
		payload = payloadFromJson(this.getNodeParameter('payloadJson', itemIndex, '{}'));
	}
	return {
		payload,
		headers: headersFromPairs(this.getNodeParameter('headers.header', itemIndex, []) as NameValue[]),
		options: this.getNodeParameter('options', itemIndex, {}) as InvocationOptions,
		requestId: randomUUID(),
		timestamp: Date.now(),
	};
}

export function platformFor(gatewayHost: string, options: InvocationOptions): Platform {
	return !options.platform || options.platform === 'auto' ? detectPlatform(gatewayHost) : options.platform;
}

function retryPolicy(options: InvocationOptions): RetryPolicy {
	if (options.retry === false) return { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 };
	return {
		...DEFAULT_RETRY_POLICY,
		maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
		retryWhenMayHaveRun: options.retryWhenMayHaveRun === true,
	};
}

/** A failure that also says which call it was, for the error item. */
export type CallFailure = AttemptsError & { requestId?: string; functionId?: string };

/**
 * Sends one request under the item's retry policy and reads the answer with `read` (which throws
 * for answers that are failures). Failures come out as AttemptsError with the request id attached.
 */
export async function sendWithRetries<T>(
	context: IExecuteFunctions,
	session: FaasSession,
	request: HttpRequest,
	call: { options: InvocationOptions; requestId: string; functionId?: string; target: string },
	read: (response: HttpResponse) => T,
): Promise<Attempted<T>> {
	const cancelSignal = context.getExecutionCancelSignal?.();
	return await withRetries(
		async () => {
			const response = await session.http(request).catch((error: unknown) => {
				throw asLivePersonError(error, 'invoke', call.target);
			});
			return read(response);
		},
		retryPolicy(call.options),
		{ sleep, now: Date.now, random: Math.random, isCancelled: () => cancelSignal?.aborted === true },
	).catch((error: unknown) => {
		const failure = (error instanceof AttemptsError ? error : new AttemptsError(error, 1)) as CallFailure;
		failure.requestId = call.requestId;
		failure.functionId = call.functionId;
		throw failure;
	});
}

/** The `invocation` details added with "Include Response Details". */
export function responseDetails(
	status: number,
	input: InvocationInput,
	attempts: number,
	platform: Platform,
	extra: IDataObject,
): IDataObject {
	return { statusCode: status, requestId: input.requestId, durationMs: Date.now() - input.timestamp, attempts, platform, ...extra };
}

export interface ItemInvocation<T> {
	input: InvocationInput;
	platform: Platform;
	status: number;
	value: T;
	attempts: number;
}

/**
 * One item's invocation at a gateway `path` (a function or an event): its payload, headers and
 * options, the user id, retries, and `read` for the answer.
 */
export async function invokeForItem<T>(
	context: IExecuteFunctions,
	session: FaasSession,
	itemIndex: number,
	item: { json: IDataObject },
	call: { path: string; functionId?: string; read: (response: HttpResponse) => T },
): Promise<ItemInvocation<T>> {
	const input = readInvocationInput.call(context, itemIndex, item.json);
	const { options } = input;
	const gatewayHost = requireHost(session.hosts, 'faasGW');
	const platform = platformFor(gatewayHost, options);
	const request = buildInvocationRequest(
		{
			accountId: session.accountId,
			gatewayHost,
			platform,
			payload: input.payload,
			headers: input.headers,
			timestamp: input.timestamp,
			userId: options.userId || session.userId || undefined,
			skillId: options.skillId || undefined,
			requestId: input.requestId,
			timeoutMs: options.timeout ?? 35000,
		},
		call.path,
	);
	const { value, attempts } = await sendWithRetries(
		context,
		session,
		request,
		{ options, requestId: input.requestId, functionId: call.functionId, target: `the LivePerson Functions gateway at ${gatewayHost}` },
		(response) => ({ status: response.status, value: call.read(response) }),
	);
	return { input, platform, status: value.status, value: value.value, attempts };
}

import { randomUUID } from 'crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { LivePersonError } from '../../protocol/errors';
import { requireHost } from '../../protocol/discovery';
import type { Platform } from '../../protocol/invoke';
import { buildInvokeRequest, detectPlatform, isLambdaUuid, readInvokeResponse } from '../../protocol/invoke';
import { mapWithConcurrency } from '../../protocol/pool';
import type { RetryPolicy } from '../../protocol/retry';
import { AttemptsError, DEFAULT_RETRY_POLICY, withRetries } from '../../protocol/retry';
import { asLivePersonError, errorJson, nodeError } from '../../transport/errorMapping';
import type { FaasSession } from '../../transport/session';
import { openSession } from '../../transport/session';
import type { OutputMode } from './output';
import { shapeOutput } from './output';
import type { NameValue } from './payload';
import { headersFromPairs, ItemInputError, payloadFromFields, payloadFromJson } from './payload';

const UUID_PATTERN = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const show = { resource: ['function'], operation: ['invoke'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Function',
		name: 'function',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The LivePerson function to invoke, by its UUID',
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchFunctions', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef',
				validation: [
					{ type: 'regex', properties: { regex: `^${UUID_PATTERN}$`, errorMessage: 'Not a function UUID' } },
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://…/lambdas/3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef/…',
				extractValue: { type: 'regex', regex: `(${UUID_PATTERN})` },
				validation: [
					{ type: 'regex', properties: { regex: `.*${UUID_PATTERN}.*`, errorMessage: 'The URL contains no function UUID' } },
				],
			},
		],
	},
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
		options: [
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
		],
	},
];

interface InvokeOptions {
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
}

interface PreparedCall {
	lambdaUuid: string;
	payload: unknown;
	headers: ReturnType<typeof headersFromPairs>;
	options: InvokeOptions;
}

function prepareCall(this: IExecuteFunctions, itemIndex: number, input: IDataObject): PreparedCall {
	const lambdaUuid = String(this.getNodeParameter('function', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (lambdaUuid === '') throw new ItemInputError('No function chosen', 'Function', 'Pick a function from the list, or enter its UUID.');
	if (!isLambdaUuid(lambdaUuid)) {
		throw new ItemInputError(
			`"${lambdaUuid}" is not a function UUID`,
			'Function',
			'A UUID looks like 3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef; it is shown on the "Invoke your Function" page of LivePerson Functions.',
		);
	}
	const mode = this.getNodeParameter('payloadMode', itemIndex, 'item') as string;
	let payload: unknown = input;
	if (mode === 'fields') {
		payload = payloadFromFields(this.getNodeParameter('payloadFields.field', itemIndex, []) as NameValue[]);
	} else if (mode === 'json') {
		payload = payloadFromJson(this.getNodeParameter('payloadJson', itemIndex, '{}'));
	}
	const headers = headersFromPairs(this.getNodeParameter('headers.header', itemIndex, []) as NameValue[]);
	const options = this.getNodeParameter('options', itemIndex, {}) as InvokeOptions;
	return { lambdaUuid, payload, headers, options };
}

function retryPolicy(options: InvokeOptions): RetryPolicy {
	if (options.retry === false) return { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 };
	return {
		...DEFAULT_RETRY_POLICY,
		maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
		retryWhenMayHaveRun: options.retryWhenMayHaveRun === true,
	};
}

async function invokeItem(
	this: IExecuteFunctions,
	session: FaasSession,
	itemIndex: number,
	input: INodeExecutionData,
): Promise<INodeExecutionData> {
	const call = prepareCall.call(this, itemIndex, input.json);
	const gatewayHost = requireHost(session.hosts, 'faasGW');
	const platform = !call.options.platform || call.options.platform === 'auto' ? detectPlatform(gatewayHost) : call.options.platform;
	const requestId = randomUUID();
	const started = Date.now();
	const cancelSignal = this.getExecutionCancelSignal?.();
	const request = buildInvokeRequest({
		accountId: session.accountId,
		gatewayHost,
		platform,
		lambdaUuid: call.lambdaUuid,
		payload: call.payload,
		headers: call.headers,
		timestamp: Date.now(),
		userId: call.options.userId || undefined,
		skillId: call.options.skillId || undefined,
		requestId,
		timeoutMs: call.options.timeout ?? 35000,
	});
	const annotate = (error: unknown) =>
		Object.assign(error instanceof AttemptsError ? error : new AttemptsError(error, 1), {
			requestId,
			functionId: call.lambdaUuid,
		});
	const { value, attempts } = await withRetries(
		async () => {
			const response = await session.http(request).catch((error: unknown) => {
				throw asLivePersonError(error, 'invoke', `the LivePerson Functions gateway at ${gatewayHost}`);
			});
			return { status: response.status, result: readInvokeResponse(response) };
		},
		retryPolicy(call.options),
	{ sleep, now: Date.now, random: Math.random, isCancelled: () => cancelSignal?.aborted === true },
	).catch((error: unknown) => {
		throw annotate(error);
	});
	const json = shapeOutput(input.json, value.result, call.options.output ?? 'result', call.options.resultField || 'result');
	if (call.options.includeResponseDetails) {
		json.invocation = {
			statusCode: value.status,
			requestId,
			durationMs: Date.now() - started,
			attempts,
			platform,
			functionId: call.lambdaUuid,
		};
	}
	return { json, pairedItem: { item: itemIndex } };
}

/** Invoke for every input item, `concurrency` at a time; outputs keep the input order. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const concurrency = Math.max(1, Math.floor((this.getNodeParameter('options.concurrency', 0, 5) as number) || 1));

	let session: FaasSession | undefined;
	let sessionError: unknown;
	try {
		session = await openSession(this);
	} catch (error) {
		sessionError = error instanceof LivePersonError ? error : asLivePersonError(error, 'discovery', 'the LivePerson Domain API');
	}

	let stopped = false;
	const settled = await mapWithConcurrency(items.length, concurrency, async (itemIndex) => {
		if (sessionError) throw sessionError;
		if (stopped) return undefined;
		return await invokeItem.call(this, session as FaasSession, itemIndex, items[itemIndex]).catch((error: unknown) => {
			// Without "continue on fail" the node fails at the first error: start no new invocations.
			if (!continueOnFail) stopped = true;
			throw error;
		});
	});

	const output: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of settled.entries()) {
		if (outcome.status === 'fulfilled') {
			if (outcome.value) output.push(outcome.value);
			continue;
		}
		const reason = outcome.reason as { requestId?: string; functionId?: string };
		const context = { itemIndex, requestId: reason.requestId, functionId: reason.functionId };
		if (!continueOnFail) throw nodeError(this.getNode(), outcome.reason, context);
		output.push({ json: { error: errorJson(outcome.reason, context) }, pairedItem: { item: itemIndex } });
	}
	return [output];
}

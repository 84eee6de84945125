import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../protocol/http';
import { optionsCollection } from './properties';

export const PLATFORM_OPTION: INodeProperties = {
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
};

export const SKILL_ID_OPTION: INodeProperties = {
	displayName: 'Skill ID',
	name: 'skillId',
	type: 'string',
	default: '',
	description: 'Sent as the skillId query parameter',
};

/** Payload, headers and options: the same for every operation that invokes (by UUID or by event). */
export function invocationProperties(
	show: IDisplayOptions['show'],
	extraOptions: INodeProperties[] = [],
): INodeProperties[] {
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
				{
					name: 'Chosen Fields',
					value: 'fields',
					description: 'Name/value pairs; dotted names build nested objects',
				},
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
						{
							displayName: 'Name',
							name: 'name',
							type: 'string',
							default: '',
							description: 'For example customer.name',
						},
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
		optionsCollection(show, options),
	];
}

const OPTIONS: INodeProperties[] = [
	PLATFORM_OPTION,
	SKILL_ID_OPTION,
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 5,
		description:
			'How many invocations run at once for this node. 1 runs the items strictly one after another.',
	},
	{
		displayName: 'Include Response Details',
		name: 'includeResponseDetails',
		type: 'boolean',
		default: false,
		description:
			'Whether to add an "invocation" field with the HTTP status, request ID, duration, attempts and platform',
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
		displayName: 'Max Answer Size (MB)',
		name: 'maxAnswerSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 256 },
		default: 16,
		description:
			'The most one answer may weigh (for a batch, the whole answer). A larger answer is not read: the item fails, saying so. The function has run.',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'result',
		options: [
			{
				name: 'Function Result',
				value: 'result',
				description: 'An object result becomes the item; other results go under the result field',
			},
			{
				name: 'Input Item With Result Added',
				value: 'addToInput',
				description: 'Keep the input item and add the result under the result field',
			},
		],
	},
	{
		displayName: 'Result Field Name',
		name: 'resultField',
		type: 'string',
		default: 'result',
		description:
			'Where the result goes when it is not an object, or when it is added to the input item',
	},
	{
		displayName: 'Retry Throttled and Unavailable Calls',
		name: 'retry',
		type: 'boolean',
		default: true,
		description:
			'Whether to retry 429, 503 with Retry-After and connections that could not be made, with backoff, honouring Retry-After. Such calls never ran the function.',
	},
	{
		displayName: 'Retry When the Function May Already Have Run',
		name: 'retryWhenMayHaveRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to also retry timeouts, 500, 502, 504, a 503 without Retry-After and broken connections. Only for functions that are safe to run twice.',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1000 },
		default: DEFAULT_REQUEST_TIMEOUT_MS,
		description: 'How long to wait for one answer. Functions run at most 30 s.',
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		description:
			'Sent as the userId query parameter (V1); identifies the caller in the Functions logs',
	},
];

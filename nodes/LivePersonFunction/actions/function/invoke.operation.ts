import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { LivePersonClient } from '../../protocol/client';
import { isFunctionId } from '../../protocol/invoke';
import { executeForEachItem, readItemInvocation, responseDetails } from '../shared/invocation';
import { invocationProperties } from '../shared/invocation.description';
import { ItemInputError } from '../shared/itemErrors';
import { shapeOutput } from '../shared/output';

const UUID_PATTERN = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const show = { resource: ['function'], operation: ['invoke'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Function',
		name: 'functionId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The LivePerson function to invoke: pick it from the list, or give its UUID or an address that contains it',
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
					{
						type: 'regex',
						properties: { regex: `^${UUID_PATTERN}$`, errorMessage: 'Not a function UUID' },
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://…/lambdas/3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef/…',
				extractValue: { type: 'regex', regex: `(${UUID_PATTERN})` },
				validation: [
					{
						type: 'regex',
						properties: {
							regex: `.*${UUID_PATTERN}.*`,
							errorMessage: 'The URL contains no function UUID',
						},
					},
				],
			},
		],
	},
	...invocationProperties(show),
];

function readFunctionId(this: IExecuteFunctions, itemIndex: number): string {
	const functionId = String(
		this.getNodeParameter('functionId', itemIndex, '', { extractValue: true }) ?? '',
	).trim();
	if (functionId === '')
		throw new ItemInputError(
			'No function chosen',
			'Function',
			'Pick a function from the list, or enter its UUID.',
		);
	if (!isFunctionId(functionId)) {
		throw new ItemInputError(
			`"${functionId}" is not a function UUID`,
			'Function',
			'A UUID looks like 3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef; it is shown on the "Invoke your Function" page of LivePerson Functions.',
		);
	}
	return functionId;
}

async function invokeItem(
	this: IExecuteFunctions,
	client: LivePersonClient,
	itemIndex: number,
	item: INodeExecutionData,
): Promise<INodeExecutionData[]> {
	const functionId = readFunctionId.call(this, itemIndex);
	const { content, options, settings } = readItemInvocation.call(this, itemIndex, item.json);
	const result = await client.invokeFunction(functionId, content, settings);
	const json: IDataObject = shapeOutput(
		item.json,
		result.value,
		options.output ?? 'result',
		options.resultField || 'result',
	);
	if (options.includeResponseDetails) json.invocation = responseDetails(result, { functionId });
	return [{ json, pairedItem: { item: itemIndex } }];
}

/** Invoke the function for every input item, `concurrency` at a time; outputs keep the input order. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeForEachItem.call(this, invokeItem.bind(this));
}

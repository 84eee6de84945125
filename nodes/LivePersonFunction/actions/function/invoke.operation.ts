import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { LivePersonClient } from '../../protocol/client';
import { executeForEachItem, readItemInvocation } from '../shared/invocation';
import { invocationProperties } from '../shared/invocation.description';
import { nodeError } from '../shared/itemErrors';
import type { BatchLimits } from './batching';
import { BATCHING_OPTION, readBatchLimits } from './batching';
import { functionResultItem, readFunctionId } from './functionItem';
import { executeInBatches } from './invokeInBatches';

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
	...invocationProperties(show, [BATCHING_OPTION]),
];

async function invokeItem(
	this: IExecuteFunctions,
	client: LivePersonClient,
	itemIndex: number,
	item: INodeExecutionData,
): Promise<INodeExecutionData[]> {
	const functionId = readFunctionId.call(this, itemIndex);
	const { content, options, settings } = readItemInvocation.call(this, itemIndex, item.json);
	const result = await client.invokeFunction(functionId, content, settings);
	return [
		functionResultItem(item, itemIndex, result.value, options, { result, details: { functionId } }),
	];
}

/**
 * Invoke the function for every input item, `concurrency` calls at a time (items one by one, or in
 * batches when the Batching option is set); outputs keep the input order.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let limits: BatchLimits | undefined;
	try {
		limits = readBatchLimits(this.getNodeParameter('options.batching', 0, {}));
	} catch (error) {
		throw nodeError(this.getNode(), error, 0);
	}
	if (limits) return await executeInBatches.call(this, limits);
	return await executeForEachItem.call(this, invokeItem.bind(this));
}

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { LivePersonClient } from '../../protocol/client';
import { boundedNumber } from '../shared/numbers';
import { runForEachItem } from '../shared/runItems';

const LIMIT_BOUNDS = { min: 1, max: 100_000 };

const show = { resource: ['function'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
			},
			{
				displayName: 'States',
				name: 'states',
				type: 'multiOptions',
				default: [],
				description: 'Only functions in these states; none chosen lists every state',
				options: [
					{ name: 'Draft', value: 'Draft' },
					{ name: 'Modified', value: 'Modified' },
					{ name: 'Productive (Deployed)', value: 'Productive' },
				],
			},
		],
	},
];

async function listItem(
	this: IExecuteFunctions,
	client: LivePersonClient,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as {
		name?: string;
		states?: string[];
	};
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? Number.POSITIVE_INFINITY
		: (boundedNumber(this.getNodeParameter('limit', itemIndex, 50), 'Limit', LIMIT_BOUNDS) ?? 50);
	const { value } = await client.listFunctions({
		states: filters.states,
		nameContains: filters.name,
	});
	// LivePerson's own field names: `uuid` is the function id.
	return value.slice(0, limit).map(({ functionId, ...fn }) => ({
		json: { uuid: functionId, ...fn },
		pairedItem: { item: itemIndex },
	}));
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runForEachItem.call(this, 1, (client, itemIndex) =>
		listItem.call(this, client, itemIndex),
	);
}

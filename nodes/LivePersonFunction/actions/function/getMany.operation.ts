import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { randomUUID } from 'crypto';

import { requireHost } from '../../protocol/discovery';
import { detectPlatform } from '../../protocol/invoke';
import { buildListFunctionsRequest, readFunctionList } from '../../protocol/listing';
import type { FaasSession } from '../../transport/session';
import { sendWithRetries } from '../shared/invocation';
import { runForEachItem } from '../shared/runItems';

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

async function listItem(this: IExecuteFunctions, session: FaasSession, itemIndex: number): Promise<INodeExecutionData[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { name?: string; states?: string[] };
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const uiHost = requireHost(session.hosts, 'faasUI');
	const request = buildListFunctionsRequest({
		accountId: session.accountId,
		uiHost,
		platform: detectPlatform(requireHost(session.hosts, 'faasGW')),
		states: filters.states,
		name: filters.name || undefined,
		userId: session.userId,
	});
	const requestId = randomUUID();
	const { value } = await sendWithRetries(
		this,
		session,
		request,
		{ options: { retryWhenMayHaveRun: true }, requestId, target: `the LivePerson Functions UI at ${uiHost}` },
		readFunctionList,
	);
	// V1 has no name filter on the server: the same filter applies here on both platforms.
	const wanted = (filters.name ?? '').trim().toLowerCase();
	return value
		.filter((fn) => wanted === '' || fn.name.toLowerCase().includes(wanted))
		.slice(0, limit)
		.map((fn) => ({ json: { ...fn }, pairedItem: { item: itemIndex } }));
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runForEachItem.call(this, 1, (session, itemIndex) => listItem.call(this, session, itemIndex));
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isLambdaUuid, lambdaInvokePath, readInvokeResponse } from '../../protocol/invoke';
import type { FaasSession } from '../../transport/session';
import { invocationProperties, invokeForItem, responseDetails } from '../shared/invocation';
import { shapeOutput } from '../shared/output';
import { ItemInputError } from '../shared/payload';
import { runForEachItem } from '../shared/runItems';

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
	...invocationProperties(show),
];

function readFunctionId(this: IExecuteFunctions, itemIndex: number): string {
	const lambdaUuid = String(this.getNodeParameter('function', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (lambdaUuid === '') throw new ItemInputError('No function chosen', 'Function', 'Pick a function from the list, or enter its UUID.');
	if (!isLambdaUuid(lambdaUuid)) {
		throw new ItemInputError(
			`"${lambdaUuid}" is not a function UUID`,
			'Function',
			'A UUID looks like 3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef; it is shown on the "Invoke your Function" page of LivePerson Functions.',
		);
	}
	return lambdaUuid;
}

async function invokeItem(
	this: IExecuteFunctions,
	session: FaasSession,
	itemIndex: number,
	item: INodeExecutionData,
): Promise<INodeExecutionData[]> {
	const lambdaUuid = readFunctionId.call(this, itemIndex);
	const { input, platform, status, value, attempts } = await invokeForItem(this, session, itemIndex, item, {
		path: lambdaInvokePath(lambdaUuid),
		functionId: lambdaUuid,
		read: readInvokeResponse,
	});
	const { options } = input;
	const json: IDataObject = shapeOutput(item.json, value, options.output ?? 'result', options.resultField || 'result');
	if (options.includeResponseDetails) {
		json.invocation = responseDetails(status, input, attempts, platform, { functionId: lambdaUuid });
	}
	return [{ json, pairedItem: { item: itemIndex } }];
}

/** Invoke the function for every input item, `concurrency` at a time; outputs keep the input order. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const concurrency = this.getNodeParameter('options.concurrency', 0, 5) as number;
	return await runForEachItem.call(this, concurrency, invokeItem.bind(this));
}

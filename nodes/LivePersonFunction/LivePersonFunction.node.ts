import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as invoke from './actions/function/invoke.operation';
import { router } from './actions/router';
import { searchFunctions } from './methods/listSearch';

export class LivePersonFunction implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LivePerson Function',
		name: 'livePersonFunction',
		icon: { light: 'file:livePersonFunction.svg', dark: 'file:livePersonFunction.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + ($parameter["function"]?.cachedResultName || $parameter["function"]?.value || "") }}',
		description: 'Invoke LivePerson Functions (FaaS) with data from each item and use what they return',
		defaults: { name: 'LivePerson Function' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'livePersonFunctionsApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'function',
				options: [{ name: 'Function', value: 'function' }],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'invoke',
				displayOptions: { show: { resource: ['function'] } },
				options: [
					{
						name: 'Invoke',
						value: 'invoke',
						action: 'Invoke a function',
						description: 'Run a function with a payload built from each item and output its result',
					},
				],
			},
			...invoke.description,
		],
	};

	methods = { listSearch: { searchFunctions } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

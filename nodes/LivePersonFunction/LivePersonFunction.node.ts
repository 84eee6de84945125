import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as eventInvoke from './actions/event/invoke.operation';
import * as isImplemented from './actions/event/isImplemented.operation';
import * as getMany from './actions/function/getMany.operation';
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
		subtitle: '={{ $parameter["resource"] + " " + $parameter["operation"] + ($parameter["resource"] === "event" ? ": " + ($parameter["eventId"] === "custom" ? $parameter["customEventId"] : $parameter["eventId"]) : $parameter["operation"] === "invoke" ? ": " + ($parameter["function"]?.cachedResultName || $parameter["function"]?.value || "") : "") }}',
		description: 'Invoke LivePerson Functions (FaaS) with data from each item and use what they return',
		defaults: { name: 'LivePerson Function' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'livePersonFunctionsApi', required: true, displayOptions: { show: { authentication: ['clientCredentials'] } } },
			{ name: 'livePersonFunctionsOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				default: 'clientCredentials',
				options: [
					{ name: 'Client Credentials (App)', value: 'clientCredentials', description: 'Machine to machine, as LivePerson recommends' },
					{ name: 'User (OAuth2)', value: 'oAuth2', description: 'On behalf of a Conversational Cloud user' },
				],
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'function',
				options: [
					{ name: 'Event', value: 'event' },
					{ name: 'Function', value: 'function' },
				],
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
						name: 'Get Many',
						value: 'getMany',
						action: 'Get many functions',
						description: 'List the functions of the account',
					},
					{
						name: 'Invoke',
						value: 'invoke',
						action: 'Invoke a function',
						description: 'Run a function with a payload built from each item and output its result',
					},
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'invoke',
				displayOptions: { show: { resource: ['event'] } },
				options: [
					{
						name: 'Invoke',
						value: 'invoke',
						action: 'Invoke the functions of an event',
						description: 'Run every function bound to an event with a payload built from each item',
					},
					{
						name: 'Is Implemented',
						value: 'isImplemented',
						action: 'Check whether an event is implemented',
						description: 'Whether any deployed function is bound to the event',
					},
				],
			},
			...invoke.description,
			...getMany.description,
			...eventInvoke.description,
			...isImplemented.description,
		],
	};

	methods = { listSearch: { searchFunctions } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

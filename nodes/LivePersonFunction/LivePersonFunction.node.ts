import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as event from './actions/event';
import * as fn from './actions/function';
import { router } from './actions/router';
import { toolProperties } from './actions/shared/tool.description';
import { searchFunctions } from './methods/listSearch';

export class LivePersonFunction implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LivePerson Function',
		name: 'livePersonFunction',
		icon: { light: 'file:livePersonFunction.svg', dark: 'file:livePersonFunction.dark.svg' },
		group: ['transform'],
		version: 1,
		// n8n resolves a resource locator in $parameter to its value (the function's UUID), never its list name.
		subtitle:
			'={{ $parameter["resource"] + " " + $parameter["operation"] + ($parameter["resource"] === "event" ? ": " + ($parameter["eventId"] === "custom" ? $parameter["customEventId"] : $parameter["eventId"]) : $parameter["operation"] === "invoke" ? ": " + ($parameter["functionId"] || "") : "") }}',
		description:
			'Invoke LivePerson Functions (FaaS) with data from each item and use what they return',
		defaults: { name: 'LivePerson Function' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'livePersonFunctionsApi',
				required: true,
				displayOptions: { show: { authentication: ['clientCredentials'] } },
			},
			{
				name: 'livePersonFunctionsOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				default: 'clientCredentials',
				options: [
					{
						name: 'Client Credentials (App)',
						value: 'clientCredentials',
						description: 'Machine to machine, as LivePerson recommends',
					},
					{
						name: 'User (OAuth2)',
						value: 'oAuth2',
						description: 'On behalf of a Conversational Cloud user',
					},
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
			...fn.description,
			...event.description,
			...toolProperties,
		],
	};

	methods = { listSearch: { searchFunctions } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { LivePersonClient } from '../../protocol/client';
import { executeForEachItem, readItemInvocation, responseDetails } from '../shared/invocation';
import { invocationProperties } from '../shared/invocation.description';
import { shapeOutput } from '../shared/output';
import { eventIdProperties, readEventId } from './eventId';

const show = { resource: ['event'], operation: ['invoke'] };

export const description: INodeProperties[] = [
	...eventIdProperties(show),
	...invocationProperties(show, [
		{
			displayName: 'Results',
			name: 'eventOutput',
			type: 'options',
			default: 'list',
			description: 'An event can run several functions: how their results come out',
			options: [
				{
					name: 'One Item With the List',
					value: 'list',
					description: 'The list of results under the result field',
				},
				{
					name: 'One Item per Function Result',
					value: 'split',
					description:
						'Each result as its own item, paired with the input item; an item with an empty list when no function ran',
				},
			],
		},
	]),
];

async function invokeEventItem(
	this: IExecuteFunctions,
	client: LivePersonClient,
	itemIndex: number,
	item: INodeExecutionData,
): Promise<INodeExecutionData[]> {
	const eventId = readEventId.call(this, itemIndex);
	const { content, options, settings } = readItemInvocation.call(this, itemIndex, item.json);
	const result = await client.invokeEvent(eventId, content, settings);
	const results = result.value;
	const mode = options.output ?? 'result';
	const field = options.resultField || 'result';
	const split = options.eventOutput === 'split' && results.length > 0;
	const jsons: IDataObject[] = split
		? results.map((value) => shapeOutput(item.json, { empty: false, value }, mode, field))
		: [shapeOutput(item.json, { empty: false, value: results }, mode, field)];
	if (options.includeResponseDetails) {
		const details = responseDetails(result, { eventId, functions: results.length });
		for (const json of jsons) json.invocation = details;
	}
	return jsons.map((json) => ({ json, pairedItem: { item: itemIndex } }));
}

/** Invoke the event's functions for every input item; results stay paired with their item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeForEachItem.call(this, invokeEventItem.bind(this));
}

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { LivePersonClient } from '../../protocol/client';
import type { Platform } from '../../protocol/invoke';
import { PLATFORM_OPTION, SKILL_ID_OPTION } from '../shared/invocation.description';
import { optionsCollection } from '../shared/properties';
import { runForEachItem } from '../shared/runItems';
import { eventIdProperties, readEventId } from './eventId';

const show = { resource: ['event'], operation: ['isImplemented'] };

export const description: INodeProperties[] = [
	...eventIdProperties(show),
	optionsCollection(show, [
		PLATFORM_OPTION,
		{ ...SKILL_ID_OPTION, description: 'Ask for the functions bound to this skill only' },
	]),
];

async function isImplementedItem(
	this: IExecuteFunctions,
	client: LivePersonClient,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const eventId = readEventId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		skillId?: string;
		platform?: 'auto' | Platform;
	};
	const skillId = String(options.skillId ?? '').trim();
	const { value } = await client.isEventImplemented(eventId, {
		skillId: skillId || undefined,
		platform: options.platform,
	});
	// Asked anew every execution: whether an event is implemented changes when functions are deployed.
	return [
		{
			json: { eventId, skillId: skillId || null, implemented: value },
			pairedItem: { item: itemIndex },
		},
	];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runForEachItem.call(this, 5, (client, itemIndex) =>
		isImplementedItem.call(this, client, itemIndex),
	);
}

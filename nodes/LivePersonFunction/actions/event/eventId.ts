import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ItemInputError } from '../shared/itemErrors';
import { itemParameter } from '../shared/parameters';

/** The event picker: LivePerson's known event ids, or any other typed in. */
export function eventIdProperties(show: IDisplayOptions['show']): INodeProperties[] {
	return [
		{
			displayName: 'Event',
			name: 'eventId',
			type: 'options',
			default: 'conversational_command',
			description: 'The LivePerson event whose functions run',
			displayOptions: { show },
			// LivePerson's documented event ids, written out here so that n8n's lint can check the default.
			options: [
				{ name: 'Bot Connectors Custom Integration', value: 'bot_connectors_custom_integration' },
				{
					name: 'Controller Bot: Conversation End',
					value: 'controllerbot_messaging_conversation_end',
				},
				{
					name: 'Controller Bot: New Conversation',
					value: 'controllerbot_messaging_new_conversation',
				},
				{ name: 'Conversational Command', value: 'conversational_command' },
				{ name: 'Other (Enter the Event ID)', value: 'custom' },
			],
		},
		{
			displayName: 'Event ID',
			name: 'customEventId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'my_custom_event',
			displayOptions: { show: { ...show, eventId: ['custom'] } },
		},
	];
}

export function readEventId(this: IExecuteFunctions, itemIndex: number): string {
	const chosen = String(itemParameter(this, 'eventId', itemIndex, '') ?? '').trim();
	const eventId =
		chosen === 'custom'
			? String(itemParameter(this, 'customEventId', itemIndex, '') ?? '').trim()
			: chosen;
	if (eventId === '')
		throw new ItemInputError(
			'No event chosen',
			'Event ID',
			'Pick an event, or choose Other and type its ID.',
		);
	// Only dots (`.`, `..`) would be read as a step up the address, not as an id.
	if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(eventId) || /^\.+$/.test(eventId)) {
		throw new ItemInputError(
			`"${eventId}" is not an event ID`,
			'Event ID',
			'Event IDs are made of letters, digits and _ . : - (not only dots), at most 200 characters.',
		);
	}
	return eventId;
}

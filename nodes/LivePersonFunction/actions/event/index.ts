import type { INodeProperties } from 'n8n-workflow';

import { operationPicker } from '../shared/properties';
import * as invoke from './invoke.operation';
import * as isImplemented from './isImplemented.operation';

/** The operations of this resource, by the value of its Operation picker. */
export const operations = { invoke, isImplemented };

export const description: INodeProperties[] = [
	operationPicker(
		'event',
		[
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
		'invoke',
	),
	...invoke.description,
	...isImplemented.description,
];

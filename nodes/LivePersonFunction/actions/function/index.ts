import type { INodeProperties } from 'n8n-workflow';

import { operationPicker } from '../shared/properties';
import * as getMany from './getMany.operation';
import * as invoke from './invoke.operation';

/** The operations of this resource, by the value of its Operation picker. */
export const operations = { getMany, invoke };

export const description: INodeProperties[] = [
	operationPicker(
		'function',
		[
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
		'invoke',
	),
	...invoke.description,
	...getMany.description,
];

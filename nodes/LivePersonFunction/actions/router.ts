import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hasOwn } from '../protocol/objects';
import * as event from './event';
import * as fn from './function';

type Operation = { execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> };

const resources: Record<string, Record<string, Operation>> = {
	function: fn.operations,
	event: event.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const operations = hasOwn(resources, resource) ? resources[resource] : {};
	if (!hasOwn(operations, operation)) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	return await operations[operation].execute.call(this);
}

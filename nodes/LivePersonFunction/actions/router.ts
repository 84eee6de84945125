import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as eventInvoke from './event/invoke.operation';
import * as isImplemented from './event/isImplemented.operation';
import * as getMany from './function/getMany.operation';
import * as invoke from './function/invoke.operation';

type Operation = { execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> };

const operations: Record<string, Record<string, Operation>> = {
	function: { invoke, getMany },
	event: { invoke: eventInvoke, isImplemented },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = operations[resource]?.[operation];
	if (!selected) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return await selected.execute.call(this);
}

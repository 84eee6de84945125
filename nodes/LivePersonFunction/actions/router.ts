import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hasOwn } from '../protocol/objects';
import * as event from './event';
import * as fn from './function';
import { failuresBecomeItems, outputForModel, runsAsTool } from './shared/tool';

type Operation = { execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> };

const resources: Record<string, Record<string, Operation>> = {
	function: fn.operations,
	event: event.operations,
};

async function runOperation(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
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

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	if (!runsAsTool(this.getNode())) return await runOperation.call(this);
	// As an AI agent's tool, what the node outputs is what the model reads.
	const limit = this.getNodeParameter('toolAnswerLimit', 0, undefined);
	if (!failuresBecomeItems(this)) return outputForModel(await runOperation.call(this), limit);
	let output: INodeExecutionData[][];
	try {
		output = await runOperation.call(this);
	} catch (error) {
		// Failures of single items are already items: this is a setting wrong for the whole node.
		const { message, description } = error as NodeOperationError;
		output = [[{ json: { error: { message, description, kind: 'configuration' } } }]];
	}
	return outputForModel(output, limit);
}

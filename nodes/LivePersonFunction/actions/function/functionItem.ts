import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CallResult } from '../../protocol/client';
import type { InvokeResult } from '../../protocol/invoke';
import { isFunctionId } from '../../protocol/invoke';
import type { InvocationOptions } from '../shared/invocation';
import { responseDetails } from '../shared/invocation';
import { ItemInputError } from '../shared/itemErrors';
import { itemParameter } from '../shared/parameters';
import { shapeOutput } from '../shared/output';

export function readFunctionId(this: IExecuteFunctions, itemIndex: number): string {
	const functionId = String(
		itemParameter(this, 'functionId', itemIndex, '', { extractValue: true }) ?? '',
	).trim();
	if (functionId === '')
		throw new ItemInputError(
			'No function chosen',
			'Function',
			'Pick a function from the list, or enter its UUID.',
		);
	if (!isFunctionId(functionId)) {
		throw new ItemInputError(
			`"${functionId}" is not a function UUID`,
			'Function',
			'A UUID looks like 3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef; it is shown on the "Invoke your Function" page of LivePerson Functions.',
		);
	}
	return functionId;
}

/** The output item for one input item's result, shaped by its Output options. */
export function functionResultItem(
	item: INodeExecutionData,
	itemIndex: number,
	value: InvokeResult,
	options: InvocationOptions,
	call: { result: CallResult<unknown>; details: IDataObject },
): INodeExecutionData {
	const json: IDataObject = shapeOutput(
		item.json,
		value,
		options.output ?? 'result',
		options.resultField || 'result',
	);
	if (options.includeResponseDetails) json.invocation = responseDetails(call.result, call.details);
	return { json, pairedItem: { item: itemIndex } };
}

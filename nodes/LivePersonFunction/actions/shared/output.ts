import type { IDataObject } from 'n8n-workflow';

import type { InvokeResult } from '../../protocol/invoke';

export type OutputMode = 'result' | 'addToInput';

/**
 * `result`: an object result becomes the item; anything else (scalar, array, no answer as null)
 * goes under `field`. `addToInput`: the input item with the result under `field`.
 */
export function shapeOutput(
	input: IDataObject,
	result: InvokeResult,
	mode: OutputMode,
	field: string,
): IDataObject {
	const value = result.empty ? null : (result.value as IDataObject[string]);
	if (mode === 'addToInput') return { ...input, [field]: value };
	if (typeof value === 'object' && value !== null && !Array.isArray(value))
		return value as IDataObject;
	return { [field]: value };
}

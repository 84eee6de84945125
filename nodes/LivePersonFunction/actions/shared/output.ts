import type { IDataObject } from 'n8n-workflow';

import type { InvokeResult } from '../../protocol/invoke';
import { ItemInputError } from './itemErrors';

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

/** Names that would reach an object's prototype instead of a field of its own. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The Result Field Name becomes a key of the output item: never one that reaches the prototype. */
export function checkResultField(field: unknown): void {
	if (typeof field === 'string' && FORBIDDEN_KEYS.has(field.trim())) {
		throw new ItemInputError(
			`"${field}" cannot be a field name`,
			'Result Field Name',
			'Choose another name, for example result.',
		);
	}
}

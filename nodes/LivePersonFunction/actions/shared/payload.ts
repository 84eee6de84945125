import type { IDataObject } from 'n8n-workflow';

import { BATCH_HEADER, isBatchHeader } from '../../protocol/batch';
import type { InvocationHeader } from '../../protocol/invoke';
import { hasOwn } from '../../protocol/objects';
import { ItemInputError } from './itemErrors';
import { FORBIDDEN_KEYS } from './output';

export interface NameValue {
	name?: unknown;
	value?: unknown;
}

const isPlainObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Name/value pairs to an object; dotted names build nested objects (`customer.name`). */
export function payloadFromFields(fields: NameValue[]): IDataObject {
	const payload: IDataObject = {};
	fields.forEach((field, position) => {
		const name = typeof field.name === 'string' ? field.name.trim() : '';
		const path = name.split('.');
		if (name === '' || path.some((part) => part === '')) {
			throw new ItemInputError(
				`Payload field ${position + 1} has ${name === '' ? 'no name' : `an invalid name "${name}"`}`,
				'Payload Fields',
				'Give every field a name; use dots only between parts, e.g. customer.name.',
			);
		}
		// Names can come from webhook data or an AI agent: none may reach an object's prototype.
		const forbidden = path.find((part) => FORBIDDEN_KEYS.has(part));
		if (forbidden !== undefined) {
			throw new ItemInputError(
				`Payload field ${position + 1} has a name with "${forbidden}", which cannot be a field name`,
				'Payload Fields',
				'Rename the field: __proto__, constructor and prototype are not allowed in field names.',
			);
		}
		let target = payload;
		for (const part of path.slice(0, -1)) {
			if (!hasOwn(target, part)) target[part] = {};
			if (!isPlainObject(target[part])) {
				throw new ItemInputError(
					`Payload field "${name}" collides with field "${part}", which already holds a value`,
					'Payload Fields',
				);
			}
			target = target[part] as IDataObject;
		}
		target[path[path.length - 1]] = field.value as IDataObject[string];
	});
	return payload;
}

/**
 * The JSON parameter: an expression may already give an object; text must parse. `argument`: the name of the
 * AI model's argument that fills it (`$fromAI`), so the hint speaks to the model.
 */
export function payloadFromJson(value: unknown, argument?: string): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return {};
	let problem = '';
	try {
		return JSON.parse(value);
	} catch (error) {
		problem = (error as Error).message;
	}
	if (argument !== undefined) {
		throw new ItemInputError(
			`The argument "${argument}" is text that is not JSON (${problem})`,
			'Payload (JSON)',
			`Send "${argument}" as a JSON object, for example {"${argument}": {"orderId": 7}}, not as a sentence or a quoted string.`,
		);
	}
	throw new ItemInputError(
		`The Payload (JSON) is not valid JSON: ${problem}`,
		'Payload (JSON)',
		'Write a JSON value such as {"name": "Ada"}, or use an expression that returns an object.',
	);
}

export function headersFromPairs(pairs: NameValue[]): InvocationHeader[] {
	return pairs.map((pair, position) => {
		const key = typeof pair.name === 'string' ? pair.name.trim() : '';
		if (key === '') {
			throw new ItemInputError(
				`Header ${position + 1} has no name`,
				'Headers',
				'Give every header a name.',
			);
		}
		// Names can come from an item or an AI agent: only the node marks a call as a batch.
		if (isBatchHeader(key)) {
			throw new ItemInputError(
				`The header ${BATCH_HEADER} is set by the node for batch calls`,
				'Headers',
				'Remove it: a batch-aware function learns from this header that a call carries several items, so no single item may send it.',
			);
		}
		const value = pair.value;
		return { key, value: typeof value === 'string' ? value : JSON.stringify(value ?? '') };
	});
}

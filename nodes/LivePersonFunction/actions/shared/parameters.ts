import type { IExecuteFunctions, IGetNodeParameterOptions, INodeParameters } from 'n8n-workflow';

import { hasOwn } from '../../protocol/objects';

/** Whether n8n would evaluate anything in this raw parameter value: an expression is a string starting with "=". */
function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasExpression);
	return false;
}

function rawParameter(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const step of path.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = hasOwn(value, step) ? (value as Record<string, unknown>)[step] : undefined;
	}
	return value;
}

const constantsOf = new WeakMap<IExecuteFunctions, Map<string, unknown>>();

/**
 * `getNodeParameter` for what is read once per item. A parameter with no expression in it is the
 * same for every item, so n8n's resolution (a deep walk, a copy and a check against the node's
 * description) runs once per execution for it instead of once per item. Values are shared between
 * items: read them, never change them.
 */
export function itemParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: unknown,
	options?: IGetNodeParameterOptions,
): unknown {
	let constants = constantsOf.get(context);
	if (!constants) {
		constants = new Map();
		constantsOf.set(context, constants);
	}
	const key = options?.extractValue ? `${name} (value)` : name;
	if (constants.has(key)) return constants.get(key);
	const value = context.getNodeParameter(name, itemIndex, fallback, options);
	if (!hasExpression(rawParameter(context.getNode().parameters, name))) constants.set(key, value);
	return value;
}

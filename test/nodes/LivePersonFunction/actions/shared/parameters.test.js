'use strict';

/** Per-item parameter reads: n8n resolves a parameter without an expression once per execution, not per item. */
const {
	itemParameter,
} = require('../../../../../nodes/LivePersonFunction/actions/shared/parameters');

function contextWith(parameters, perItem) {
	const calls = [];
	return {
		calls,
		getNode: () => ({ parameters }),
		getNodeParameter(name, itemIndex, fallback, options) {
			calls.push([name, itemIndex, options?.extractValue === true]);
			return perItem(name, itemIndex, fallback);
		},
	};
}

test('a parameter without an expression is read from n8n once, whatever the number of items', () => {
	const context = contextWith(
		{
			options: { timeout: 1000, output: 'result' },
			headers: { header: [{ name: 'a', value: 'b' }] },
		},
		(name) => ({ name }),
	);
	const first = itemParameter(context, 'options', 0, {});
	for (let i = 1; i < 100; i++) expect(itemParameter(context, 'options', i, {})).toBe(first);
	for (let i = 0; i < 100; i++) itemParameter(context, 'headers.header', i, []);
	expect(context.calls).toEqual([
		['options', 0, false],
		['headers.header', 0, false],
	]);
});

test('an expression anywhere in it (a string starting with "=") is read for every item', () => {
	const context = contextWith(
		{
			functionId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			payloadFields: {
				field: [
					{ name: 'n', value: 'plain' },
					{ name: 'm', value: '={{ $json.m }}' },
				],
			},
		},
		(name, itemIndex) => `${name}#${itemIndex}`,
	);
	expect(itemParameter(context, 'functionId', 0, '', { extractValue: true })).toBe('functionId#0');
	expect(itemParameter(context, 'functionId', 1, '', { extractValue: true })).toBe('functionId#1');
	expect(itemParameter(context, 'payloadFields.field', 2, [])).toBe('payloadFields.field#2');
	expect(context.calls).toHaveLength(3);
});

test('a value read with extractValue is kept apart from the raw one; each execution (context) reads afresh', () => {
	const parameters = { functionId: { __rl: true, mode: 'id', value: 'abc' } };
	const context = contextWith(parameters, (name, _, fallback) => fallback);
	itemParameter(context, 'functionId', 0, 'raw');
	expect(itemParameter(context, 'functionId', 1, 'value', { extractValue: true })).toBe('value');
	const next = contextWith(parameters, () => 'next execution');
	expect(itemParameter(next, 'functionId', 0, '')).toBe('next execution');
});

'use strict';

const {
	payloadFromFields,
	payloadFromJson,
	headersFromPairs,
} = require('../../../../../nodes/LivePersonFunction/actions/shared/payload');
const {
	ItemInputError,
} = require('../../../../../nodes/LivePersonFunction/actions/shared/itemErrors');
const { shapeOutput } = require('../../../../../nodes/LivePersonFunction/actions/shared/output');

describe('payloadFromFields', () => {
	test('dotted names nest, later fields extend the same object', () => {
		expect(
			payloadFromFields([
				{ name: 'a.b', value: 1 },
				{ name: 'a.c', value: 'x' },
				{ name: ' top ', value: null },
			]),
		).toEqual({ a: { b: 1, c: 'x' }, top: null });
	});
	test.each([[[{ name: '' }]], [[{ name: 'a..b' }]], [[{ name: '.a' }]], [[{ value: 1 }]]])(
		'refuses bad names %p',
		(fields) => {
			expect(() => payloadFromFields(fields)).toThrow(ItemInputError);
		},
	);
	test('refuses a name that would overwrite a value with an object', () => {
		expect(() =>
			payloadFromFields([
				{ name: 'a', value: 1 },
				{ name: 'a.b', value: 2 },
			]),
		).toThrow(/collides/);
	});
});

describe('payloadFromJson', () => {
	test('parses text, passes values through, empty text is {}', () => {
		expect(payloadFromJson('[1, "a"]')).toEqual([1, 'a']);
		expect(payloadFromJson({ a: 1 })).toEqual({ a: 1 });
		expect(payloadFromJson(5)).toBe(5);
		expect(payloadFromJson('  ')).toEqual({});
	});
	test('invalid text names the field', () => {
		const error = (() => {
			try {
				payloadFromJson('{nope');
			} catch (e) {
				return e;
			}
		})();
		expect(error).toBeInstanceOf(ItemInputError);
		expect(error.field).toBe('Payload (JSON)');
	});
});

test('headersFromPairs: key/value strings, non-strings as JSON', () => {
	expect(
		headersFromPairs([
			{ name: 'a', value: 'b' },
			{ name: 'n', value: 3 },
			{ name: 'o', value: { x: 1 } },
		]),
	).toEqual([
		{ key: 'a', value: 'b' },
		{ key: 'n', value: '3' },
		{ key: 'o', value: '{"x":1}' },
	]);
});

describe('shapeOutput', () => {
	const input = { keep: 1 };
	test.each([
		[{ empty: false, value: { a: 1 } }, { a: 1 }],
		[{ empty: false, value: [1] }, { result: [1] }],
		[{ empty: false, value: 'x' }, { result: 'x' }],
		[{ empty: false, value: null }, { result: null }],
		[{ empty: true }, { result: null }],
	])('result mode %p', (result, expected) => {
		expect(shapeOutput(input, result, 'result', 'result')).toEqual(expected);
	});
	test('addToInput keeps the input and does not change it', () => {
		expect(shapeOutput(input, { empty: false, value: { a: 1 } }, 'addToInput', 'out')).toEqual({
			keep: 1,
			out: { a: 1 },
		});
		expect(input).toEqual({ keep: 1 });
	});
});

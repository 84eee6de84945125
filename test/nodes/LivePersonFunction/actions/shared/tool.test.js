'use strict';

const {
	outputForModel,
	refuseHostileKeys,
	failuresBecomeItems,
	toolFacts,
} = require('../../../../../nodes/LivePersonFunction/actions/shared/tool');
const {
	payloadFromJson,
} = require('../../../../../nodes/LivePersonFunction/actions/shared/payload');
const {
	ItemInputError,
} = require('../../../../../nodes/LivePersonFunction/actions/shared/itemErrors');

const TOOL = 'n8n-nodes-liveperson-functions.livePersonFunctionTool';
const NODE = 'n8n-nodes-liveperson-functions.livePersonFunction';
const context = (type, { onError, continueOnFail = false, parameters = {} } = {}) => ({
	getNode: () => ({ type, onError, parameters }),
	continueOnFail: () => continueOnFail,
});

describe('failuresBecomeItems: as a tool only "Stop Workflow" stops; the node as before otherwise', () => {
	test.each([
		[TOOL, undefined, false, true],
		[TOOL, 'continueRegularOutput', true, true],
		[TOOL, 'continueErrorOutput', true, true],
		[TOOL, 'stopWorkflow', false, false],
		[NODE, undefined, false, false],
		[NODE, 'continueRegularOutput', true, true],
	])('%s with On Error %s', (type, onError, continueOnFail, expected) => {
		expect(failuresBecomeItems(context(type, { onError, continueOnFail }))).toBe(expected);
	});
});

test("toolFacts: the payload's $fromAI key, read once per execution", () => {
	const ctx = context(TOOL, {
		parameters: { payloadJson: "={{ $fromAI( 'order', 'The order', 'json') }}" },
	});
	expect(toolFacts(ctx)).toEqual({ asTool: true, payloadArgument: 'order' });
	expect(toolFacts(context(NODE, { parameters: { payloadJson: "={{ $fromAI('x') }}" } }))).toEqual({
		asTool: false,
		payloadArgument: undefined,
	});
});

describe("a model's payload", () => {
	test('text that is not JSON: the hint names the argument and what to send', () => {
		let error;
		try {
			payloadFromJson('order 7 please', 'payload');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ItemInputError);
		expect(error.message).toMatch(/^The argument "payload" is text that is not JSON \(/);
		expect(error.description).toBe(
			'Send "payload" as a JSON object, for example {"payload": {"orderId": 7}}, not as a sentence or a quoted string.',
		);
		expect(payloadFromJson('{"id": 7}', 'payload')).toEqual({ id: 7 });
	});

	test.each(['__proto__', 'constructor', 'prototype'])(
		'a "%s" key at any depth is refused, naming its path',
		(key) => {
			const payload = JSON.parse(`{"a": [{"b": {"${key}": {"admin": true}}}]}`);
			expect(() => refuseHostileKeys(payload, 'Payload (JSON)')).toThrow(
				`payload.a.0.b has the key "${key}", which is not allowed`,
			);
		},
	);

	test('ordinary keys and values pass', () => {
		expect(() =>
			refuseHostileKeys({ a: [1, { proto: 'x', __proto: 1 }], b: null }, 'Payload'),
		).not.toThrow();
	});
});

describe('outputForModel', () => {
	const item = (json) => ({ json, pairedItem: { item: 0 } });

	test('an answer within the limit passes unchanged', () => {
		const output = [[item({ id: 7, total: 10 })]];
		expect(outputForModel(output, undefined)).toEqual(output);
	});

	test('an error item speaks to the model: what went wrong, may it have run, what to do', () => {
		const [[shaped]] = outputForModel(
			[
				[
					item({
						error: {
							message: 'The function failed: boom',
							kind: 'function-failure',
							mayHaveRun: true,
							code: 'com.customer.faas.function.threw-error',
							httpStatus: 901,
							itemIndex: 0,
							errorLogs: [],
						},
					}),
				],
			],
			undefined,
		);
		expect(shaped.json).toEqual({
			error: {
				message: 'The function failed: boom',
				kind: 'function-failure',
				functionMayHaveRun: true,
				whatToDo: expect.stringMatching(/^The function ran and reported this failure/),
				code: 'com.customer.faas.function.threw-error',
				httpStatus: 901,
			},
		});
	});

	test('an unknown kind that may have run: the advice says not to call again blindly', () => {
		const [[shaped]] = outputForModel(
			[[item({ error: { message: 'timed out', kind: 'timeout', mayHaveRun: true } })]],
			undefined,
		);
		expect(shaped.json.error.whatToDo).toMatch(/^The function may have run/);
	});

	test('a longer answer is cut: the model gets at most the limit, the note saying so, the start of the answer', () => {
		const rows = Array.from({ length: 500 }, (_, n) => ({ n, text: 'quote " and \\ backslash' }));
		const output = outputForModel([[item({ rows })]], 1000);
		expect(output[0]).toHaveLength(1);
		const text = JSON.stringify(output[0].map((i) => i.json));
		expect(text.length).toBeLessThanOrEqual(1000);
		expect(text.length).toBeGreaterThan(990);
		const { cut, note, totalCharacters, partialAnswer } = output[0][0].json;
		expect(cut).toBe(true);
		expect(totalCharacters).toBe(JSON.stringify([{ rows }]).length);
		expect(note).toContain('more than this tool passes on (1000');
		expect(JSON.stringify([{ rows }]).startsWith(partialAnswer)).toBe(true);
		expect(output[0][0].pairedItem).toEqual({ item: 0 });
	});

	test('a limit from an expression that is not a number is refused by name; one out of bounds is clamped', () => {
		expect(() => outputForModel([[item({})]], 'lots')).toThrow('"lots" is not a number');
		const big = [[item({ text: 'x'.repeat(600) })]];
		expect(outputForModel(big, 10)[0][0].json.cut).toBe(true); // clamped up to 500
	});
});

test('a payload nested deeper than the call stack goes is walked all the same', () => {
	let deep = { constructor: 1 };
	for (let n = 0; n < 200000; n++) deep = { a: deep };
	expect(() => refuseHostileKeys(deep, 'Payload')).toThrow(
		'payload.….a.a.a.a.a.a.a.a.a.a has the key "constructor", which is not allowed',
	);
});

test('a payload that refers to itself (a whole input item can) is walked once, still finding a hostile key', () => {
	const item = { name: 'Ada', meta: {} };
	item.meta.self = item;
	expect(() => refuseHostileKeys(item, 'Payload')).not.toThrow();
	item.meta.prototype = 1;
	expect(() => refuseHostileKeys(item, 'Payload')).toThrow('has the key "prototype"');
});

test('no items (Get Many finding nothing) is said in words: n8n would give the model an empty string', () => {
	expect(outputForModel([[]], undefined)).toEqual([
		[
			{
				json: {
					nothingFound: true,
					note: expect.stringMatching(/^The call succeeded and gave nothing back/),
				},
				pairedItem: { item: 0 },
			},
		],
	]);
});

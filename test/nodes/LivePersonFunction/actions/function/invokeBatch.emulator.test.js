'use strict';

/**
 * Invoke by UUID with the Batching option, against the emulator over real HTTPS, with the README's
 * batch-aware functions (examples/functions) running in the emulator as written.
 */
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const { NodeApiError, NodeOperationError } = require('n8n-workflow');
const { startEmulator } = require('../../../../../tools/emulator');
const { appCredential } = require('../../../../../tools/emulator/credentials');
const {
	BATCH_UUIDS,
	batchExampleFunctions,
} = require('../../../../../tools/emulator/batchExamples');
const {
	LivePersonFunction,
} = require('../../../../../nodes/LivePersonFunction/LivePersonFunction.node');
const {
	cleanEmulator,
	credentialStore,
	leakedSecrets,
	executeNode,
} = require('../../../../helpers/n8nContext');

const node = new LivePersonFunction();
const SLOW_BATCH = 'aaaaaaaa-1111-4111-8111-111111111111';
let emu;
const seen = [];

beforeAll(async () => {
	emu = await startEmulator({
		functions: [
			...batchExampleFunctions(),
			{
				uuid: SLOW_BATCH,
				name: 'slow-batch',
				latencyMs: 30,
				handler: async (input) => input.payload.items.map((item) => ({ result: item })),
			},
		],
	});
});

afterAll(async () => {
	await emu.stop();
	expect(leakedSecrets(emu, seen)).toEqual([]);
});

let store;
beforeEach(() => {
	store = credentialStore(appCredential(emu));
	cleanEmulator(emu);
	emu.setPlatform('v1');
});

const names = (n, from = 0) =>
	Array.from({ length: n }, (_, i) => ({ json: { name: `n${from + i}` } }));
const batching = (batch = {}) => ({ batching: { batch } });
const invokes = () => emu.requestsOf('faasGW').filter((r) => r.path.endsWith('/invoke'));
const run = ({
	uuid = BATCH_UUIDS.batchAwareV1,
	items,
	options = batching(),
	continueOnFail = false,
	parameters = {},
}) =>
	executeNode(
		node,
		{
			emu,
			store,
			parameters: {
				resource: 'function',
				operation: 'invoke',
				functionId: { mode: 'id', value: uuid },
				options,
				...parameters,
			},
			items,
			continueOnFail,
		},
		seen,
	);

describe('batches of the README function', () => {
	test.each([
		['V1', BATCH_UUIDS.batchAwareV1],
		['V2', BATCH_UUIDS.batchAwareV2],
	])(
		'%s function: 25 items, 10 per call → 3 calls; one output per item, in order, paired',
		async (_, uuid) => {
			const output = await run({ uuid, items: names(25), options: batching({ itemsPerCall: 10 }) });
			expect(invokes()).toHaveLength(3);
			expect(emu.runCount(uuid)).toBe(3);
			expect(output.map((o) => o.json.greeting)).toEqual(
				names(25).map((i) => `Hello, ${i.json.name}!`),
			);
			expect(output.map((o) => o.pairedItem.item)).toEqual([...Array(25).keys()]);
			expect(invokes().map((r) => r.body.payload.items.length)).toEqual([10, 10, 5]);
			expect(invokes()[0].body.headers).toContainEqual({ key: 'X-N8N-Batch', value: '1' });
		},
	);

	test('the same function without Batching answers each item alone (it tells the two apart)', async () => {
		const output = await run({ items: names(3), options: {} });
		expect(invokes()).toHaveLength(3);
		expect(invokes()[0].body.payload).toEqual({ name: 'n0' });
		expect(output.map((o) => o.json.greeting)).toEqual(['Hello, n0!', 'Hello, n1!', 'Hello, n2!']);
	});

	test('one failed element: its item is an error item with the function’s message; the others succeed', async () => {
		const items = [...names(2), { json: { nope: true } }, ...names(2, 3)];
		const output = await run({ items, continueOnFail: true });
		expect(invokes()).toHaveLength(1);
		expect(output).toHaveLength(5);
		expect(output.map((o) => o.pairedItem.item)).toEqual([0, 1, 2, 3, 4]);
		expect(output[2].json.error).toMatchObject({
			message: 'payload.name is missing',
			kind: 'function-failure',
			itemIndex: 2,
			mayHaveRun: true,
			requestId: invokes()[0].headers['x-request-id'],
		});
		expect(output[3].json.greeting).toBe('Hello, n3!');
	});

	test('a failed element in a later batch speaks of the item’s own index and names its batch by its items', async () => {
		const items = [...names(7), { json: { nope: true } }, ...names(4, 8)];
		const output = await run({
			items,
			options: batching({ itemsPerCall: 5 }),
			continueOnFail: true,
		});
		expect(invokes()).toHaveLength(3);
		expect(output[7].pairedItem.item).toBe(7);
		expect(output[7].json.error).toMatchObject({
			message: 'payload.name is missing',
			itemIndex: 7,
			batch: { firstItem: 5, lastItem: 9, size: 5 },
			description:
				'Item 7, in the batch of items 5–9 (5 items): The function reported a failure for this item alone; the other items of the batch are not affected.',
		});
		expect(JSON.stringify(output[7].json.error)).not.toMatch(/element/i);
	});

	test('one failed element without "continue on fail": the node stops with the item and the message', async () => {
		const items = [...names(2), { json: {} }];
		const error = await run({ items }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('payload.name is missing');
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toMatch(/^Item 2, in the batch of items 0–2 \(3 items\): /);
	});

	test('Include Response Details: request id, duration and attempts are the batch’s, and say which batch', async () => {
		const output = await run({
			items: names(4),
			options: { ...batching({ itemsPerCall: 2 }), includeResponseDetails: true },
		});
		const [a, b, c] = output.map((o) => o.json.invocation);
		expect(a.requestId).toBe(b.requestId);
		expect(a.requestId).not.toBe(c.requestId);
		expect(a.batch).toEqual({ firstItem: 0, lastItem: 1, size: 2 });
		expect(c.batch).toEqual({ firstItem: 2, lastItem: 3, size: 2 });
		expect(a).toMatchObject({ statusCode: 200, attempts: 1, functionId: BATCH_UUIDS.batchAwareV1 });
	});

	test('Output "Input Item With Result Added" and Result Field Name apply per item', async () => {
		const output = await run({
			items: names(2),
			options: { ...batching(), output: 'addToInput', resultField: 'lp' },
		});
		expect(output[1].json).toEqual({ name: 'n1', lp: { greeting: 'Hello, n1!' } });
	});
});

describe('answers that break the contract fail their whole batch, naming it', () => {
	test.each([
		['short', 'with 2 results'],
		['object', 'with an object, not a list'],
	])('%s answer: every item of that batch fails; the next batch is fine', async (answer, words) => {
		const items = [
			{ json: { answer } },
			{ json: { n: 1 } },
			{ json: { n: 2 } },
			{ json: { n: 3 } },
		];
		const output = await run({
			uuid: BATCH_UUIDS.batchBreaker,
			items,
			options: batching({ itemsPerCall: 3 }),
			continueOnFail: true,
		});
		expect(output).toHaveLength(4);
		for (const [i, o] of output.slice(0, 3).entries()) {
			expect(o.pairedItem.item).toBe(i);
			expect(o.json.error.message).toBe(
				`The batch of items 0–2 (3 items): The function answered a batch of 3 items ${words}`,
			);
			expect(o.json.error).toMatchObject({
				kind: 'bad-answer',
				mayHaveRun: true,
				batch: { firstItem: 0, lastItem: 2, size: 3 },
			});
		}
		expect(output[3].json).toEqual({ n: 3 });
		expect(emu.runCount(BATCH_UUIDS.batchBreaker)).toBe(2);
	});

	test('plain values instead of {result}: each item fails on its own', async () => {
		const output = await run({
			uuid: BATCH_UUIDS.batchBreaker,
			items: [{ json: { answer: 'bare' } }, { json: { n: 1 } }],
			continueOnFail: true,
		});
		expect(output.map((o) => o.json.error.message)).toEqual([
			'The function\'s answer for this item has neither "result" nor "error"',
			'The function\'s answer for this item has neither "result" nor "error"',
		]);
		expect(output[1].json.error.description).toMatch(
			/^Item 1, in the batch of items 0–1 \(2 items\): A batch-aware function answers/,
		);
	});

	test('without "continue on fail" the node error names the batch and its first item', async () => {
		const error = await run({
			uuid: BATCH_UUIDS.batchBreaker,
			items: [{ json: { answer: 'short' } }, { json: {} }],
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'The batch of items 0–1 (2 items): The function answered a batch of 2 items with 1 results',
		);
		expect(error.context.itemIndex).toBe(0);
	});
});

describe('what goes in a call', () => {
	test('the byte cap splits batches and no call body is larger than it', async () => {
		const items = Array.from({ length: 12 }, (_, i) => ({
			json: { name: `n${i}`, pad: 'x'.repeat(300) },
		}));
		const output = await run({
			items,
			options: { ...batching({ itemsPerCall: 100, maxKilobytes: 1 }), concurrency: 1 },
		});
		expect(output).toHaveLength(12);
		const sizes = invokes().map((r) => Buffer.byteLength(r.rawBody));
		expect(invokes().length).toBeGreaterThan(3);
		for (const size of sizes) expect(size).toBeLessThanOrEqual(1024);
		expect(invokes().flatMap((r) => r.body.payload.items.map((p) => p.name))).toEqual(
			items.map((i) => i.json.name),
		);
	});

	test('an item larger than the cap on its own is refused before anything is sent, naming item and field', async () => {
		const items = [...names(2), { json: { name: 'big', pad: 'x'.repeat(3000) } }, ...names(1, 3)];
		const output = await run({
			items,
			options: batching({ maxKilobytes: 2 }),
			continueOnFail: true,
		});
		expect(output.map((o) => o.pairedItem.item)).toEqual([0, 1, 2, 3]);
		expect(output[2].json.error).toMatchObject({
			kind: 'invalid-input',
			field: 'Max Call Size (KB)',
			itemIndex: 2,
		});
		expect(output[2].json.error.message).toMatch(
			/^Item 2, field "Max Call Size \(KB\)": The payload is 3\.0 KB/,
		);
		expect(invokes().map((r) => r.body.payload.items.length)).toEqual([2, 1]);
	});

	test('without "continue on fail" a refused item stops the node before any call', async () => {
		const error = await run({
			items: [...names(2), { json: {} }, { json: {} }],
			parameters: { headers: { header: [{ name: 'x-n8n-batch', value: '2' }] } },
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'Item 0, field "Headers": The header X-N8N-Batch is set by the node for batch calls',
		);
		expect(invokes()).toHaveLength(0);
	});

	test('items whose function, headers or options differ go in different calls', async () => {
		const items = names(6);
		const output = await run({
			items,
			options: { ...batching(), concurrency: 1 },
			parameters: {
				functionId: (i) => ({
					mode: 'id',
					value: i < 4 ? BATCH_UUIDS.batchAwareV1 : BATCH_UUIDS.batchAwareV2,
				}),
				headers: { header: (i) => [{ name: 'x-group', value: i < 2 ? 'a' : 'b' }] },
			},
		});
		expect(output.map((o) => o.json.greeting)).toEqual(items.map((i) => `Hello, ${i.json.name}!`));
		expect(invokes().map((r) => [r.path.split('/')[5], r.body.payload.items.length])).toEqual([
			[BATCH_UUIDS.batchAwareV1, 2],
			[BATCH_UUIDS.batchAwareV1, 2],
			[BATCH_UUIDS.batchAwareV2, 2],
		]);
	});

	test('Concurrency counts batches: 8 batches, 2 at a time, never more in flight', async () => {
		const output = await run({
			uuid: SLOW_BATCH,
			items: names(40),
			options: { ...batching({ itemsPerCall: 5 }), concurrency: 2 },
		});
		expect(output).toHaveLength(40);
		expect(emu.runCount(SLOW_BATCH)).toBe(8);
		expect(emu.maxInFlight(SLOW_BATCH)).toBe(2);
	});
});

describe('may have run: a batch is not sent twice unless allowed', () => {
	const answer504AfterRunOnce = () =>
		emu.fault({
			service: 'faasGW',
			match: { uuid: SLOW_BATCH },
			times: 1,
			action: { type: 'status-after', status: 504 },
		});

	test('504 after the function ran: every item of that batch fails, marked as may have run, run once', async () => {
		answer504AfterRunOnce();
		const output = await run({
			uuid: SLOW_BATCH,
			items: names(4),
			options: batching({ itemsPerCall: 2 }),
			continueOnFail: true,
		});
		expect(emu.runCount(SLOW_BATCH)).toBe(2);
		expect(output.slice(0, 2).map((o) => o.json.error.mayHaveRun)).toEqual([true, true]);
		expect(output[0].json.error.message).toMatch(/^The batch of items 0–1 \(2 items\): .*HTTP 504/);
		expect(output.slice(2).map((o) => o.json.name)).toEqual(['n2', 'n3']);
	});

	test('with the opt-in the 504 batch is sent again', async () => {
		answer504AfterRunOnce();
		const output = await run({
			uuid: SLOW_BATCH,
			items: names(2),
			options: { ...batching(), retryWhenMayHaveRun: true },
		});
		expect(emu.runCount(SLOW_BATCH)).toBe(2);
		expect(output.map((o) => o.json.name)).toEqual(['n0', 'n1']);
	});
});

'use strict';

/**
 * The node as an AI agent's tool in real n8n: n8n's AI Agent and OpenAI Chat Model (pointed at the scripted model
 * of tools/chatModel through the OpenAI credential's Base URL) and the node's tool variant, against the emulator.
 * What the model saw is read from the scripted model's log; what the function got, from the emulator's.
 */
const { startSuite, CREDENTIAL } = require('./n8n');
const { appCredential } = require('../../tools/emulator/credentials');
const { startScriptedModel } = require('../../tools/chatModel');
const { leakedSecrets } = require('../helpers/secrets');
const fs = require('fs');
const path = require('path');
const { agentWorkflow, lpTool, openAiCredential, OPENAI_CREDENTIAL } = require('./agentWorkflow');
const { AGENT_UUIDS, agentFunctions, BIG_ANSWER_ITEMS } = require('./agentFunctions');
const { orderTotal } = require('../../tools/emulator/examples');
const { SCRIPT: EXAMPLE_SCRIPT } = require('../../scripts/demoAgent');

const BAD_CREDENTIAL = { id: 'lpfAgentBadCred', name: 'LivePerson wrong secret' };

// The agent functions, and the example's order-total for the example workflow.
const suiteFunctions = () => [...agentFunctions(), orderTotal()];

let suite;
let model;
const modelReceived = []; // everything the model was sent in this suite, for the secret scan

beforeAll(async () => {
	model = await startScriptedModel();
	suite = await startSuite({
		emulator: { functions: suiteFunctions(), listingAllowedFor: 'all' },
		credentials: (emu) => [
			{ ...CREDENTIAL, data: appCredential(emu) },
			{
				...BAD_CREDENTIAL,
				type: 'livePersonFunctionsApi',
				data: appCredential(emu, { clientSecret: 'not-the-client-secret' }),
			},
			openAiCredential(model.url),
		],
	});
});

afterAll(async () => {
	try {
		// 4. Nothing secret in anything the model received, nor in what n8n printed or stored for a run.
		if (suite) {
			expect(modelReceived.length).toBeGreaterThan(0);
			expect(leakedSecrets(suite.emu, modelReceived, suite.seen)).toEqual([]);
			// No Authorization header or bearer token in any form, nor the secret of the credential that got no token.
			expect(modelReceived.join('\n')).not.toMatch(
				/authorization\\*"?\s*:|bearer\s+[\w.-]{8,}|not-the-client-secret/i,
			);
		}
	} finally {
		if (suite) await suite.stop();
		if (model) await model.stop();
	}
});

const fnId = (value) => ({ __rl: true, mode: 'id', value });
const invokeTool = (name, parameters, options = {}) =>
	lpTool(
		name,
		{ resource: 'function', operation: 'invoke', ...parameters },
		{ credential: CREDENTIAL, ...options },
	);
const payloadFromAi = {
	payloadMode: 'json',
	payloadJson:
		"={{ $fromAI('payload', 'The order: its id and its items (price, quantity)', 'json') }}",
};

/** Imports the agent workflow, plays `script` on the model, runs it; the model's log holds only this run. */
async function runAgent(definition, script) {
	model.setScript(script);
	model.clearLog();
	suite.emu.clearLog();
	await suite.instance.importWorkflow(definition);
	const result = await suite.instance.execute(definition.id);
	suite.seen.push(result.stdout, result.stderr, result.runData, result.resultData);
	modelReceived.push(model.receivedText());
	return result;
}

const agentOutput = (result) => suite.items(result, 'AI Agent').map((item) => item.json.output);
const resultsById = () => Object.fromEntries(model.toolResults().map((r) => [r.id, r]));
const invokesOf = (uuid) =>
	suite.emu.requestsOf('faasGW').filter((r) => r.path.endsWith(`/lambdas/${uuid}/invoke`));

test("1. the model's arguments reach the function as its payload; its answer reaches the model and the agent's output (Responses API)", async () => {
	const order = { id: 7, items: [{ price: 2.5, quantity: 4 }] };
	const result = await runAgent(
		agentWorkflow({
			id: 'agentSuccess',
			question: 'What is the total of order 7?',
			tools: [
				invokeTool('Order total', { functionId: fnId(AGENT_UUIDS.orderTotal), ...payloadFromAi }),
			],
		}),
		[
			{ toolCalls: [{ name: 'Order_total', arguments: { payload: order } }] },
			{ say: (c) => `The total of order 7 is ${c.results[0].json[0].total}.` },
		],
	);
	expect(result.ok).toBe(true);
	expect(model.requests.map((r) => [r.api, r.turn])).toEqual([
		['responses', 1],
		['responses', 2],
	]);
	const [definition] = model.requests[0].conversation.tools;
	expect(definition.name).toBe('Order_total');
	expect(definition.description).toMatch(
		/^Runs a LivePerson Function .* returns what the function answered/,
	);
	expect(definition.description).toMatch(/functionMayHaveRun.*whatToDo/);
	expect(definition.parameters).toMatchObject({
		properties: { payload: {} },
		required: ['payload'],
	});

	expect(invokesOf(AGENT_UUIDS.orderTotal).map((r) => r.body.payload)).toEqual([order]);
	expect(model.toolResults()).toEqual([
		{
			id: 'call_1_1',
			name: 'Order_total',
			content: '[{"id":7,"total":10}]',
			json: [{ id: 7, total: 10 }],
		},
	]);
	expect(agentOutput(result)).toEqual(['The total of order 7 is 10.']);
});

test('1b. discovery as tools: Get Many lists the functions, Invoke takes the function and single payload fields from $fromAI, Event → Invoke its event', async () => {
	const listTool = lpTool(
		'List functions',
		{ resource: 'function', operation: 'getMany', returnAll: true },
		{ credential: CREDENTIAL },
	);
	const anyFunction = invokeTool('Run function', {
		functionId: fnId("={{ $fromAI('function', 'The uuid of the function to run', 'string') }}"),
		payloadMode: 'fields',
		payloadFields: {
			field: [
				{ name: 'id', value: "={{ $fromAI('orderId', 'The order id', 'number') }}" },
				{ name: 'customer.name', value: "={{ $fromAI('customer', 'Who ordered', 'string') }}" },
			],
		},
	});
	const eventTool = lpTool(
		'Trigger event',
		{
			resource: 'event',
			operation: 'invoke',
			eventId: 'custom',
			customEventId: "={{ $fromAI('event', 'The LivePerson event id', 'string') }}",
			payloadMode: 'json',
			payloadJson: "={{ $fromAI('payload', 'What the event carries', 'json') }}",
		},
		{ credential: CREDENTIAL },
	);
	const result = await runAgent(
		agentWorkflow({
			id: 'agentDiscovery',
			question: 'Greet Ada for order 3, then announce it.',
			tools: [listTool, anyFunction, eventTool],
			responsesApi: false,
		}),
		[
			{ toolCalls: [{ name: 'List_functions', arguments: {} }] },
			(c) => ({
				toolCalls: [
					{
						name: 'Run_function',
						arguments: {
							function: c.results[0].json.find((fn) => fn.name === 'greeting').uuid,
							orderId: 3,
							customer: 'Ada',
						},
					},
					{ name: 'Trigger_event', arguments: { event: 'order_announced', payload: { id: 3 } } },
				],
			}),
			{ say: (c) => c.results.map((r) => r.content).join(' | ') },
		],
	);
	expect(result.ok).toBe(true);
	const tools = Object.fromEntries(model.toolDefinitions().map((t) => [t.name, t]));
	expect(Object.keys(tools).sort()).toEqual(['List_functions', 'Run_function', 'Trigger_event']);
	expect(tools.List_functions.description).toMatch(
		/^Lists the LivePerson Functions of the account/,
	);
	expect(tools.Trigger_event.description).toMatch(/^Triggers a LivePerson event/);
	expect(Object.keys(tools.Run_function.parameters.properties).sort()).toEqual([
		'customer',
		'function',
		'orderId',
	]);

	const byId = resultsById();
	expect(byId.call_1_1.json.map((fn) => fn.name).sort()).toEqual(
		suiteFunctions()
			.map((fn) => fn.name)
			.sort(),
	);
	expect(byId.call_1_1.json.find((fn) => fn.name === 'greeting')).toMatchObject({
		uuid: AGENT_UUIDS.greeting,
		description: 'Greets a customer by name',
	});
	expect(invokesOf(AGENT_UUIDS.greeting).map((r) => r.body.payload)).toEqual([
		{ id: 3, customer: { name: 'Ada' } },
	]);
	expect(byId.call_2_1.json).toEqual([{ greeting: 'Hello, Ada! (order 3)' }]);
	const events = suite.emu.requestsOf('faasGW').filter((r) => r.path.includes('/events/'));
	expect(events.map((r) => [r.path.split('/').slice(-2)[0], r.body.payload])).toEqual([
		['order_announced', { id: 3 }],
	]);
	expect(byId.call_2_2.content).toContain('announced order 3');
});

test('2. two tool calls in one turn both run, each paired with its own result (Chat Completions)', async () => {
	const result = await runAgent(
		agentWorkflow({
			id: 'agentTwoCalls',
			question: 'Totals of orders 1 and 2?',
			responsesApi: false,
			tools: [
				invokeTool('Order total', { functionId: fnId(AGENT_UUIDS.orderTotal), ...payloadFromAi }),
			],
		}),
		[
			{
				toolCalls: [
					{
						name: 'Order_total',
						arguments: { payload: { id: 1, items: [{ price: 1, quantity: 1 }] } },
					},
					{
						name: 'Order_total',
						arguments: { payload: { id: 2, items: [{ price: 5, quantity: 2 }] } },
					},
				],
			},
			{ say: (c) => c.results.map((r) => `${r.id}=${r.json[0].id}:${r.json[0].total}`).join(', ') },
		],
	);
	expect(result.ok).toBe(true);
	expect(model.requests.every((r) => r.api === 'chat')).toBe(true);
	const paired = model.toolResults().map((r) => [r.id, r.json]);
	expect(paired.sort()).toEqual([
		['call_1_1', [{ id: 1, total: 1 }]],
		['call_1_2', [{ id: 2, total: 10 }]],
	]);
	expect(
		invokesOf(AGENT_UUIDS.orderTotal)
			.map((r) => r.body.payload.id)
			.sort(),
	).toEqual([1, 2]);
	expect(agentOutput(result)[0].split(', ').sort()).toEqual(['call_1_1=1:1', 'call_1_2=2:10']);
});

describe('3. failures reach the model as results it can act on', () => {
	const failingTools = () => [
		invokeTool('Order total', { functionId: fnId(AGENT_UUIDS.orderTotal), ...payloadFromAi }),
		invokeTool('Unknown function', { functionId: fnId(AGENT_UUIDS.missing), ...payloadFromAi }),
		invokeTool('Throttled', {
			functionId: fnId(AGENT_UUIDS.throttled),
			...payloadFromAi,
			options: { retry: true, maxAttempts: 2 },
		}),
		lpTool(
			'Wrong secret',
			{
				resource: 'function',
				operation: 'invoke',
				functionId: fnId(AGENT_UUIDS.orderTotal),
				...payloadFromAi,
			},
			{ credential: BAD_CREDENTIAL },
		),
	];
	const allFour = {
		toolCalls: ['Order_total', 'Unknown_function', 'Throttled', 'Wrong_secret'].map((name) => ({
			name,
			arguments: { payload: { id: 9 } },
		})),
	};

	test('a 901, a 404, throttling past its retries and a credential without a token: four error results, the agent run succeeds', async () => {
		const fault = suite.emu.fault({
			service: 'faasGW',
			match: { uuid: AGENT_UUIDS.throttled },
			action: { type: 'status', status: 429, headers: { 'retry-after': '1' } },
		});
		let result;
		try {
			result = await runAgent(
				agentWorkflow({ id: 'agentFailures', question: 'Order 9?', tools: failingTools() }),
				[allFour, { say: (c) => c.results.map((r) => r.json[0].error.kind).join(',') }],
			);
		} finally {
			fault.remove();
		}
		expect(result.ok).toBe(true);
		const byName = Object.fromEntries(model.toolResults().map((r) => [r.name, r.json]));
		for (const json of Object.values(byName)) {
			expect(json).toHaveLength(1);
			expect(Object.keys(json[0])).toEqual(['error']);
			expect(json[0].error.whatToDo).toEqual(expect.any(String));
		}
		expect(byName.Order_total[0].error).toMatchObject({
			kind: 'function-failure',
			functionMayHaveRun: true,
			message: expect.stringContaining('order 9: items must be a list'),
			whatToDo: expect.stringMatching(/^The function ran and reported this failure/),
			functionId: AGENT_UUIDS.orderTotal,
		});
		expect(byName.Unknown_function[0].error).toMatchObject({
			kind: 'not-found',
			functionMayHaveRun: false,
			httpStatus: 404,
			whatToDo: expect.stringMatching(/^No deployed function answers to this id/),
		});
		expect(byName.Throttled[0].error).toMatchObject({
			kind: 'throttled',
			functionMayHaveRun: false,
			httpStatus: 429,
			whatToDo: expect.stringMatching(/retries ran out/),
		});
		expect(fault.hits).toBe(2); // both attempts, then the model is told
		expect(byName.Wrong_secret[0].error).toMatchObject({
			kind: 'auth',
			functionMayHaveRun: false,
			whatToDo: expect.stringMatching(/credential .* was refused/),
		});
		expect(agentOutput(result)).toEqual(['function-failure,not-found,throttled,auth']);
	});

	test('"Stop Workflow" chosen in the tool\'s settings: a failure ends the agent\'s execution instead', async () => {
		const [orderTotal] = failingTools();
		const result = await runAgent(
			agentWorkflow({
				id: 'agentStopOnFail',
				question: 'Order 9?',
				tools: [{ ...orderTotal, onError: 'stopWorkflow' }],
			}),
			[{ toolCalls: [allFour.toolCalls[0]] }, { say: 'not reached' }],
		);
		expect(result.ok).toBe(false);
		expect(result.resultData.error.message).toContain('order 9: items must be a list');
		expect(model.requests).toHaveLength(1);
	});

	test("a model's wrong arguments: payload as a sentence, a hostile key, a function that is no UUID: each an error naming the fix; nothing sent", async () => {
		const anyFunction = invokeTool('Run function', {
			functionId: fnId("={{ $fromAI('function', 'The uuid of the function', 'string') }}"),
			...payloadFromAi,
		});
		const result = await runAgent(
			agentWorkflow({ id: 'agentBadArguments', question: 'Order 9?', tools: [anyFunction] }),
			[
				{
					toolCalls: [
						{
							name: 'Run_function',
							arguments: { function: AGENT_UUIDS.orderTotal, payload: 'order 9 please' },
						},
						{
							name: 'Run_function',
							arguments:
								'{"function":"' +
								AGENT_UUIDS.orderTotal +
								'","payload":{"id":9,"constructor":{"prototype":{"admin":true}}}}',
						},
						{ name: 'Run_function', arguments: { function: 'order-total', payload: { id: 9 } } },
					],
				},
				{ say: 'done' },
			],
		);
		expect(result.ok).toBe(true);
		const byId = resultsById();
		expect(byId.call_1_1.json[0].error).toMatchObject({
			kind: 'invalid-input',
			functionMayHaveRun: false,
			field: 'Payload (JSON)',
			message: expect.stringContaining('The argument "payload" is text that is not JSON'),
			details: expect.stringContaining('Send "payload" as a JSON object'),
		});
		expect(byId.call_1_2.json[0].error).toMatchObject({
			kind: 'invalid-input',
			message: expect.stringContaining('payload has the key "constructor", which is not allowed'),
		});
		expect(byId.call_1_3.json[0].error).toMatchObject({
			kind: 'invalid-input',
			field: 'Function',
			message: expect.stringContaining('"order-total" is not a function UUID'),
		});
		expect(invokesOf(AGENT_UUIDS.orderTotal)).toHaveLength(0);
	});
});

test('5. an answer longer than the limit reaches the model cut, with a note that says so', async () => {
	const result = await runAgent(
		agentWorkflow({
			id: 'agentBigAnswer',
			question: 'Export everything',
			tools: [
				invokeTool('Export', {
					functionId: fnId(AGENT_UUIDS.big),
					payloadMode: 'json',
					payloadJson: '{}',
				}),
			],
		}),
		[{ toolCalls: [{ name: 'Export', arguments: {} }] }, { say: 'done' }],
	);
	expect(result.ok).toBe(true);
	const [big] = model.toolResults();
	expect(big.json).toHaveLength(1);
	const { cut, note, totalCharacters, partialAnswer } = big.json[0];
	expect(cut).toBe(true);
	expect(totalCharacters).toBeGreaterThan(BIG_ANSWER_ITEMS * 20);
	expect(note).toMatch(
		/more than this tool passes on \(20000, its "Answer Limit for the Model" setting\)/,
	);
	// The model gets at most the limit, the note included; what it gets is the answer's start.
	expect(big.content.length).toBeLessThanOrEqual(20000);
	expect(big.content.length).toBeGreaterThan(19900);
	expect(partialAnswer.length).toBeGreaterThan(15000);
	expect(partialAnswer.startsWith('[{"rows":[{"row":0,"text":"lorem ipsum"},{"row":1,')).toBe(true);
	// The function's whole answer is what the node got; only the model's copy is cut.
	expect(suite.emu.requestsOf('faasGW')[0].status).toBe(200);
});

test("tool descriptions: the operation's default, the user's own text or expression, and what a workflow saved before this version had; Get Many finding nothing", async () => {
	const base = {
		functionId: fnId(AGENT_UUIDS.orderTotal),
		payloadMode: 'json',
		payloadJson: '{}',
	};
	const result = await runAgent(
		agentWorkflow({
			id: 'agentDescriptions',
			question: 'Hello',
			tools: [
				invokeTool('Default', base),
				invokeTool('Own words', { ...base, toolDescription: 'Totals an order' }),
				invokeTool('Expression', { ...base, toolDescription: '=Totals {{ 1 + 1 }} orders' }),
				// n8n's generic pair, as the editor saved it before the node had its own Tool Description.
				invokeTool('Saved auto', { ...base, descriptionType: 'auto' }),
				invokeTool('Saved manual', {
					...base,
					descriptionType: 'manual',
					toolDescription: 'Saved words',
				}),
				lpTool(
					'List none',
					{
						resource: 'function',
						operation: 'getMany',
						returnAll: true,
						filters: { name: 'no-such-function' },
					},
					{ credential: CREDENTIAL },
				),
			],
		}),
		[{ toolCalls: [{ name: 'List_none', arguments: {} }] }, { say: 'Hello!' }],
	);
	expect(result.ok).toBe(true);
	// Nothing found is said in words, not the empty string n8n sends for a tool without items.
	expect(model.toolResults().map((r) => r.json)).toEqual([
		[{ nothingFound: true, note: expect.stringMatching(/^The call succeeded and gave nothing/) }],
	]);
	const described = Object.fromEntries(model.toolDefinitions().map((t) => [t.name, t.description]));
	expect(described.Default).toMatch(/^Runs a LivePerson Function /);
	expect(described).toMatchObject({
		Own_words: 'Totals an order',
		Expression: 'Totals 2 orders',
		Saved_auto: described.Default,
		Saved_manual: 'Saved words',
	});
});

test('the example examples/ai-agent-order-total.json imports and runs as the demo runs it; its tool says what it was told to', async () => {
	const example = JSON.parse(
		fs.readFileSync(path.join(__dirname, '../../examples/ai-agent-order-total.json'), 'utf8'),
	);
	for (const node of example.nodes) {
		if (node.credentials?.livePersonFunctionsApi)
			node.credentials.livePersonFunctionsApi = { id: CREDENTIAL.id, name: CREDENTIAL.name };
		if (node.credentials?.openAiApi)
			node.credentials.openAiApi = { id: OPENAI_CREDENTIAL.id, name: OPENAI_CREDENTIAL.name };
	}
	const result = await runAgent(example, EXAMPLE_SCRIPT);
	expect(result.ok).toBe(true);
	const [tool] = model.toolDefinitions();
	expect(tool.name).toBe('Order_total');
	expect(tool.description).toMatch(/^Computes the total of an order with the LivePerson function/);
	expect(model.toolResults().map((r) => r.json)).toEqual([
		[{ total: 12.2, currency: 'EUR', itemCount: 3 }],
	]);
	expect(agentOutput(result)).toEqual(['Two teas and a cake come to 12.20 EUR (3 items).']);
});

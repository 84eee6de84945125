'use strict';

/** The scripted chat model speaks OpenAI's published wire formats (request and answer shapes from openai-node). */
const { startScriptedModel } = require('../../tools/chatModel');

let model;
beforeAll(async () => {
	model = await startScriptedModel({
		script: [
			{
				toolCalls: [
					{ name: 'Order_total', arguments: { payload: { id: 1 } } },
					{ name: 'Order_total', arguments: '{"payload": "not an object"}' },
				],
			},
			{ say: (c) => c.results.map((r) => `${r.id}:${r.content}`).join(' ') },
		],
	});
});
afterAll(() => model.stop());
beforeEach(() => model.clearLog());

const post = async (path, body) => {
	const response = await fetch(`${model.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: await response.json() };
};

const TOOL = {
	name: 'Order_total',
	description: 'Totals an order',
	parameters: { type: 'object', properties: { payload: {} } },
};

test('Chat Completions: a turn of two tool calls, then an answer built from the tool results', async () => {
	const messages = [
		{ role: 'system', content: 'Be brief' },
		{ role: 'user', content: [{ type: 'text', text: 'Total of order 1?' }] },
	];
	const first = await post('/chat/completions', {
		model: 'gpt-4.1-mini',
		messages,
		tools: [{ type: 'function', function: TOOL }],
	});
	expect(first.status).toBe(200);
	expect(first.body).toMatchObject({ object: 'chat.completion', model: 'gpt-4.1-mini' });
	const [choice] = first.body.choices;
	expect(choice.finish_reason).toBe('tool_calls');
	expect(choice.message).toEqual({
		role: 'assistant',
		content: null,
		refusal: null,
		tool_calls: [
			{
				id: 'call_1_1',
				type: 'function',
				function: { name: 'Order_total', arguments: '{"payload":{"id":1}}' },
			},
			{
				id: 'call_1_2',
				type: 'function',
				function: { name: 'Order_total', arguments: '{"payload": "not an object"}' },
			},
		],
	});
	// A client may split one turn's calls into one assistant message each: the turn still follows from the ids.
	const second = await post('/chat/completions', {
		model: 'gpt-4.1-mini',
		messages: [
			...messages,
			{ role: 'assistant', content: null, tool_calls: [choice.message.tool_calls[0]] },
			{ role: 'tool', tool_call_id: 'call_1_1', content: '[{"total":3}]' },
			{ role: 'assistant', content: null, tool_calls: [choice.message.tool_calls[1]] },
			{ role: 'tool', tool_call_id: 'call_1_2', content: [{ type: 'text', text: 'oops' }] },
		],
		tools: [{ type: 'function', function: TOOL }],
	});
	expect(second.body.choices[0]).toMatchObject({
		finish_reason: 'stop',
		message: { role: 'assistant', content: 'call_1_1:[{"total":3}] call_1_2:oops' },
	});
	expect(model.requests.map((r) => [r.api, r.turn])).toEqual([
		['chat', 1],
		['chat', 2],
	]);
	expect(model.requests[0].conversation).toMatchObject({
		system: ['Be brief'],
		user: ['Total of order 1?'],
		tools: [TOOL],
	});
	expect(model.toolResults()).toEqual([
		{ id: 'call_1_1', name: 'Order_total', content: '[{"total":3}]', json: [{ total: 3 }] },
		{ id: 'call_1_2', name: 'Order_total', content: 'oops', json: undefined },
	]);
});

test('Responses API: function_call items, then function_call_output items and a message', async () => {
	const first = await post('/responses', {
		model: 'gpt-4.1-mini',
		instructions: 'Be brief',
		input: [{ type: 'message', role: 'user', content: 'Total of order 1?' }],
		tools: [{ type: 'function', ...TOOL, strict: false }],
	});
	expect(first.status).toBe(200);
	expect(first.body).toMatchObject({ object: 'response', status: 'completed', error: null });
	expect(first.body.output).toEqual([
		{
			type: 'function_call',
			id: 'fc_call_1_1',
			call_id: 'call_1_1',
			name: 'Order_total',
			arguments: '{"payload":{"id":1}}',
			status: 'completed',
		},
		expect.objectContaining({ type: 'function_call', call_id: 'call_1_2' }),
	]);
	const second = await post('/responses', {
		model: 'gpt-4.1-mini',
		input: [
			{ role: 'user', content: [{ type: 'input_text', text: 'Total of order 1?' }] },
			...first.body.output.map(({ type, call_id, name, arguments: args }) => ({
				type,
				call_id,
				name,
				arguments: args,
			})),
			{ type: 'function_call_output', call_id: 'call_1_1', output: '[{"total":3}]' },
			{ type: 'function_call_output', call_id: 'call_1_2', output: 'oops' },
		],
		tools: [{ type: 'function', ...TOOL }],
	});
	expect(second.body.output).toEqual([
		{
			type: 'message',
			id: expect.stringMatching(/^msg_/),
			role: 'assistant',
			status: 'completed',
			content: [
				{ type: 'output_text', text: 'call_1_1:[{"total":3}] call_1_2:oops', annotations: [] },
			],
		},
	]);
	expect(second.body.usage).toEqual(
		expect.objectContaining({ input_tokens: expect.any(Number), total_tokens: expect.any(Number) }),
	);
	expect(model.requests[1].conversation.tools).toEqual([TOOL]);
});

test('what it cannot do is an OpenAI error body, never a made-up answer: no such turn, streaming, unknown route', async () => {
	const pastTheScript = await post('/chat/completions', {
		model: 'm',
		messages: [
			{
				role: 'assistant',
				tool_calls: [
					{ id: 'call_2_1', type: 'function', function: { name: 'x', arguments: '{}' } },
				],
			},
		],
	});
	expect(pastTheScript.status).toBe(400);
	expect(pastTheScript.body.error).toMatchObject({
		message: 'scripted model: the script has no turn 3 (it has 2)',
		type: 'invalid_request_error',
	});
	const streamed = await post('/responses', { model: 'm', input: 'hi', stream: true });
	expect(streamed.status).toBe(400);
	expect(streamed.body.error.message).toMatch(/streaming is not supported/);
	expect((await post('/embeddings', {})).status).toBe(404);
});

test('conversations at once stay apart: each gets its own turn, and their results are kept though their call ids repeat', async () => {
	const ask = (question, results) =>
		post('/chat/completions', {
			model: 'm',
			messages: [
				{ role: 'user', content: question },
				...(results
					? [
							{
								role: 'assistant',
								tool_calls: [
									{ id: 'call_1_1', type: 'function', function: { name: 'x', arguments: '{}' } },
								],
							},
							{ role: 'tool', tool_call_id: 'call_1_1', content: results },
						]
					: []),
			],
		});
	const [a1, b1] = await Promise.all([ask('a'), ask('b')]);
	expect([a1, b1].map((r) => r.body.choices[0].finish_reason)).toEqual([
		'tool_calls',
		'tool_calls',
	]);
	const [a2, b2] = await Promise.all([ask('a', 'A'), ask('b', 'B')]);
	expect([a2, b2].map((r) => r.body.choices[0].message.content)).toEqual([
		'call_1_1:A',
		'call_1_1:B',
	]);
	expect(model.toolResults().map((r) => r.content)).toEqual(['A', 'B']);
});

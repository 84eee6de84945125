'use strict';
/**
 * The demo's AI agent example (examples/ai-agent-order-total.json) needs a model: here the scripted model of
 * tools/chatModel, reached through an OpenAI credential whose Base URL points at it, plays a fixed script (call the
 * Order_total tool with the order from the question, then answer from what the function returned). In the editor
 * (`npm run demo -- --ui`) the same example runs again and again; pick your own OpenAI credential to use a real model.
 */
const { startScriptedModel } = require('../tools/chatModel');

const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
const OPENAI_CREDENTIAL = { id: 'lpfDemoOpenAi01', name: 'OpenAI (demo: scripted model)' };

const compact = (value) => JSON.stringify(value);

const isAgentWorkflow = (workflow) => workflow.nodes.some((node) => node.type === AGENT_TYPE);

const SCRIPT = [
	{
		toolCalls: [
			{
				name: 'Order_total',
				arguments: {
					payload: {
						items: [
							{ sku: 'tea', price: 4.5, quantity: 2 },
							{ sku: 'cake', price: 3.2, quantity: 1 },
						],
						currency: 'EUR',
					},
				},
			},
		],
	},
	{
		say: (conversation) => {
			const [answer] = conversation.results[0].json ?? [];
			if (!answer || answer.error)
				return `Sorry, I could not work out the price: ${answer?.error?.message ?? 'no answer'}.`;
			return `Two teas and a cake come to ${answer.total.toFixed(2)} ${answer.currency} (${answer.itemCount} items).`;
		},
	},
];

/** Starts the scripted model; `credential` is the OpenAI credential the example names, pointed at it. */
async function startAgentModel() {
	const model = await startScriptedModel({ script: SCRIPT });
	return {
		model,
		credential: {
			...OPENAI_CREDENTIAL,
			type: 'openAiApi',
			data: { apiKey: 'sk-scripted-model-not-a-real-key', url: model.url },
		},
		stop: () => model.stop(),
	};
}

/** The conversation of the run just made, as the model saw it: question, tool call, function's answer, reply. */
function printConversation(workflow, result, { model }) {
	console.log(`\n=== ${workflow.name}`);
	const first = model.requests[0];
	if (!first) return console.log('  (the model was not asked anything)');
	console.log(`question: ${first.conversation.user.join('\n')}`);
	for (const tool of first.conversation.tools)
		console.log(`tool the model is offered: ${tool.name}: ${tool.description}`);
	for (const request of model.requests) {
		for (const call of request.answer?.calls ?? [])
			console.log(`model → calls ${call.name} ${call.arguments}`);
	}
	for (const toolResult of model.toolResults())
		console.log(`function's answer, as the model got it: ${toolResult.content}`);
	const agent = workflow.nodes.find((node) => node.type === AGENT_TYPE);
	for (const item of result.runData[agent.name]?.[0]?.data.main[0] ?? [])
		console.log(`agent's reply: ${item.json.output}`);
	console.log(
		`(${model.requests.length} model requests, ${compact(model.requests.map((r) => r.api))} API)`,
	);
	model.clearLog();
}

module.exports = { isAgentWorkflow, startAgentModel, printConversation, SCRIPT };

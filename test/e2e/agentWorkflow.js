'use strict';

/**
 * An AI agent workflow as a user builds it in the editor: a trigger, n8n's AI Agent (the version 2.41.1 adds),
 * its OpenAI Chat Model pointed at the scripted model through the OpenAI credential's Base URL, and one or more
 * LivePerson Function tools (the node's tool variant, as the agent's "+ Tool" adds it).
 */
const { manualTrigger } = require('../../tools/n8n/harness');

const TOOL_TYPE = 'n8n-nodes-liveperson-functions.livePersonFunctionTool';

const OPENAI_CREDENTIAL = { id: 'lpfAgentOpenAi', name: 'Scripted model', type: 'openAiApi' };

/** The OpenAI credential a user fills in for an OpenAI-compatible server: any key, its Base URL. */
const openAiCredential = (modelUrl) => ({
	...OPENAI_CREDENTIAL,
	data: { apiKey: 'sk-scripted-model-not-a-real-key', url: modelUrl },
});

/**
 * A LivePerson Function tool node. `parameters` are the node's own (resource, operation, functionId, payload…);
 * `onError` is the node's Settings → On Error, left unset (n8n's default) unless given.
 */
function lpTool(name, parameters, { credential, onError, x = 400 } = {}) {
	return {
		id: `tool-${name}`,
		name,
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [x, 220],
		parameters,
		credentials: { livePersonFunctionsApi: { id: credential.id, name: credential.name } },
		...(onError ? { onError } : {}),
	};
}

/**
 * The whole workflow. `trigger`: a Manual Trigger by default (for `n8n execute`), or any trigger node (a webhook
 * for queue mode) whose item carries the question in `chatInput`. `responsesApi`: the OpenAI Chat Model's "Use
 * Responses API" switch (on by default in version 1.3, as n8n ships it).
 */
function agentWorkflow({ id, question, tools, trigger, responsesApi = true, agentOptions = {} }) {
	const triggerNode = trigger ?? manualTrigger({ id: 'trigger', name: 'When clicking Execute' });
	const nodes = [
		triggerNode,
		{
			id: 'agent',
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			position: [300, 0],
			parameters: {
				promptType: 'define',
				text: question ?? '={{ $json.chatInput }}',
				options: agentOptions,
			},
		},
		{
			id: 'model',
			name: 'OpenAI Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			position: [200, 220],
			parameters: {
				model: { __rl: true, mode: 'id', value: 'gpt-4.1-mini' },
				responsesApiEnabled: responsesApi,
				options: {},
			},
			credentials: { openAiApi: { id: OPENAI_CREDENTIAL.id, name: OPENAI_CREDENTIAL.name } },
		},
		...tools,
	];
	const connections = {
		[triggerNode.name]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
		'OpenAI Chat Model': {
			ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
		},
	};
	for (const tool of tools)
		connections[tool.name] = { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] };
	return {
		id,
		name: `agent: ${id}`,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

module.exports = { agentWorkflow, lpTool, openAiCredential, OPENAI_CREDENTIAL };

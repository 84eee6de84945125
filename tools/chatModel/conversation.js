'use strict';
// What a model is asked, read from either OpenAI wire format into one shape, so scripts and tests do not care which
// API a client chose. Written from OpenAI's published request types (openai-node, generated from the OpenAPI spec):
//   Chat Completions  POST /chat/completions  src/resources/chat/completions/completions.ts
//     messages[]: {role: 'system'|'developer'|'user', content: string | [{type: 'text', text}]}
//                 {role: 'assistant', content?, tool_calls?: [{id, type: 'function', function: {name, arguments}}]}
//                 {role: 'tool', tool_call_id, content: string | [{type: 'text', text}]}
//     tools[]:    {type: 'function', function: {name, description?, parameters?, strict?}}
//   Responses         POST /responses         src/resources/responses/responses.ts
//     instructions?: string; input: string | item[]:
//                 {type?: 'message', role: 'system'|'developer'|'user'|'assistant', content: string | [{type: 'input_text'|'output_text', text}]}
//                 {type: 'function_call', call_id, name, arguments}
//                 {type: 'function_call_output', call_id, output: string | [{type: 'input_text', text}]}
//     tools[]:    {type: 'function', name, description?, parameters?, strict?}

/** Text of a content that is a string or a list of text parts. */
function textOf(content) {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part) => (part && typeof part.text === 'string' ? part.text : ''))
		.filter(Boolean)
		.join('\n');
}

function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** A call the model made earlier in the conversation: arguments as sent (a JSON string) and parsed. */
const callOf = (id, name, args) => ({ id, name, arguments: args, args: parseJson(args) });

/** A tool result sent back to the model: its text as received, parsed when it is JSON. */
const resultOf = (id, content, calls) => {
	const call = calls.find((c) => c.id === id);
	const text = textOf(content);
	return { id, name: call ? call.name : null, content: text, json: parseJson(text) };
};

function fromChat(body) {
	const conversation = { api: 'chat', system: [], user: [], calls: [], results: [] };
	for (const message of Array.isArray(body.messages) ? body.messages : []) {
		if (!message || typeof message !== 'object') continue;
		if (message.role === 'system' || message.role === 'developer')
			conversation.system.push(textOf(message.content));
		else if (message.role === 'user') conversation.user.push(textOf(message.content));
		else if (message.role === 'assistant') {
			for (const call of message.tool_calls ?? [])
				conversation.calls.push(callOf(call.id, call.function?.name, call.function?.arguments));
		} else if (message.role === 'tool')
			conversation.results.push(
				resultOf(message.tool_call_id, message.content, conversation.calls),
			);
	}
	conversation.tools = (Array.isArray(body.tools) ? body.tools : [])
		.filter((tool) => tool && tool.type === 'function' && tool.function)
		.map(({ function: f }) => ({
			name: f.name,
			description: f.description,
			parameters: f.parameters,
		}));
	return conversation;
}

function fromResponses(body) {
	const conversation = { api: 'responses', system: [], user: [], calls: [], results: [] };
	if (typeof body.instructions === 'string') conversation.system.push(body.instructions);
	const input =
		typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input;
	for (const item of Array.isArray(input) ? input : []) {
		if (!item || typeof item !== 'object') continue;
		if (item.type === 'function_call')
			conversation.calls.push(callOf(item.call_id, item.name, item.arguments));
		else if (item.type === 'function_call_output')
			conversation.results.push(resultOf(item.call_id, item.output, conversation.calls));
		else if (item.role === 'system' || item.role === 'developer')
			conversation.system.push(textOf(item.content));
		else if (item.role === 'user') conversation.user.push(textOf(item.content));
	}
	conversation.tools = (Array.isArray(body.tools) ? body.tools : [])
		.filter((tool) => tool && tool.type === 'function')
		.map((tool) => ({
			name: tool.name,
			description: tool.description,
			parameters: tool.parameters,
		}));
	return conversation;
}

module.exports = { fromChat, fromResponses, parseJson };

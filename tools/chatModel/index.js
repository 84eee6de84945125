'use strict';
// A scripted chat model behind an OpenAI-compatible HTTP API (tests and demo only). It speaks the published wire
// format of Chat Completions and of the Responses API (see conversation.js for the request shapes and their source),
// plays a script of turns and records every request, so a test asserts what a model was given: the tool definitions,
// the conversation, each tool result. No network beyond 127.0.0.1, no API key checked, no streaming.
//
//   const { startScriptedModel } = require('./tools/chatModel');
//   const model = await startScriptedModel({ script: [
//     { toolCalls: [{ name: 'Order_total', arguments: { payload: { id: 7 } } }] },
//     { say: (conversation) => `The total is ${conversation.results[0].json[0].total}` },
//   ] });
//   // n8n's OpenAI credential: API key anything, Base URL model.url
//   model.requests; model.toolResults(); await model.stop();
//
// Which turn a request asks for is read from the conversation itself, not from a counter: the call ids this server
// hands out carry their turn (`call_<turn>_<n>`), so turn = 1 + the highest turn among the calls a request replays.
// Retries, concurrent conversations and clients that split one turn's calls into several messages all stay in step.

const http = require('http');
const { fromChat, fromResponses } = require('./conversation');

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Rough token figures (characters / 4) so clients that read `usage` get numbers; not a tokenizer. */
const roughTokens = (text) => Math.ceil(String(text ?? '').length / 4);

function turnOf(conversation) {
	let highest = 0;
	for (const call of conversation.calls) {
		const match = /^call_(\d+)_\d+$/.exec(String(call.id));
		if (match) highest = Math.max(highest, Number(match[1]));
	}
	return highest + 1;
}

/** Plays one turn of the script: a list of tool calls, or a text answer. */
function playTurn(script, conversation, turn) {
	let spec = script[turn - 1];
	if (typeof spec === 'function') spec = spec(conversation, turn);
	if (!spec) throw new Error(`the script has no turn ${turn} (it has ${script.length})`);
	if (Array.isArray(spec.toolCalls)) {
		return {
			calls: spec.toolCalls.map((call, n) => ({
				id: `call_${turn}_${n + 1}`,
				name: call.name,
				arguments:
					typeof call.arguments === 'string'
						? call.arguments
						: JSON.stringify(call.arguments ?? {}),
			})),
		};
	}
	if (spec.say !== undefined) {
		const text = typeof spec.say === 'function' ? spec.say(conversation) : spec.say;
		return { text: String(text) };
	}
	throw new Error(`turn ${turn} of the script is neither {toolCalls} nor {say}`);
}

// Chat Completions answer: ChatCompletion (openai-node src/resources/chat/completions/completions.ts).
function chatCompletion(body, answer, id, promptTokens) {
	const message = answer.calls
		? {
				role: 'assistant',
				content: null,
				refusal: null,
				tool_calls: answer.calls.map((call) => ({
					id: call.id,
					type: 'function',
					function: { name: call.name, arguments: call.arguments },
				})),
			}
		: { role: 'assistant', content: answer.text, refusal: null };
	const completionTokens = roughTokens(JSON.stringify(message));
	return {
		id: `chatcmpl-${id}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: String(body.model ?? 'scripted'),
		choices: [
			{
				index: 0,
				message,
				logprobs: null,
				finish_reason: answer.calls ? 'tool_calls' : 'stop',
			},
		],
		usage: {
			prompt_tokens: promptTokens,
			completion_tokens: completionTokens,
			total_tokens: promptTokens + completionTokens,
		},
	};
}

// Responses answer: Response with output items ResponseFunctionToolCall / ResponseOutputMessage
// (openai-node src/resources/responses/responses.ts).
function response(body, answer, id, promptTokens) {
	const output = answer.calls
		? answer.calls.map((call) => ({
				type: 'function_call',
				id: `fc_${call.id}`,
				call_id: call.id,
				name: call.name,
				arguments: call.arguments,
				status: 'completed',
			}))
		: [
				{
					type: 'message',
					id: `msg_${id}`,
					role: 'assistant',
					status: 'completed',
					content: [{ type: 'output_text', text: answer.text, annotations: [] }],
				},
			];
	const outputTokens = roughTokens(JSON.stringify(output));
	return {
		id: `resp_${id}`,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		error: null,
		incomplete_details: null,
		model: String(body.model ?? 'scripted'),
		output,
		parallel_tool_calls: body.parallel_tool_calls ?? true,
		tool_choice: body.tool_choice ?? 'auto',
		tools: Array.isArray(body.tools) ? body.tools : [],
		usage: {
			input_tokens: promptTokens,
			input_tokens_details: { cached_tokens: 0 },
			output_tokens: outputTokens,
			output_tokens_details: { reasoning_tokens: 0 },
			total_tokens: promptTokens + outputTokens,
		},
	};
}

const ROUTES = {
	'/v1/chat/completions': { api: 'chat', read: fromChat, answer: chatCompletion },
	'/v1/responses': { api: 'responses', read: fromResponses, answer: response },
};

function send(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

// OpenAI's error body: {error: {message, type, param, code}}.
const apiError = (message, type = 'invalid_request_error') => ({
	error: { message: `scripted model: ${message}`, type, param: null, code: null },
});

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
				req.destroy();
			} else chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/**
 * Starts the model on 127.0.0.1. `script`: turns in order, each `{toolCalls: [{name, arguments}]}` (arguments an
 * object, or a string sent as is), `{say: text | (conversation) => text}`, or `(conversation, turn) => turn`.
 */
async function startScriptedModel({ script = [], port = 0 } = {}) {
	let currentScript = script;
	let answered = 0;
	const requests = [];

	async function handle(req, res) {
		const path = new URL(req.url, 'http://model').pathname.replace(/\/+$/, '');
		if (req.method === 'GET' && path === '/v1/models') {
			// The editor's model picker lists these; any model name is accepted for a completion.
			return send(res, 200, {
				object: 'list',
				data: [{ id: 'scripted', object: 'model', created: 0, owned_by: 'scripted-model' }],
			});
		}
		const route = req.method === 'POST' ? ROUTES[path] : undefined;
		if (!route) return send(res, 404, apiError(`no route ${req.method} ${path}`, 'not_found'));
		let body;
		try {
			body = JSON.parse(await readBody(req));
		} catch (error) {
			return send(res, 400, apiError(`the body is not JSON: ${error.message}`));
		}
		const conversation = route.read(body);
		const entry = {
			api: route.api,
			path,
			headers: { ...req.headers },
			body,
			conversation,
			turn: turnOf(conversation),
		};
		requests.push(entry);
		if (body.stream === true) {
			entry.error = 'streaming is not supported';
			return send(res, 400, apiError('streaming is not supported; call without "stream": true'));
		}
		let answer;
		try {
			answer = playTurn(currentScript, conversation, entry.turn);
		} catch (error) {
			entry.error = error.message;
			// 400, not 5xx: OpenAI clients retry server errors, and a missing turn will not appear on a retry.
			return send(res, 400, apiError(error.message));
		}
		entry.answer = answer;
		const promptTokens = roughTokens(JSON.stringify(body));
		send(res, 200, route.answer(body, answer, ++answered, promptTokens));
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent) send(res, 500, apiError(error.message, 'server_error'));
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	const { port: bound } = server.address();

	return {
		url: `http://127.0.0.1:${bound}/v1`,
		port: bound,
		/** Every request, in arrival order: {api, path, headers, body, conversation, turn, answer | error}. */
		requests,
		setScript(next) {
			currentScript = next;
		},
		clearLog() {
			requests.length = 0;
		},
		/**
		 * Tool results the model was sent, each once (a later request of a conversation replays its earlier ones), in
		 * order. Call ids repeat across conversations (every conversation's first call is call_1_1): conversations
		 * are told apart by their user messages.
		 */
		toolResults() {
			const seen = new Map();
			for (const { conversation } of requests) {
				for (const result of conversation.results) {
					const key = JSON.stringify([conversation.user, result.id]);
					if (!seen.has(key)) seen.set(key, result);
				}
			}
			return [...seen.values()];
		},
		/** The tool definitions of the latest request. */
		toolDefinitions() {
			const last = requests[requests.length - 1];
			return last ? last.conversation.tools : [];
		},
		/** Everything the model received, as text (for secret scans). */
		receivedText() {
			return requests.map((request) => JSON.stringify(request.body)).join('\n');
		},
		stop() {
			return new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			});
		},
	};
}

module.exports = { startScriptedModel };

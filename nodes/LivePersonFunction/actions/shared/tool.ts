import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { hasOwn } from '../../protocol/objects';
import { boundedNumber } from './numbers';
import { FORBIDDEN_KEYS } from './output';
import { ItemInputError } from './itemErrors';

/** The tool-only "Answer Limit for the Model" (characters): its default and bounds. */
export const DEFAULT_TOOL_ANSWER_CHARS = 20000;
export const TOOL_ANSWER_BOUNDS = { min: 500, max: 1000000 };

/**
 * Whether the node runs as an AI agent's tool: n8n makes a tool variant of a node that is usableAsTool and
 * names its type "<node>Tool" (the same test n8n uses for its "@tool" display option).
 */
export const runsAsTool = (node: INode) => node.type.endsWith('Tool');

/**
 * Whether a failed item becomes an output item instead of stopping the node. A tool's failure is the model's to
 * read: as n8n does for every tool, only "Stop Workflow" chosen in the node's settings (On Error) stops the
 * agent's execution; otherwise the model is told what went wrong and what to do.
 */
export function failuresBecomeItems(context: IExecuteFunctions): boolean {
	if (context.continueOnFail()) return true;
	const node = context.getNode();
	return runsAsTool(node) && node.onError !== 'stopWorkflow';
}

/** The key of the `$fromAI()` that fills a parameter, when one does: the name of the model's argument. */
function fromAiArgument(node: INode, parameter: string): string | undefined {
	const raw = hasOwn(node.parameters, parameter) ? node.parameters[parameter] : undefined;
	if (typeof raw !== 'string') return undefined;
	const match = /\$fromAI\(\s*(['"`])([A-Za-z0-9_-]+)\1/i.exec(raw);
	return match ? match[2] : undefined;
}

export interface ToolFacts {
	asTool: boolean;
	/** The model's argument that fills Payload (JSON), as a tool. */
	payloadArgument?: string;
}

const factsOf = new WeakMap<IExecuteFunctions, ToolFacts>();

/** Whether this execution runs as a tool, and its payload argument: read once per execution, not per item. */
export function toolFacts(context: IExecuteFunctions): ToolFacts {
	let facts = factsOf.get(context);
	if (!facts) {
		const node = context.getNode();
		const asTool = runsAsTool(node);
		facts = { asTool, payloadArgument: asTool ? fromAiArgument(node, 'payloadJson') : undefined };
		factsOf.set(context, facts);
	}
	return facts;
}

interface Visit {
	value: unknown;
	key?: string;
	parent?: Visit;
}

/** Where a visit is, e.g. payload.items.0.meta; only the last levels of a very deep one. */
function pathOf(visit: Visit): string {
	const keys: string[] = [];
	for (let at: Visit | undefined = visit; at?.parent; at = at.parent) keys.push(String(at.key));
	keys.reverse();
	return ['payload', ...(keys.length > 10 ? ['…', ...keys.slice(-10)] : keys)].join('.');
}

/**
 * A payload that came from a model is refused when any key, at any depth, would reach an object's prototype
 * (the functions it goes to may merge it into their own objects).
 */
export function refuseHostileKeys(payload: unknown, field: string): void {
	// A walk with its own stack: a model can nest deeper than the call stack goes. Paths are only built to report.
	const pending: Visit[] = [{ value: payload }];
	const seen = new Set<object>();
	for (let visit = pending.pop(); visit; visit = pending.pop()) {
		const { value } = visit;
		if (typeof value !== 'object' || value === null || seen.has(value)) continue;
		seen.add(value);
		for (const key of Object.keys(value)) {
			if (FORBIDDEN_KEYS.has(key)) {
				throw new ItemInputError(
					`${pathOf(visit)} has the key "${key}", which is not allowed`,
					field,
					'Leave out __proto__, constructor and prototype keys: they are refused anywhere in the payload.',
				);
			}
			pending.push({ value: (value as IDataObject)[key], key, parent: visit });
		}
	}
}

// What to do next, said to a model, by the kind of failure (the error's own description is kept as `details`).
const ADVICE: Record<string, string> = {
	'invalid-input':
		'Nothing was sent. Correct the argument named in "field" and call the tool again.',
	'function-failure':
		'The function ran and reported this failure. Check the arguments against what the function expects; call again only with corrected arguments, or tell the user.',
	'not-found':
		'No deployed function answers to this id. Do not call it again with the same id: use another function, or tell the user.',
	auth: 'The LivePerson credential of this workflow was refused; calling again will not help. Tell the user that the LivePerson connection needs attention.',
	throttled:
		'LivePerson is limiting calls right now and the retries ran out. Tell the user to try again later; do not call again at once.',
	unavailable: 'LivePerson is unavailable right now. Tell the user to try again later.',
	cancelled:
		'The run was cancelled; do not call again in this run. "functionMayHaveRun" says whether the function may have run.',
	configuration:
		'This tool is set up wrongly in the workflow; calling again will not help. Tell the user.',
};

function adviceFor(error: IDataObject): string {
	const kind = String(error.kind);
	if (hasOwn(ADVICE, kind)) return ADVICE[kind];
	return error.mayHaveRun
		? 'The function may have run although no answer came back. Do not call it again unless running it twice is harmless; tell the user what happened.'
		: 'Nothing reached the function. Tell the user what went wrong; call again only if the problem looks temporary.';
}

/** A failure as the model reads it: what went wrong, whether the function may have run, what to do. */
function errorForModel(error: IDataObject): IDataObject {
	const {
		message,
		description,
		kind,
		field,
		code,
		errorMessage,
		httpStatus,
		retryAfterMs,
		functionId,
		requestId,
	} = error;
	return {
		message,
		kind,
		functionMayHaveRun: error.mayHaveRun === true,
		whatToDo: adviceFor(error),
		details: description,
		field,
		code,
		functionErrorMessage: errorMessage,
		httpStatus,
		retryAfterMs,
		functionId,
		requestId,
	};
}

const NOTHING_FOUND =
	'The call succeeded and gave nothing back (for Get Many: no function matches; for an event: no function ran).';

/** The longest start of `text` whose JSON string (quotes and escapes included) fits in `budget` characters. */
function startThatFits(text: string, budget: number): string {
	let fits = 0;
	let over = Math.min(text.length, Math.max(0, budget)) + 1;
	while (over - fits > 1) {
		const length = Math.floor((fits + over) / 2);
		if (JSON.stringify(text.slice(0, length)).length <= budget) fits = length;
		else over = length;
	}
	return text.slice(0, fits);
}

/**
 * The node's output as the model gets it. Failed items speak to the model; an answer longer than the limit is cut
 * to it, with a note that says so, never passed whole into the model's context.
 */
export function outputForModel(
	output: INodeExecutionData[][],
	limitValue: unknown,
): INodeExecutionData[][] {
	const limit =
		boundedNumber(limitValue, 'Answer Limit for the Model', TOOL_ANSWER_BOUNDS) ??
		DEFAULT_TOOL_ANSWER_CHARS;
	return output.map((items) => {
		// n8n gives a model an empty string for a tool without items: say what that means instead.
		if (items.length === 0)
			return [{ json: { nothingFound: true, note: NOTHING_FOUND }, pairedItem: { item: 0 } }];
		const shaped = items.map((item) =>
			typeof item.json.error === 'object' && item.json.error !== null
				? { ...item, json: { error: errorForModel(item.json.error as IDataObject) } }
				: item,
		);
		const text = JSON.stringify(shaped.map((item) => item.json));
		if (text.length <= limit) return shaped;
		const note =
			`The answer is ${text.length} characters long, more than this tool passes on (${limit}, its ` +
			'"Answer Limit for the Model" setting). "partialAnswer" holds as much of its start as fits, cut ' +
			'mid-way: do not take it as complete.';
		const json: IDataObject = { cut: true, note, totalCharacters: text.length, partialAnswer: '' };
		// What the model reads is these items as JSON text: the part goes where its empty quotes ("") are.
		json.partialAnswer = startThatFits(text, limit - JSON.stringify([json]).length + 2);
		return [
			{ json, pairedItem: shaped.map((item) => item.pairedItem).find(Boolean) ?? { item: 0 } },
		];
	});
}

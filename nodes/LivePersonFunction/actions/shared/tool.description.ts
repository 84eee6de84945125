import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_TOOL_ANSWER_CHARS, TOOL_ANSWER_BOUNDS } from './tool';

const FAILURE_WORDS =
	'If it fails, the result is {"error": {...}} with the message, whether the function may have run ' +
	'(functionMayHaveRun) and what to do (whatToDo).';

/**
 * What the model reads about the tool, by operation. n8n sends a tool's "toolDescription" parameter as its
 * description; with a property of that name the node replaces n8n's generic "Invoke a function in LivePerson
 * Function", and the user still overrides it here like any tool description (text or expression).
 */
const DESCRIPTIONS: Array<{ resource: string; operation: string; text: string }> = [
	{
		resource: 'function',
		operation: 'invoke',
		text:
			'Runs a LivePerson Function (a serverless function of LivePerson Conversational Cloud) with the arguments ' +
			'as its payload and returns what the function answered, as JSON. ' +
			FAILURE_WORDS,
	},
	{
		resource: 'function',
		operation: 'getMany',
		text:
			'Lists the LivePerson Functions of the account: for each its uuid, name, description, state and bound ' +
			'event. Use it to find which function does what, and its uuid. ' +
			FAILURE_WORDS,
	},
	{
		resource: 'event',
		operation: 'invoke',
		text:
			'Triggers a LivePerson event: runs the LivePerson Functions bound to it with the arguments as the payload ' +
			'and returns what they answered, as JSON. ' +
			FAILURE_WORDS,
	},
	{
		resource: 'event',
		operation: 'isImplemented',
		text:
			'Tells whether a LivePerson Function is deployed for a LivePerson event: returns {"eventId", "skillId", ' +
			'"implemented": true or false}. ' +
			FAILURE_WORDS,
	},
];

/** Parameters of the node's tool variant only ("@tool"): its description for the model, and the answer limit. */
export const toolProperties: INodeProperties[] = [
	...DESCRIPTIONS.map(
		({ resource, operation, text }): INodeProperties => ({
			displayName: 'Tool Description',
			name: 'toolDescription',
			type: 'string',
			default: text,
			typeOptions: { rows: 4 },
			description:
				'What the AI model reads about this tool. Say what the function does, what it needs and what it returns: the model chooses tools by it.',
			displayOptions: { show: { '@tool': [true], resource: [resource], operation: [operation] } },
		}),
	),
	{
		displayName: 'Answer Limit for the Model',
		name: 'toolAnswerLimit',
		type: 'number',
		typeOptions: { minValue: TOOL_ANSWER_BOUNDS.min, maxValue: TOOL_ANSWER_BOUNDS.max },
		default: DEFAULT_TOOL_ANSWER_CHARS,
		description:
			'The most characters of an answer the model gets. A longer answer is cut to this size, with a note that tells the model it was cut.',
		displayOptions: { show: { '@tool': [true] } },
	},
];

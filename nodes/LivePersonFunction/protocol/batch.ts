import type { InvocationHeader, InvokeResult } from './invoke';
import { invocationBody } from './invoke';
import { LivePersonError } from './errors';
import { hasOwn } from './objects';
import { cutRemoteText } from './remoteText';

/**
 * The batch contract, version 1. A batch call is an ordinary invocation whose `input.headers`
 * carry `X-N8N-Batch: 1` (a header users cannot set in the node, so a function never has to guess)
 * and whose `input.payload` is `{"items": [payload, ...]}`. The function answers with a list of the
 * same length, in order; element i is `{"result": value}` or `{"error": {"message", "code"?}}`
 * (an `"error"` of null counts as absent).
 */
export const BATCH_HEADER = 'X-N8N-Batch';
const BATCH_CONTRACT_VERSION = '1';

/** Whether a header name is the batch mark, in any letter case and with any surrounding space. */
export function isBatchHeader(name: string): boolean {
	return name.trim().toLowerCase() === BATCH_HEADER.toLowerCase();
}

/** The headers of a batch call: the user's, then the mark that makes it one. */
export function batchHeaders(headers: InvocationHeader[]): InvocationHeader[] {
	return [...headers, { key: BATCH_HEADER, value: BATCH_CONTRACT_VERSION }];
}

/** `{"items":[...]}` from each item's payload, already serialised (each payload is serialised once). */
export function batchPayloadJson(itemPayloadsJson: string[]): string {
	return `{"items":[${itemPayloadsJson.join(',')}]}`;
}

// Any epoch-milliseconds timestamp until the year 2286 has 13 digits.
const TIMESTAMP_SIZE = 1_000_000_000_000;

export const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * The size of a batch call's body without its items; each item adds its serialised payload's size,
 * and one byte for the comma between two items.
 */
export function batchEnvelopeBytes(headers: InvocationHeader[]): number {
	return utf8Bytes(invocationBody(TIMESTAMP_SIZE, batchHeaders(headers), batchPayloadJson([])));
}

/** What the function answered for one element of a batch. */
export type BatchElement =
	| { ok: true; result: InvokeResult }
	| { ok: false; error: LivePersonError };

function batchAnswerError(message: string, description: string): LivePersonError {
	// The function ran (it answered 2xx): never re-sent without the user's opt-in.
	return new LivePersonError(message, {
		kind: 'bad-answer',
		step: 'invoke',
		mayHaveRun: true,
		description,
	});
}

const CONTRACT_ADVICE =
	'A batch-aware function answers with a list holding one {"result": ...} or {"error": {"message": ...}} per item, in order (see "Batch invocation" in the README).';

function elementError(error: unknown): LivePersonError {
	const reported =
		typeof error === 'string'
			? { message: error }
			: typeof error === 'object' && error !== null
				? (error as Record<string, unknown>)
				: {};
	const message =
		typeof reported.message === 'string' && reported.message !== ''
			? cutRemoteText(reported.message)
			: 'The function reported a failure for this item';
	const code = typeof reported.code === 'string' ? cutRemoteText(reported.code, 200) : undefined;
	return new LivePersonError(message, {
		kind: 'function-failure',
		step: 'invoke',
		mayHaveRun: true,
		body: { message, ...(code === undefined ? {} : { code }) },
		// The node adds which item of which batch (the protocol knows only the position in the call).
		description: `The function reported a failure for this item alone${code ? ` (${code})` : ''}; the other items of the batch are not affected.`,
	});
}

function readElement(element: unknown): BatchElement {
	if (typeof element === 'object' && element !== null && !Array.isArray(element)) {
		// `"error": null` is how JavaScript code often says "no error".
		const error = hasOwn(element, 'error') ? (element as { error: unknown }).error : null;
		if (error !== null && error !== undefined) {
			return { ok: false, error: elementError(error) };
		}
		if (hasOwn(element, 'result')) {
			return { ok: true, result: { empty: false, value: (element as { result: unknown }).result } };
		}
	}
	return {
		ok: false,
		error: batchAnswerError(
			'The function\'s answer for this item has neither "result" nor "error"',
			CONTRACT_ADVICE,
		),
	};
}

/**
 * Reads a batch answer of `count` elements. An answer that is not a list of that length fails the
 * whole batch (the caller names its items); a malformed element fails only its own item.
 */
export function readBatchAnswer(answer: InvokeResult, count: number): BatchElement[] {
	if (answer.empty || !Array.isArray(answer.value)) {
		const got = answer.empty
			? 'an empty body'
			: answer.value === null
				? 'null'
				: typeof answer.value === 'object'
					? 'an object'
					: `a ${typeof answer.value}`;
		throw batchAnswerError(
			`The function answered a batch of ${count} items with ${got}, not a list`,
			CONTRACT_ADVICE,
		);
	}
	if (answer.value.length !== count) {
		throw batchAnswerError(
			`The function answered a batch of ${count} items with ${answer.value.length} results`,
			CONTRACT_ADVICE,
		);
	}
	return answer.value.map(readElement);
}

import type { LivePersonStep } from './errors';

/**
 * The only thing the protocol core needs from the outside world: one HTTP call.
 * The credential passes n8n's `httpRequest`, the node its authenticated helper, tests anything.
 * A client resolves for every HTTP status (the core classifies answers itself) and rejects only
 * when no answer arrived; such a rejection should carry the socket error `code` (e.g. ECONNREFUSED)
 * somewhere on the error or its `cause` chain.
 */
export interface HttpRequest {
	method: 'GET' | 'POST';
	url: string;
	/** Repeated parameters (state=a&state=b) as arrays. */
	query?: Record<string, string | string[]>;
	headers?: Record<string, string>;
	/** Already serialised: JSON text or a form-encoded string (the matching Content-Type is in `headers`). */
	body?: string;
	/** The deadline for the whole answer, headers and body together. */
	timeoutMs?: number;
	/** The most the answer's body may weigh, in bytes; more is never read. */
	maxBytes?: number;
	/** Aborts the call (its deadline, or the execution's cancellation). */
	signal?: AbortSignal;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, unknown>;
	/** The raw body text ('' when empty), so that non-JSON answers can be told apart from JSON strings. */
	body: string;
}

export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;

/** An answer heavier than the request's `maxBytes`: reading stopped there. */
export class AnswerTooLargeError extends Error {
	constructor(readonly maxBytes: number) {
		super(`The answer is larger than ${maxBytes} bytes`);
		this.name = 'AnswerTooLargeError';
	}
}

/**
 * `work`, or `onAbort()` as soon as `signal` aborts, whichever comes first: a deadline or a cancel
 * holds even where the work itself does not honour the signal. A `work` that loses fails unheard.
 */
export async function untilAborted<T>(
	work: Promise<T>,
	signal: AbortSignal,
	onAbort: () => T,
): Promise<T> {
	work.catch(() => undefined);
	if (signal.aborted) return onAbort();
	let stop: () => void = () => undefined;
	const aborted = new Promise<T>((resolve, reject) => {
		stop = () => {
			try {
				resolve(onAbort());
			} catch (error) {
				reject(error as Error);
			}
		};
		signal.addEventListener('abort', stop, { once: true });
	});
	try {
		return await Promise.race([work, aborted]);
	} finally {
		signal.removeEventListener('abort', stop);
	}
}

/** A body as it arrives (a Node stream is one), that can be stopped. */
export interface BodyChunks extends AsyncIterable<unknown> {
	destroy?: (error?: Error) => void;
}

/**
 * Reads a body as UTF-8 text, never more than `maxBytes` (the rest is not read: the stream is
 * destroyed), and gives up as soon as `signal` aborts, however slowly the bytes trickle in.
 */
export async function readBodyText(
	chunks: BodyChunks,
	maxBytes: number,
	signal?: AbortSignal,
): Promise<string> {
	const stop = () => chunks.destroy?.(new Error('The answer was abandoned'));
	if (signal?.aborted) stop();
	signal?.addEventListener('abort', stop, { once: true });
	try {
		const parts: Buffer[] = [];
		let size = 0;
		for await (const chunk of chunks) {
			const part = Buffer.isBuffer(chunk)
				? chunk
				: typeof chunk === 'string'
					? Buffer.from(chunk)
					: Buffer.from(chunk as Uint8Array);
			size += part.length;
			if (size > maxBytes) {
				chunks.destroy?.();
				throw new AnswerTooLargeError(maxBytes);
			}
			parts.push(part);
		}
		return Buffer.concat(parts).toString('utf8');
	} finally {
		signal?.removeEventListener('abort', stop);
	}
}

export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
		return value === undefined || value === null ? undefined : String(value);
	}
	return undefined;
}

/** JSON.parse that tells "no body" and "not JSON" apart from any JSON value. */
export function parseJsonBody(
	text: string,
): { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'invalid' } {
	if (text.trim() === '') return { kind: 'empty' };
	try {
		return { kind: 'json', value: JSON.parse(text) };
	} catch {
		return { kind: 'invalid' };
	}
}

/**
 * Every outbound call has a time limit: this one when the caller names none (functions run at most
 * 30 s; the gateway answers a little later), and never outside the bounds.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 35_000;
export const MIN_REQUEST_TIMEOUT_MS = 1_000;
export const MAX_REQUEST_TIMEOUT_MS = 300_000;
/** Discovery and the token request: small answers, nothing runs; no reason to wait as long as for a function. */
export const CREDENTIAL_STEP_TIMEOUT_MS = 15_000;

export const MB = 1024 * 1024;
/**
 * What an answer may weigh when the caller sets no limit. A function's answer becomes an n8n item
 * (the node's Max Answer Size option changes this one); the Domain API, Sentinel and the listing
 * answer with a few kilobytes.
 */
export const ANSWER_LIMITS: Record<LivePersonStep, number> = {
	invoke: 16 * MB,
	listing: 8 * MB,
	discovery: 1 * MB,
	token: 64 * 1024,
};

/** JSON nested deeper than this is refused: no real answer needs it, and n8n's deep copies would overflow. */
export const MAX_ANSWER_DEPTH = 200;

/**
 * Whether `text` nests JSON arrays and objects deeper than `limit`, counted on the text before
 * anything parses it: a hostile answer a million levels deep costs one pass, and stops early.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '[' || c === '{') {
			if (++depth > limit) return true;
		} else if (c === ']' || c === '}') depth--;
	}
	return false;
}

export function requestTimeoutMs(timeoutMs: number | undefined): number {
	if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return DEFAULT_REQUEST_TIMEOUT_MS;
	return Math.min(MAX_REQUEST_TIMEOUT_MS, Math.max(MIN_REQUEST_TIMEOUT_MS, Math.round(timeoutMs)));
}

export const isSuccess = (response: HttpResponse) =>
	response.status >= 200 && response.status <= 299;

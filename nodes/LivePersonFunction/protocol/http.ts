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
	timeoutMs?: number;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, unknown>;
	/** The raw body text ('' when empty), so that non-JSON answers can be told apart from JSON strings. */
	body: string;
}

export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;

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

export function requestTimeoutMs(timeoutMs: number | undefined): number {
	if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return DEFAULT_REQUEST_TIMEOUT_MS;
	return Math.min(MAX_REQUEST_TIMEOUT_MS, Math.max(MIN_REQUEST_TIMEOUT_MS, Math.round(timeoutMs)));
}

export const isSuccess = (response: HttpResponse) =>
	response.status >= 200 && response.status <= 299;

import type { IHttpRequestOptions } from 'n8n-workflow';

import { findInCauseChain, LivePersonError } from '../protocol/errors';
import type { BodyChunks, HttpClient, HttpRequest } from '../protocol/http';
import { ANSWER_LIMITS, readBodyText, requestTimeoutMs } from '../protocol/http';

export type N8nHttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

interface FullResponse {
	statusCode: number;
	headers?: unknown;
	body?: unknown;
}

function plainHeaders(headers: unknown): Record<string, unknown> {
	if (!headers || typeof headers !== 'object') return {};
	const withToJson = headers as { toJSON?: () => unknown };
	return (typeof withToJson.toJSON === 'function' ? withToJson.toJSON() : headers) as Record<
		string,
		unknown
	>;
}

const isStream = (body: unknown): body is BodyChunks =>
	typeof body === 'object' &&
	body !== null &&
	typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

/** The body as text: a stream is read within the call's size limit and deadline. */
async function bodyText(body: unknown, call: HttpRequest): Promise<string> {
	if (body === undefined || body === null) return '';
	if (isStream(body))
		return await readBodyText(body, call.maxBytes ?? ANSWER_LIMITS.invoke, call.signal);
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

const stopReading = (body: unknown) => {
	if (isStream(body)) body.destroy?.();
};

function cannotRenewError(): LivePersonError {
	return new LivePersonError(
		'This version of n8n cannot renew the LivePerson access token (LivePerson answered HTTP 401)',
		{
			kind: 'auth',
			step: 'token',
			httpStatus: 401,
			mayHaveRun: false,
			description:
				'The function did not run. n8n before 2.0 does not renew an expired or revoked token for this node, so every call fails once the stored token is no longer valid. Use n8n 2.0 or newer.',
		},
	);
}

/** The HTTP answer an n8n request error carries, if any (n8n wraps the axios error in `cause`). */
function answerOf(error: unknown): FullResponse | undefined {
	return findInCauseChain(error, (link) => {
		const response = link.response as
			| { status?: unknown; headers?: unknown; data?: unknown }
			| undefined;
		if (!response || typeof response.status !== 'number') return undefined;
		return { statusCode: response.status, headers: response.headers, body: response.data };
	});
}

/**
 * Adapts one of n8n's request helpers to the protocol core's HttpClient.
 * Every status comes back as an answer, except 401, which n8n must see as an error: that is how
 * `httpRequestWithAuthentication` knows to run the credential's preAuthentication and retry once.
 * Bodies arrive as a stream and are read here, as text, so that no answer is read past the call's
 * size limit or deadline (n8n reads whole bodies with no limit, and its timeout ends with the
 * headers), and a non-JSON answer is not mistaken for a JSON string.
 */
export function n8nHttpClient(
	request: N8nHttpRequest,
	{ renewsToken = false }: { renewsToken?: boolean } = {},
): HttpClient {
	return async (call) => {
		const options: IHttpRequestOptions = {
			method: call.method,
			url: call.url,
			qs: call.query,
			arrayFormat: 'repeat',
			headers: call.headers,
			body: call.body,
			timeout: requestTimeoutMs(call.timeoutMs),
			abortSignal: call.signal,
			// A redirect comes back as an answer, which the protocol refuses: nothing follows it.
			disableFollowRedirect: true,
			encoding: 'stream',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
		};
		let thrown = false;
		const response = (await request(options).catch((error: unknown) => {
			const answer = answerOf(error);
			if (!answer) throw error;
			thrown = true;
			return answer;
		})) as FullResponse;
		// n8n 2.x throws a 401 (`except: [401]`) and renews the token first; n8n 1.x reads
		// `ignoreHttpStatusErrors` as a plain boolean and hands the 401 back without renewing.
		if (renewsToken && !thrown && response.statusCode === 401) {
			stopReading(response.body);
			throw cannotRenewError();
		}
		return {
			status: response.statusCode,
			headers: plainHeaders(response.headers),
			body: await bodyText(response.body, call),
		};
	};
}

import type { LivePersonStep } from './errors';
import { LivePersonError } from './errors';
import { asLivePersonError, cancelledError, timeoutError } from './transportErrors';
import type { HttpClient, HttpRequest, HttpResponse } from './http';
import {
	ANSWER_LIMITS,
	AnswerTooLargeError,
	headerValue,
	jsonDepthExceeds,
	MAX_ANSWER_DEPTH,
	MB,
	requestTimeoutMs,
	untilAborted,
} from './http';

/** Where a redirect pointed, as scheme and host only: the rest of a remote host's text is not repeated. */
function redirectTarget(response: HttpResponse): string {
	const location = headerValue(response.headers, 'location');
	if (!location) return 'another address';
	try {
		const url = new URL(location);
		return `${url.protocol}//${url.host}`;
	} catch {
		return 'another address';
	}
}

const sizeText = (bytes: number) =>
	bytes >= MB ? `${+(bytes / MB).toFixed(1)} MB` : `${+(bytes / 1024).toFixed(1)} KB`;

function badAnswer(message: string, step: LivePersonStep, description: string) {
	// Only an invocation runs anything; its answer came after the function ran.
	return new LivePersonError(message, {
		kind: 'bad-answer',
		step,
		mayHaveRun: step === 'invoke',
		description,
	});
}

function tooLargeError(step: LivePersonStep, target: string, maxBytes: number) {
	return badAnswer(
		`${target} answered with more than ${sizeText(maxBytes)}, which is not read`,
		step,
		step === 'invoke'
			? 'The function ran, but its answer is larger than the Max Answer Size option allows. Return less from the function, or raise Max Answer Size (MB).'
			: 'No LivePerson service answers this step with that much: check the hosts and the Domain API URL of the credential, and any proxy between n8n and LivePerson.',
	);
}

/**
 * Every LivePerson request goes out through here, and each one:
 * - has a deadline for the whole answer, headers and body together (a body that trickles in does
 *   not outlast it), and ends at once when the execution is cancelled;
 * - reads at most what its step may weigh (ANSWER_LIMITS), and refuses JSON nested deeper than any
 *   real answer needs;
 * - never follows a redirect (the HTTP adapter turns following off): LivePerson's endpoints have no
 *   reason to redirect, and a token, a secret or a payload must not go where a remote host points.
 * What comes back is an answer or a LivePersonError naming the step and the target.
 */
export async function send(
	http: HttpClient,
	request: HttpRequest,
	step: LivePersonStep,
	target: string,
): Promise<HttpResponse> {
	const cancel = request.signal;
	if (cancel?.aborted) throw cancelledError(step, { sent: false });
	const timeoutMs = requestTimeoutMs(request.timeoutMs);
	const deadline = AbortSignal.timeout(timeoutMs);
	const signal = cancel ? AbortSignal.any([cancel, deadline]) : deadline;
	const limit = request.maxBytes ?? ANSWER_LIMITS[step];
	let response: HttpResponse;
	try {
		// The adapter honours the signal; racing it as well bounds a call whose adapter does not.
		response = await untilAborted(
			http({ ...request, timeoutMs, maxBytes: limit, signal }),
			signal,
			() => {
				throw new Error('aborted');
			},
		);
	} catch (error) {
		if (error instanceof AnswerTooLargeError) throw tooLargeError(step, target, error.maxBytes);
		if (deadline.aborted) throw timeoutError(step, target);
		if (cancel?.aborted) throw cancelledError(step, { sent: true });
		throw asLivePersonError(error, step, target);
	}
	if (response.status >= 300 && response.status <= 399) {
		throw new LivePersonError(
			`${target} answered with a redirect (HTTP ${response.status}) to ${redirectTarget(response)}, which is not followed`,
			{
				kind: 'redirect',
				step,
				httpStatus: response.status,
				mayHaveRun: false,
				description:
					'LivePerson does not redirect these calls, so nothing (no token, secret or payload) was sent on. Check the hosts and the Domain API URL in the credential, and any proxy between n8n and LivePerson.',
			},
		);
	}
	// The n8n adapter stops reading at the limit; an adapter that cannot (a string body) is held to it here.
	if (Buffer.byteLength(response.body) > limit) throw tooLargeError(step, target, limit);
	if (jsonDepthExceeds(response.body, MAX_ANSWER_DEPTH)) {
		throw badAnswer(
			`${target} answered with JSON nested more than ${MAX_ANSWER_DEPTH} levels deep, which is not read`,
			step,
			'No real answer nests that deep. If the function builds its answer, return a flatter value.',
		);
	}
	return response;
}

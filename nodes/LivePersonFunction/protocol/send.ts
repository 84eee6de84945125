import { asLivePersonError, LivePersonError } from './errors';
import type { LivePersonStep } from './errors';
import type { HttpClient, HttpRequest, HttpResponse } from './http';
import { headerValue, requestTimeoutMs } from './http';

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

/**
 * Every LivePerson request goes out through here: always with a time limit, and what comes back is
 * an answer or a LivePersonError naming the step and the target. A redirect is an error, never
 * followed (the HTTP adapter turns following off): LivePerson's endpoints have no reason to
 * redirect, and a token, a secret or a payload must not go where a remote host points.
 */
export async function send(
	http: HttpClient,
	request: HttpRequest,
	step: LivePersonStep,
	target: string,
): Promise<HttpResponse> {
	const response = await http({ ...request, timeoutMs: requestTimeoutMs(request.timeoutMs) }).catch(
		(error: unknown) => {
			throw asLivePersonError(error, step, target);
		},
	);
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
	return response;
}

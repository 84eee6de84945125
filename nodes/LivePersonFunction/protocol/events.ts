import type { HttpRequest, HttpResponse } from './http';
import { parseJsonBody } from './http';
import { classifyFaasError, LivePersonError } from './errors';
import type { Invocation, InvokeTarget } from './invoke';
import { buildInvocationRequest, gatewayCallParts, gatewayUrl } from './invoke';

export interface EventInvocation extends Invocation {
	eventId: string;
}

export const eventPath = (eventId: string, action: 'invoke' | 'isImplemented') => `events/${encodeURIComponent(eventId)}/${action}`;

/** Invokes every function bound to the event; same body, query and headers as an invoke by UUID. */
export function buildEventInvokeRequest(invocation: EventInvocation): HttpRequest {
	return buildInvocationRequest(invocation, eventPath(invocation.eventId, 'invoke'));
}

/** One entry per function that ran, in LivePerson's order; an empty list when none is bound. */
export function readEventInvokeResponse(response: HttpResponse): unknown[] {
	if (response.status < 200 || response.status > 299) throw classifyFaasError(response, 'invoke');
	const parsed = parseJsonBody(response.body);
	if (parsed.kind === 'empty') return [];
	if (parsed.kind === 'json' && Array.isArray(parsed.value)) return parsed.value;
	throw new LivePersonError('LivePerson answered an event invocation with something that is not a list', {
		kind: 'bad-answer',
		step: 'invoke',
		httpStatus: response.status,
		mayHaveRun: true,
		description: `The functions ran, but their answer could not be read: ${JSON.stringify(response.body.slice(0, 200))}`,
	});
}

export function buildIsImplementedRequest(target: Omit<InvokeTarget, 'requestId'> & { eventId: string; skillId?: string; requestId?: string }): HttpRequest {
	const { query, headers } = gatewayCallParts(target.platform, target);
	return { method: 'GET', url: gatewayUrl(target, eventPath(target.eventId, 'isImplemented')), query, headers, timeoutMs: target.timeoutMs };
}

export function readIsImplemented(response: HttpResponse): boolean {
	if (response.status < 200 || response.status > 299) throw classifyFaasError(response, 'invoke');
	const parsed = parseJsonBody(response.body);
	const implemented = parsed.kind === 'json' ? (parsed.value as { implemented?: unknown } | null)?.implemented : undefined;
	if (typeof implemented !== 'boolean') {
		throw new LivePersonError('LivePerson answered "is implemented" without a true/false value', {
			kind: 'bad-answer',
			step: 'invoke',
			httpStatus: response.status,
		});
	}
	return implemented;
}

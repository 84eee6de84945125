import type { HttpResponse } from './http';
import { isSuccess, parseJsonBody } from './http';
import { classifyFaasError, unreadableAnswer } from './answerErrors';
import { LivePersonError } from './errors';
import { pathSegment } from './hosts';

export const eventPath = (eventId: string, action: 'invoke' | 'isImplemented') =>
	`events/${pathSegment(eventId, 'event ID', 'invoke')}/${action}`;

/** One entry per function that ran, in LivePerson's order; an empty list when none is bound. */
export function readEventInvokeResponse(response: HttpResponse): unknown[] {
	if (!isSuccess(response)) throw classifyFaasError(response, 'invoke');
	const parsed = parseJsonBody(response.body);
	if (parsed.kind === 'empty') return [];
	if (parsed.kind === 'json' && Array.isArray(parsed.value)) return parsed.value;
	throw unreadableAnswer(
		response,
		'invoke',
		'LivePerson answered an event invocation with something that is not a list',
	);
}

export function readIsImplemented(response: HttpResponse): boolean {
	if (!isSuccess(response)) throw classifyFaasError(response, 'invoke');
	const parsed = parseJsonBody(response.body);
	const implemented =
		parsed.kind === 'json'
			? (parsed.value as { implemented?: unknown } | null)?.implemented
			: undefined;
	if (typeof implemented !== 'boolean') {
		throw new LivePersonError('LivePerson answered "is implemented" without a true/false value', {
			kind: 'bad-answer',
			step: 'invoke',
			httpStatus: response.status,
		});
	}
	return implemented;
}

import type { HttpRequest, HttpResponse } from './http';
import { parseJsonBody } from './http';
import { classifyFaasError, LivePersonError } from './errors';
import { httpsBase } from './hosts';
import type { Platform } from './invoke';

export interface ListFunctionsQuery {
	accountId: string;
	uiHost: string;
	platform: Platform;
	states?: string[];
	name?: string;
	userId?: string;
}

export interface FunctionSummary {
	uuid: string;
	name: string;
	description?: string;
	state?: string;
	eventId?: string;
}

/** V1 lists `lambdas/` with v=1, V2 lists `functions` and filters by name on the server. */
export function buildListFunctionsRequest(query: ListFunctionsQuery): HttpRequest {
	const account = encodeURIComponent(query.accountId);
	const params: Record<string, string | string[]> = {};
	if (query.states?.length) params.state = query.states;
	if (query.userId) params.userId = query.userId;
	if (query.platform === 'v1') {
		params.v = '1';
		return { method: 'GET', url: `${httpsBase(query.uiHost)}/api/account/${account}/lambdas/`, query: params, headers: { Accept: 'application/json' } };
	}
	if (query.name) params.functionName = query.name;
	return { method: 'GET', url: `${httpsBase(query.uiHost)}/api/account/${account}/functions`, query: params, headers: { Accept: 'application/json' } };
}

export function readFunctionList(response: HttpResponse): FunctionSummary[] {
	if (response.status < 200 || response.status > 299) throw classifyFaasError(response, 'listing');
	const parsed = parseJsonBody(response.body);
	const value = parsed.kind === 'json' ? parsed.value : undefined;
	if (!Array.isArray(value)) {
		throw new LivePersonError('LivePerson answered the function list with something that is not a list', {
			kind: 'bad-answer',
			step: 'listing',
			httpStatus: response.status,
		});
	}
	return value
		.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null && typeof entry.uuid === 'string')
		.map((entry) => ({
			uuid: entry.uuid as string,
			name: typeof entry.name === 'string' ? entry.name : (entry.uuid as string),
			description: typeof entry.description === 'string' ? entry.description : undefined,
			state: typeof entry.state === 'string' ? entry.state : undefined,
			eventId: typeof entry.eventId === 'string' ? entry.eventId : undefined,
		}));
}

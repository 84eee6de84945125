import type { HttpRequest, HttpResponse } from './http';
import { isSuccess, parseJsonBody } from './http';
import { classifyFaasError } from './answerErrors';
import { LivePersonError } from './errors';
import { httpsBase, pathSegment } from './hosts';
import type { Platform } from './invoke';

export interface ListFunctionsQuery {
	accountId: string;
	uiHost: string;
	platform: Platform;
	states?: string[];
	nameContains?: string;
	userId?: string;
	timeoutMs?: number;
}

export interface FunctionSummary {
	functionId: string;
	name: string;
	description?: string;
	state?: string;
	eventId?: string;
}

/** V1 lists `lambdas/` with v=1, V2 lists `functions` and filters by name on the server. */
export function buildListFunctionsRequest(query: ListFunctionsQuery): HttpRequest {
	const params: Record<string, string | string[]> = {};
	if (query.states?.length) params.state = query.states;
	if (query.userId) params.userId = query.userId;
	let path = 'lambdas/';
	if (query.platform === 'v1') params.v = '1';
	else {
		path = 'functions';
		if (query.nameContains) params.functionName = query.nameContains;
	}
	return {
		method: 'GET',
		url: `${httpsBase(query.uiHost)}/api/account/${pathSegment(query.accountId, 'account ID', 'listing')}/${path}`,
		query: params,
		headers: { Accept: 'application/json' },
		timeoutMs: query.timeoutMs,
	};
}

/** The listed functions (LivePerson names the id `uuid`); V1 has no name filter on the server, so it applies here on both. */
export function readFunctionList(response: HttpResponse, nameContains = ''): FunctionSummary[] {
	if (!isSuccess(response)) throw classifyFaasError(response, 'listing');
	const parsed = parseJsonBody(response.body);
	const value = parsed.kind === 'json' ? parsed.value : undefined;
	if (!Array.isArray(value)) {
		throw new LivePersonError(
			'LivePerson answered the function list with something that is not a list',
			{
				kind: 'bad-answer',
				step: 'listing',
				httpStatus: response.status,
			},
		);
	}
	const text = (field: unknown) => (typeof field === 'string' ? field : undefined);
	const wanted = nameContains.trim().toLowerCase();
	return value
		.filter(
			(entry): entry is Record<string, unknown> =>
				typeof entry === 'object' && entry !== null && typeof entry.uuid === 'string',
		)
		.map((entry) => ({
			functionId: entry.uuid as string,
			name: text(entry.name) ?? (entry.uuid as string),
			description: text(entry.description),
			state: text(entry.state),
			eventId: text(entry.eventId),
		}))
		.filter((fn) => wanted === '' || fn.name.toLowerCase().includes(wanted));
}

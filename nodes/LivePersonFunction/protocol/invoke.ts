import type { HttpRequest, HttpResponse } from './http';
import { parseJsonBody } from './http';
import { classifyFaasError, LivePersonError } from './errors';
import { httpsBase } from './hosts';

export type Platform = 'v1' | 'v2';

export interface FaasHeader {
	key: string;
	value: string;
}

export interface InvokeTarget {
	accountId: string;
	gatewayHost: string;
	platform: Platform;
	timeoutMs?: number;
	requestId: string;
}

/** What every invocation sends, by UUID or by event. */
export interface Invocation extends InvokeTarget {
	payload: unknown;
	headers: FaasHeader[];
	/** Epoch ms; the platform hands it to the function as `input.timestamp`. */
	timestamp: number;
	userId?: string;
	skillId?: string;
}

export interface FunctionInvocation extends Invocation {
	lambdaUuid: string;
}

/** Who calls, on V2 (`LP-EventSource`); LivePerson publishes no list of values, so we name ourselves. */
export const EVENT_SOURCE = 'n8n';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isLambdaUuid(value: string): boolean {
	return UUID.test(value);
}

/** LivePerson's own client tells V2 gateways by their host name. */
export function detectPlatform(gatewayHost: string): Platform {
	return /fninvocations|functions/i.test(gatewayHost) ? 'v2' : 'v1';
}

/** Query and headers of every gateway call: V1 takes `v=1` (and userId), V2 the LP-EventSource header. */
export function gatewayCallParts(
	platform: Platform,
	ids: { requestId?: string; userId?: string; skillId?: string },
): { query: Record<string, string>; headers: Record<string, string> } {
	const query: Record<string, string> = {};
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (ids.requestId) headers['X-Request-ID'] = ids.requestId;
	if (platform === 'v1') {
		query.v = '1';
		if (ids.userId) query.userId = ids.userId;
	} else {
		headers['LP-EventSource'] = EVENT_SOURCE;
	}
	if (ids.skillId) query.skillId = ids.skillId;
	return { query, headers };
}

export function gatewayUrl(target: { gatewayHost: string; accountId: string }, path: string): string {
	return `${httpsBase(target.gatewayHost)}/api/account/${encodeURIComponent(target.accountId)}/${path}`;
}

/** POST `path` on the gateway with the documented body `{timestamp, headers, payload}`. */
export function buildInvocationRequest(invocation: Invocation, path: string): HttpRequest {
	const { query, headers } = gatewayCallParts(invocation.platform, invocation);
	return {
		method: 'POST',
		url: gatewayUrl(invocation, path),
		query,
		headers: { ...headers, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			timestamp: invocation.timestamp,
			headers: invocation.headers,
			payload: invocation.payload === undefined ? {} : invocation.payload,
		}),
		timeoutMs: invocation.timeoutMs,
	};
}

export const lambdaInvokePath = (lambdaUuid: string) => `lambdas/${encodeURIComponent(lambdaUuid)}/invoke`;

/** The invoke request for a function by UUID: same path and body on V1 and V2, different query and headers. */
export function buildInvokeRequest(invocation: FunctionInvocation): HttpRequest {
	return buildInvocationRequest(invocation, lambdaInvokePath(invocation.lambdaUuid));
}

export type InvokeResult = { empty: true } | { empty: false; value: unknown };

/**
 * A 2xx answer is the function's result: any JSON value, or nothing. A 2xx that is not JSON is
 * reported as a bad answer, but marked as having run: the function did run, and must not run again.
 */
export function readInvokeResponse(response: HttpResponse): InvokeResult {
	if (response.status < 200 || response.status > 299) throw classifyFaasError(response, 'invoke');
	const parsed = parseJsonBody(response.body);
	if (parsed.kind === 'empty') return { empty: true };
	if (parsed.kind === 'json') return { empty: false, value: parsed.value };
	throw new LivePersonError('LivePerson answered with a body that is not JSON', {
		kind: 'bad-answer',
		step: 'invoke',
		httpStatus: response.status,
		mayHaveRun: true,
		description: `The function ran, but its answer could not be read: ${JSON.stringify(response.body.slice(0, 200))}`,
	});
}

import type { HttpRequest, HttpResponse } from './http';
import { isSuccess, parseJsonBody } from './http';
import { classifyFaasError, unreadableAnswer } from './answerErrors';
import { httpsBase, pathSegment } from './hosts';

export type Platform = 'v1' | 'v2';

/**
 * LivePerson's own client tells V2 hosts by their name: the gateway's for invoking and asking, the
 * Functions UI's for listing (liveperson-functions-client 2.2.0, `isV2Domain` of the service called).
 */
export function detectPlatform(host: string): Platform {
	return /fninvocations|functions/i.test(host) ? 'v2' : 'v1';
}

/** LivePerson wants headers as [{key, value}] and hands them to the function as input.headers. */
export interface InvocationHeader {
	key: string;
	value: string;
}

/** Where a gateway call goes and how it identifies itself. */
export interface GatewayTarget {
	accountId: string;
	gatewayHost: string;
	platform: Platform;
	timeoutMs?: number;
	requestId: string;
	userId?: string;
	skillId?: string;
}

/** What every invocation sends, by function id or by event. */
export interface Invocation extends GatewayTarget {
	/** The payload, serialised (see `payloadJson`). */
	payloadJson: string;
	headers: InvocationHeader[];
	/** Epoch ms; the platform hands it to the function as `input.timestamp`. */
	timestamp: number;
}

/** Who calls, on V2 (`LP-EventSource`); LivePerson publishes no list of values, so we name ourselves. */
export const EVENT_SOURCE = 'n8n';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A function is identified by its UUID (LivePerson's "lambda UUID"). */
export function isFunctionId(value: string): boolean {
	return UUID.test(value);
}

/** Query and headers of every gateway call: V1 takes `v=1` (and userId), V2 the LP-EventSource header. */
function gatewayCallParts(target: GatewayTarget): {
	query: Record<string, string>;
	headers: Record<string, string>;
} {
	const query: Record<string, string> = {};
	const headers: Record<string, string> = {
		Accept: 'application/json',
		'X-Request-ID': target.requestId,
	};
	if (target.platform === 'v1') {
		query.v = '1';
		if (target.userId) query.userId = target.userId;
	} else {
		headers['LP-EventSource'] = EVENT_SOURCE;
	}
	if (target.skillId) query.skillId = target.skillId;
	return { query, headers };
}

function gatewayUrl(target: GatewayTarget, path: string): string {
	return `${httpsBase(target.gatewayHost)}/api/account/${pathSegment(target.accountId, 'account ID', 'invoke')}/${path}`;
}

/** GET `path` on the gateway (a question such as "is this event implemented"). */
export function buildGatewayQuestion(target: GatewayTarget, path: string): HttpRequest {
	const { query, headers } = gatewayCallParts(target);
	return {
		method: 'GET',
		url: gatewayUrl(target, path),
		query,
		headers,
		timeoutMs: target.timeoutMs,
	};
}

/** The documented body `{timestamp, headers, payload}`, around an already serialised payload. */
export function invocationBody(
	timestamp: number,
	headers: InvocationHeader[],
	payload: string,
): string {
	return `{"timestamp":${JSON.stringify(timestamp)},"headers":${JSON.stringify(headers)},"payload":${payload}}`;
}

/** POST `path` on the gateway with the documented body `{timestamp, headers, payload}`. */
export function buildInvocationRequest(invocation: Invocation, path: string): HttpRequest {
	const { query, headers } = gatewayCallParts(invocation);
	return {
		method: 'POST',
		url: gatewayUrl(invocation, path),
		query,
		headers: { ...headers, 'Content-Type': 'application/json' },
		body: invocationBody(invocation.timestamp, invocation.headers, invocation.payloadJson),
		timeoutMs: invocation.timeoutMs,
	};
}

/** A payload as the body carries it; no payload is `{}`. */
export function payloadJson(payload: unknown): string {
	return JSON.stringify(payload === undefined ? {} : payload);
}

export const functionInvokePath = (functionId: string) =>
	`lambdas/${pathSegment(functionId, 'function ID', 'invoke')}/invoke`;

export type InvokeResult = { empty: true } | { empty: false; value: unknown };

/**
 * A 2xx answer is the function's result: any JSON value, or nothing. A 2xx that is not JSON is
 * reported as a bad answer, but marked as having run: the function did run, and must not run again.
 */
export function readInvokeResponse(response: HttpResponse): InvokeResult {
	if (!isSuccess(response)) throw classifyFaasError(response, 'invoke');
	const parsed = parseJsonBody(response.body);
	if (parsed.kind === 'empty') return { empty: true };
	if (parsed.kind === 'json') return { empty: false, value: parsed.value };
	throw unreadableAnswer(response, 'invoke', 'LivePerson answered with a body that is not JSON');
}

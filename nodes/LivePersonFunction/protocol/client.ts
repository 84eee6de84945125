import type { BatchElement } from './batch';
import { batchHeaders, batchPayloadJson, readBatchAnswer } from './batch';
import type { LivePersonStep } from './errors';
import { eventPath, readEventInvokeResponse, readIsImplemented } from './events';
import type { HttpClient, HttpRequest, HttpResponse } from './http';
import type { LivePersonHosts, LivePersonService } from './hosts';
import { missingHostError } from './hosts';
import type { InvocationHeader, InvokeResult, Platform } from './invoke';
import {
	buildGatewayQuestion,
	buildInvocationRequest,
	detectPlatform,
	functionInvokePath,
	payloadJson,
	readInvokeResponse,
} from './invoke';
import type { FunctionSummary } from './listing';
import { buildListFunctionsRequest, readFunctionList } from './listing';
import { send } from './send';
import type { RetryEnvironment, RetryPolicy } from './retry';
import { AttemptsError, DEFAULT_RETRY_POLICY, withRetries } from './retry';

export interface ClientEnvironment extends RetryEnvironment {
	newRequestId: () => string;
}

export interface LivePersonClientConfig {
	accountId: string;
	hosts: LivePersonHosts;
	/** Authenticated: sends the access token and renews it the way the credential does. */
	http: HttpClient;
	/** The invoking user, for credentials that act on behalf of one (OAuth2). */
	userId?: string;
	environment: ClientEnvironment;
}

/** The user's choices for one call; anything left out takes the safe default. */
export interface CallSettings {
	platform?: 'auto' | Platform;
	timeoutMs?: number;
	/** Retry throttled, unavailable and never-sent calls (default on). */
	retry?: boolean;
	/** Also retry calls that may already have run the function (default off). */
	retryWhenMayHaveRun?: boolean;
	maxAttempts?: number;
	/** The most an answer may weigh, in bytes (default: ANSWER_LIMITS in http.ts). */
	maxAnswerBytes?: number;
}

/** What a call sends besides the payload. */
export interface InvocationEnvelope {
	headers: InvocationHeader[];
	userId?: string;
	skillId?: string;
}

export interface InvocationContent extends InvocationEnvelope {
	payload: unknown;
}

/** A batch: the items' payloads, each already serialised, sent in one call (see batch.ts). */
export interface BatchContent extends InvocationEnvelope {
	payloadsJson: string[];
}

/** What a call returns: the value read from the answer, and how the call went. */
export interface CallResult<T> {
	value: T;
	status: number;
	attempts: number;
	requestId: string;
	platform: Platform;
	durationMs: number;
}

/** A call that failed after `attempts` attempts; `reason` says why (a LivePersonError unless something unexpected broke). */
export class LivePersonCallError extends Error {
	readonly reason: unknown;
	readonly attempts: number;
	readonly requestId: string;
	readonly functionId?: string;

	constructor(reason: unknown, call: { attempts: number; requestId: string; functionId?: string }) {
		super(reason instanceof Error ? reason.message : String(reason));
		this.name = 'LivePersonCallError';
		this.reason = reason;
		this.attempts = call.attempts;
		this.requestId = call.requestId;
		this.functionId = call.functionId;
	}
}

function retryPolicy(settings: CallSettings): RetryPolicy {
	if (settings.retry === false) return { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 };
	return {
		...DEFAULT_RETRY_POLICY,
		maxAttempts: settings.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
		retryWhenMayHaveRun: settings.retryWhenMayHaveRun === true,
	};
}

/** Asking is safe to repeat whatever went wrong: nothing runs. */
const QUESTION: CallSettings = { retryWhenMayHaveRun: true };

const TARGETS: Record<'faasGW' | 'faasUI', string> = {
	faasGW: 'the LivePerson Functions gateway',
	faasUI: 'the LivePerson Functions UI',
};

/**
 * The one door for LivePerson Functions calls: it alone knows the hosts, picks the platform, labels
 * the step, applies the retry policy and classifies failures. Results are typed; failures are
 * LivePersonCallError with the request id and the attempts made.
 */
export class LivePersonClient {
	constructor(private readonly config: LivePersonClientConfig) {}

	/** Whether the account has a Functions UI host, which listing needs. */
	canListFunctions(): boolean {
		return this.config.hosts.faasUI !== undefined;
	}

	async invokeFunction(
		functionId: string,
		content: InvocationContent,
		settings: CallSettings,
	): Promise<CallResult<InvokeResult>> {
		return await this.invoke(
			functionInvokePath(functionId),
			content,
			payloadJson(content.payload),
			settings,
			readInvokeResponse,
			functionId,
		);
	}

	/**
	 * Invokes a batch-aware function once for several items: one result or failure per item, in
	 * order. Retries, time limits and "may have run" apply to the call as a whole.
	 */
	async invokeFunctionBatch(
		functionId: string,
		content: BatchContent,
		settings: CallSettings,
	): Promise<CallResult<BatchElement[]>> {
		const count = content.payloadsJson.length;
		return await this.invoke(
			functionInvokePath(functionId),
			{ ...content, headers: batchHeaders(content.headers) },
			batchPayloadJson(content.payloadsJson),
			settings,
			(response) => readBatchAnswer(readInvokeResponse(response), count),
			functionId,
		);
	}

	/** Runs every function bound to the event; one result per function that ran. */
	async invokeEvent(
		eventId: string,
		content: InvocationContent,
		settings: CallSettings,
	): Promise<CallResult<unknown[]>> {
		return await this.invoke(
			eventPath(eventId, 'invoke'),
			content,
			payloadJson(content.payload),
			settings,
			readEventInvokeResponse,
		);
	}

	async isEventImplemented(
		eventId: string,
		query: { skillId?: string; platform?: 'auto' | Platform },
	): Promise<CallResult<boolean>> {
		const settings = { ...QUESTION, platform: query.platform };
		return await this.call('faasGW', 'invoke', settings, readIsImplemented, undefined, (target) =>
			buildGatewayQuestion(
				{ ...target, gatewayHost: target.host, skillId: query.skillId },
				eventPath(eventId, 'isImplemented'),
			),
		);
	}

	/**
	 * The account's functions, filtered by state and by a part of the name (on both platforms). The
	 * listing path follows the Functions UI host, not the gateway's (see detectPlatform).
	 */
	async listFunctions(
		filter: { states?: string[]; nameContains?: string },
		settings: CallSettings = QUESTION,
	): Promise<CallResult<FunctionSummary[]>> {
		const nameContains = filter.nameContains?.trim() ?? '';
		const read = (response: HttpResponse) => readFunctionList(response, nameContains);
		return await this.call('faasUI', 'listing', settings, read, undefined, (target) =>
			buildListFunctionsRequest({
				accountId: target.accountId,
				uiHost: target.host,
				platform: target.platform,
				states: filter.states,
				nameContains: nameContains || undefined,
				userId: this.config.userId,
				timeoutMs: target.timeoutMs,
			}),
		);
	}

	private async invoke<T>(
		path: string,
		content: InvocationEnvelope,
		payload: string,
		settings: CallSettings,
		read: (response: HttpResponse) => T,
		functionId?: string,
	): Promise<CallResult<T>> {
		const timestamp = this.config.environment.now();
		return await this.call('faasGW', 'invoke', settings, read, functionId, (target) =>
			buildInvocationRequest(
				{
					...target,
					gatewayHost: target.host,
					payloadJson: payload,
					headers: content.headers,
					timestamp,
					userId: content.userId || this.config.userId || undefined,
					skillId: content.skillId || undefined,
				},
				path,
			),
		);
	}

	/**
	 * One call to a service: the request is built once for its host and platform, sent under the
	 * retry policy, and its answer read by `read` (which throws for answers that are failures).
	 */
	private async call<T>(
		service: 'faasGW' | 'faasUI',
		step: LivePersonStep,
		settings: CallSettings,
		read: (response: HttpResponse) => T,
		functionId: string | undefined,
		build: (target: CallTarget) => HttpRequest,
	): Promise<CallResult<T>> {
		const { environment } = this.config;
		const started = environment.now();
		const requestId = environment.newRequestId();
		const host = this.requireHost(service);
		// Each service's platform follows its own host, as LivePerson's client picks it.
		const platform =
			!settings.platform || settings.platform === 'auto' ? detectPlatform(host) : settings.platform;
		// send() applies the default and the bounds: one rule for every request.
		const timeoutMs = settings.timeoutMs;
		const request: HttpRequest = {
			...build({ accountId: this.config.accountId, host, platform, requestId, timeoutMs }),
			maxBytes: settings.maxAnswerBytes,
			signal: environment.cancelSignal,
		};
		const target = `${TARGETS[service]} at ${host}`;
		const sent = await withRetries(
			async () => {
				const response = await send(this.config.http, request, step, target);
				return { status: response.status, value: read(response) };
			},
			retryPolicy(settings),
			environment,
		).catch((error: unknown) => {
			const failed = error instanceof AttemptsError ? error : new AttemptsError(error, 1);
			throw new LivePersonCallError(failed.error, {
				attempts: failed.attempts,
				requestId,
				functionId,
			});
		});
		return {
			...sent.value,
			attempts: sent.attempts,
			requestId,
			platform,
			durationMs: environment.now() - started,
		};
	}

	private requireHost(service: LivePersonService): string {
		const host = this.config.hosts[service];
		if (!host) throw missingHostError(service);
		return host;
	}
}

interface CallTarget {
	accountId: string;
	/** The host of the service called. */
	host: string;
	platform: Platform;
	requestId: string;
	timeoutMs?: number;
}

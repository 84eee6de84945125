import { randomUUID } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ClientEnvironment } from '../protocol/client';
import { LivePersonClient } from '../protocol/client';
import type { HttpClient } from '../protocol/http';
import { untilAborted } from '../protocol/http';
import { readJwtClaims } from '../protocol/token';
import { isAccessTokenExpiring, oauth2Hosts, resolveHosts } from './auth';
import { rememberOpenedHosts, settingsOf } from './credentialMemo';
import { readTokenInfo } from './credentialSettings';
import { n8nHttpClient } from './httpClient';

export const CREDENTIAL_TYPE = 'livePersonFunctionsApi';
export const USER_CREDENTIAL_TYPE = 'livePersonFunctionsOAuth2Api';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

function authenticationOf(context: Context): 'clientCredentials' | 'oAuth2' {
	const value =
		'getCurrentNodeParameter' in context
			? context.getCurrentNodeParameter('authentication')
			: context.getNodeParameter('authentication', 0, 'clientCredentials');
	return value === 'oAuth2' ? 'oAuth2' : 'clientCredentials';
}

/** Discovery needs no authentication; kept apart from the credential read on purpose. */
function unauthenticatedHttp(context: Context): HttpClient {
	return n8nHttpClient(async (options) => await context.helpers.httpRequest(options));
}

/**
 * Waits `ms`, or until the execution is cancelled: a retry wait never holds a cancelled execution.
 * Raced here as well because older n8n-workflow versions' `sleep` takes no signal.
 */
async function sleepUnlessCancelled(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (!signal) return await sleep(ms);
	await untilAborted(
		sleep(ms, signal).catch(() => undefined),
		signal,
		() => undefined,
	);
}

/** Waits and cancellation the n8n way; a fresh request id per call. */
function environmentOf(context: Context): ClientEnvironment {
	const cancelSignal =
		'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal?.() : undefined;
	return {
		sleep: async (ms) => await sleepUnlessCancelled(ms, cancelSignal),
		now: Date.now,
		random: Math.random,
		cancelSignal,
		newRequestId: randomUUID,
	};
}

/**
 * Client credentials: the credential is read, decrypted and parsed once, the hosts found (no network
 * when stored or configured), and the same credential object goes with every request so that
 * concurrent 401s share one renewal and nothing about it is worked out again per request.
 */
async function openClientCredentialsClient(context: Context): Promise<LivePersonClient> {
	const data: ICredentialDataDecryptedObject = {
		...(await context.getCredentials(CREDENTIAL_TYPE)),
	};
	const settings = settingsOf(data);
	// A token issued for other settings (the user changed the client, secret, account or hosts),
	// or close to expiry on Sentinel's clock, is not used: the first request gets a new one.
	if (typeof data.accessToken === 'string' && data.accessToken !== '') {
		const info = readTokenInfo(data.accessTokenInfo, settings);
		if (!info || isAccessTokenExpiring(data.accessToken, info, Date.now())) data.accessToken = '';
	}
	// Stored hosts are used whatever their age here; preAuthentication refreshes them on renewal.
	const { hosts, domains } = await resolveHosts(
		unauthenticatedHttp(context),
		settings,
		data.domains,
		Date.now(),
		Number.POSITIVE_INFINITY,
	);
	data.domains = domains;
	rememberOpenedHosts(data, hosts);
	const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
	const credentialsDecrypted = {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: CREDENTIAL_TYPE,
		data,
	};
	const http = n8nHttpClient(
		async (options) =>
			await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options, {
				credentialsDecrypted,
			}),
		{ renewsToken: true },
	);
	return new LivePersonClient({
		accountId: settings.accountId,
		hosts,
		http,
		environment: environmentOf(context),
	});
}

/** OAuth2 (a user): n8n keeps, refreshes and locks the token; we find the gateway and the user. */
async function openOAuth2Client(context: Context): Promise<LivePersonClient> {
	const data = await context.getCredentials(USER_CREDENTIAL_TYPE);
	const hosts = await oauth2Hosts(unauthenticatedHttp(context), data);
	const token = (data.oauthTokenData as { access_token?: unknown } | undefined)?.access_token;
	const claims = typeof token === 'string' ? readJwtClaims(token) : undefined;
	const fromToken = claims?.userId ?? claims?.sub;
	const userId =
		(typeof data.userId === 'string' && data.userId.trim()) ||
		(typeof fromToken === 'string' ? fromToken : undefined);
	const http = n8nHttpClient(
		async (options) =>
			await context.helpers.httpRequestWithAuthentication.call(
				context,
				USER_CREDENTIAL_TYPE,
				options,
			),
		{ renewsToken: true },
	);
	return new LivePersonClient({
		accountId: String(data.accountId).trim(),
		hosts,
		http,
		userId,
		environment: environmentOf(context),
	});
}

/** One per execution (or per picker search), for the credential the node's Authentication picks. */
export async function openLivePersonClient(context: Context): Promise<LivePersonClient> {
	return authenticationOf(context) === 'oAuth2'
		? await openOAuth2Client(context)
		: await openClientCredentialsClient(context);
}

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_DOMAIN_API_URL, discoverDomains } from '../protocol/discovery';
import { LivePersonError } from '../protocol/errors';
import type { HttpClient } from '../protocol/http';
import type { LivePersonHosts } from '../protocol/hosts';
import { missingHostError, normalizeHost } from '../protocol/hosts';
import { isTokenExpiring, requestClientCredentialsToken } from '../protocol/token';
import type { CredentialSettings, StoredDomains, TokenInfo } from './credentialSettings';
import {
	checkCredentialSettings,
	configuredHosts,
	discoveryKey,
	isAccountId,
	readStoredDomains,
	readTokenInfo,
} from './credentialSettings';
import { settingsOf } from './credentialMemo';
import { SingleFlight } from './singleFlight';

/** LivePerson's own client keeps discovered hosts for 600 s; a token renewal after that asks again. */
export const DOMAINS_MAX_AGE_MS = 600_000;

/** A token this close to its `exp` is renewed before use instead of after a 401. */
export const EXPIRY_MARGIN_MS = 60_000;

/**
 * Concurrent invocations that hit 401 each make n8n call preAuthentication. They share one
 * credential object per execution (the node passes it to n8n), so renewals are joined by that
 * object: one token request, and a late 401 from before the renewal reuses the fresh token. A
 * failed renewal is the answer for the rest of the execution's items too: the credential's own
 * steps are not retried per item (a Sentinel that hangs would otherwise cost 15 s per item).
 * Keyed weakly by the execution's own object, so nothing outlives the execution.
 */
const RENEWAL_REUSE_MS = 30_000;
const renewalsPerExecution = new SingleFlight<object, PreAuthOutput>(
	new WeakMap(),
	100,
	120_000,
	RENEWAL_REUSE_MS,
);

/**
 * Executions running side by side in one n8n process (a worker runs many) each load the
 * credential before any of them has stored a token. Keyed by the credential's settings, they
 * share one discovery and one token request. A token this process got is handed to an execution
 * only when it is known to be newer than the one the execution holds: the execution holds none,
 * or holds one this process has since replaced. A token from elsewhere (another worker stored it)
 * that got a 401 is renewed, never answered with an older token that may be revoked too. Other
 * processes share through the token n8n stores in the credential.
 */
interface SharedAccess {
	output: PreAuthOutput;
	/** Tokens this process has replaced (the latest few), all older than `output`'s. */
	superseded: string[];
}
const SUPERSEDED_KEPT = 20;
const accessPerCredential = new SingleFlight<string, SharedAccess>(new Map());
const discoveriesPerAccount = new SingleFlight<string, StoredDomains>(new Map());

export interface PreAuthOutput {
	accessToken: string;
	domains: string;
	accessTokenInfo: string;
	[key: string]: string;
}

/** Whether a token is too close to its expiry, judged on Sentinel's clock (the local clock may be off). */
export function isAccessTokenExpiring(
	token: string,
	info: TokenInfo | undefined,
	now: number,
): boolean {
	return isTokenExpiring(token, now - (info?.skewMs ?? 0), EXPIRY_MARGIN_MS);
}

/**
 * The account's hosts through the Domain API: once per process for concurrent callers, shared for
 * DOMAINS_MAX_AGE_MS whatever age the caller accepts for hosts a credential stored (a credential
 * without stored hosts must never get an answer older than that).
 */
async function discover(
	http: HttpClient,
	account: { accountId: string; domainApiUrl: string },
	now: number,
): Promise<StoredDomains> {
	const key = discoveryKey(account.accountId, account.domainApiUrl);
	return await discoveriesPerAccount.run(
		key,
		now,
		(value) => now - value.discoveredAt < DOMAINS_MAX_AGE_MS,
		async () => ({ key, discoveredAt: now, hosts: await discoverDomains(http, account) }),
	);
}

/**
 * The account's hosts: configured in the credential, else `stored` (found for these same settings)
 * and younger than `maxAgeMs`, else discovered through the Domain API now.
 */
export async function resolveHosts(
	http: HttpClient,
	settings: CredentialSettings,
	stored: unknown,
	now: number,
	maxAgeMs: number,
): Promise<{ hosts: LivePersonHosts; domains: string }> {
	checkCredentialSettings(settings);
	const key = settings.hostsKey;
	const configured = configuredHosts(settings);
	if (configured) {
		return {
			hosts: configured,
			domains: JSON.stringify({ key, discoveredAt: now, hosts: configured }),
		};
	}
	const storedDomains = readStoredDomains(stored, settings);
	if (storedDomains && now - storedDomains.discoveredAt < maxAgeMs) {
		return { hosts: storedDomains.hosts, domains: stored as string };
	}
	const discovered = await discover(http, settings, now);
	// Discovered under the same key as these settings' hosts key (discover mode).
	return { hosts: discovered.hosts, domains: JSON.stringify(discovered) };
}

async function fetchAccess(
	http: HttpClient,
	settings: CredentialSettings,
	stored: unknown,
	now: number,
): Promise<PreAuthOutput> {
	const { hosts, domains } = await resolveHosts(http, settings, stored, now, DOMAINS_MAX_AGE_MS);
	if (!hosts.faasGW) throw missingHostError('faasGW');
	const token = await requestClientCredentialsToken(http, {
		hosts,
		accountId: settings.accountId,
		clientId: settings.clientId,
		clientSecret: settings.clientSecret,
	});
	const info: TokenInfo = {
		key: settings.tokenKey,
		skewMs: token.issuedAt === undefined ? 0 : now - token.issuedAt,
	};
	return { accessToken: token.accessToken, domains, accessTokenInfo: JSON.stringify(info) };
}

async function sharedAccess(
	http: HttpClient,
	data: ICredentialDataDecryptedObject,
	now: number,
): Promise<PreAuthOutput> {
	const settings = settingsOf(data);
	const key = settings.tokenKey;
	const held = typeof data.accessToken === 'string' ? data.accessToken : '';
	const previous = accessPerCredential.settled(key);
	const shared = await accessPerCredential.run(
		key,
		now,
		({ output, superseded }) =>
			(held === '' || superseded.includes(held)) &&
			!isAccessTokenExpiring(
				output.accessToken,
				readTokenInfo(output.accessTokenInfo, settings),
				now,
			),
		async () => {
			const output = await fetchAccess(http, settings, data.domains, now);
			const replaced = [
				...(previous?.superseded ?? []),
				previous?.output.accessToken ?? '',
				held,
			].filter((token) => token !== '');
			return { output, superseded: [...new Set(replaced)].slice(-SUPERSEDED_KEPT) };
		},
	);
	return shared.output;
}

/** The credential's preAuthentication: hosts (discovered or configured) and a fresh access token. */
export async function preAuthenticate(
	http: HttpClient,
	data: ICredentialDataDecryptedObject,
	now: number = Date.now(),
): Promise<PreAuthOutput> {
	return await renewalsPerExecution.run(
		data,
		now,
		(done, at) => now - at < RENEWAL_REUSE_MS && data.accessToken === done.accessToken,
		async () => await sharedAccess(http, data, now),
	);
}

/**
 * The OAuth2 (user) credential's hosts: the gateway (and UI) entered by hand, or discovered through
 * the Domain API, which needs no login. Its Sentinel is in its own authorize and token URLs.
 */
export async function oauth2Hosts(
	http: HttpClient,
	data: ICredentialDataDecryptedObject,
	now: number = Date.now(),
): Promise<LivePersonHosts> {
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	const accountId = text(data.accountId);
	if (!accountId || !isAccountId(accountId)) {
		throw new LivePersonError(
			accountId
				? 'The Account ID of the credential is not an account ID'
				: 'The credential is missing: Account ID',
			{
				kind: 'configuration',
				step: 'discovery',
				description:
					'Enter the account (site) ID shown in Conversational Cloud in the LivePerson Functions OAuth2 API credential, for example 12345678.',
			},
		);
	}
	if (text(data.gatewayHost)) {
		const hosts: LivePersonHosts = {
			faasGW: normalizeHost(text(data.gatewayHost), 'gateway (entered in the credential)'),
		};
		if (text(data.uiHost)) {
			hosts.faasUI = normalizeHost(text(data.uiHost), 'Functions UI (entered in the credential)');
		}
		return hosts;
	}
	const domainApiUrl = text(data.domainApiUrl) || DEFAULT_DOMAIN_API_URL;
	return (await discover(http, { accountId, domainApiUrl }, now)).hosts;
}

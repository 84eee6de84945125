import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_DOMAIN_API_URL, discoverDomains, requireHost } from '../protocol/discovery';
import { LivePersonError } from '../protocol/errors';
import type { HttpClient } from '../protocol/http';
import type { LivePersonHosts } from '../protocol/hosts';
import { assertBareHost } from '../protocol/hosts';
import { requestClientCredentialsToken } from '../protocol/token';
import type { CredentialSettings, StoredDomains } from './credentialSettings';
import { configuredHosts, domainsKey, readCredentialSettings, readStoredDomains } from './credentialSettings';

/** LivePerson's own client keeps discovered hosts for 600 s; a token renewal after that asks again. */
export const DOMAINS_MAX_AGE_MS = 600_000;

/**
 * Concurrent invocations that hit 401 each make n8n call preAuthentication. They share one
 * credential object per execution (the node passes it to n8n), so renewals are joined by that
 * object: one token request, and a late 401 from before the renewal reuses the fresh token.
 * Keyed weakly by the execution's own object, so nothing outlives the execution.
 */
const renewals = new WeakMap<object, { pending?: Promise<PreAuthOutput>; done?: PreAuthOutput; at: number }>();
const RENEWAL_REUSE_MS = 30_000;

export interface PreAuthOutput {
	accessToken: string;
	domains: string;
	[key: string]: string;
}

function requireSettings(settings: CredentialSettings): void {
	const missing = (['accountId', 'clientId', 'clientSecret'] as const).filter((field) => !settings[field]);
	if (missing.length) {
		const names = { accountId: 'Account ID', clientId: 'Client ID', clientSecret: 'Client Secret' };
		throw new LivePersonError(`The credential is missing: ${missing.map((field) => names[field]).join(', ')}`, {
			kind: 'configuration',
			step: 'discovery',
			description: 'Fill in every field of the LivePerson Functions API credential.',
		});
	}
}

export function storeDomains(settings: CredentialSettings, hosts: LivePersonHosts, now: number): string {
	const stored: StoredDomains = { key: domainsKey(settings), discoveredAt: now, hosts };
	return JSON.stringify(stored);
}

/**
 * The account's hosts: configured in the credential, else stored and younger than `maxAgeMs`,
 * else discovered through the Domain API now.
 */
export async function resolveHosts(
	http: HttpClient,
	data: ICredentialDataDecryptedObject,
	now: number,
	maxAgeMs: number,
): Promise<{ hosts: LivePersonHosts; domains: string }> {
	const settings = readCredentialSettings(data);
	requireSettings(settings);
	const configured = configuredHosts(settings);
	if (configured) return { hosts: configured, domains: storeDomains(settings, configured, now) };
	const stored = readStoredDomains(data, settings);
	if (stored && now - stored.discoveredAt < maxAgeMs) {
		return { hosts: stored.hosts, domains: data.domains as string };
	}
	const hosts = await discoverDomains(http, { domainApiUrl: settings.domainApiUrl, accountId: settings.accountId });
	return { hosts, domains: storeDomains(settings, hosts, now) };
}

async function fetchAccess(http: HttpClient, data: ICredentialDataDecryptedObject, now: number): Promise<PreAuthOutput> {
	const settings = readCredentialSettings(data);
	const { hosts, domains } = await resolveHosts(http, data, now, DOMAINS_MAX_AGE_MS);
	requireHost(hosts, 'faasGW');
	const token = await requestClientCredentialsToken(http, {
		sentinelHost: requireHost(hosts, 'sentinel'),
		accountId: settings.accountId,
		clientId: settings.clientId,
		clientSecret: settings.clientSecret,
	});
	return { accessToken: token.accessToken, domains };
}

/** The credential's preAuthentication: hosts (discovered or configured) and a fresh access token. */
export async function preAuthenticate(
	http: HttpClient,
	data: ICredentialDataDecryptedObject,
	now: number = Date.now(),
): Promise<PreAuthOutput> {
	const previous = renewals.get(data);
	if (previous?.pending) return await previous.pending;
	if (previous?.done && now - previous.at < RENEWAL_REUSE_MS && data.accessToken === previous.done.accessToken) {
		return previous.done;
	}
	const pending = fetchAccess(http, data, now);
	renewals.set(data, { pending, at: now });
	try {
		const done = await pending;
		renewals.set(data, { done, at: now });
		return done;
	} finally {
		// A failed renewal is forgotten, so the next 401 tries again.
		if (renewals.get(data)?.pending === pending) renewals.delete(data);
	}
}

/**
 * The OAuth2 (user) credential's hosts: the gateway (and UI) entered by hand, or discovered through
 * the Domain API, which needs no login. Its Sentinel is in its own authorize and token URLs.
 */
export async function oauth2Hosts(http: HttpClient, data: ICredentialDataDecryptedObject): Promise<LivePersonHosts> {
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	const accountId = text(data.accountId);
	if (!accountId) {
		throw new LivePersonError('The credential is missing: Account ID', {
			kind: 'configuration',
			step: 'discovery',
			description: 'Fill in the Account ID of the LivePerson Functions OAuth2 API credential.',
		});
	}
	if (text(data.gatewayHost)) {
		const hosts: LivePersonHosts = { faasGW: assertBareHost(text(data.gatewayHost), 'gateway (entered in the credential)') };
		if (text(data.uiHost)) hosts.faasUI = assertBareHost(text(data.uiHost), 'Functions UI (entered in the credential)');
		return hosts;
	}
	return await discoverDomains(http, { domainApiUrl: text(data.domainApiUrl) || DEFAULT_DOMAIN_API_URL, accountId });
}

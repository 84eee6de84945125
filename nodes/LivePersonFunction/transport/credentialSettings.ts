import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_DOMAIN_API_URL, normalizeDomainApiUrl } from '../protocol/discovery';
import { LivePersonError } from '../protocol/errors';
import type { LivePersonHosts, Region } from '../protocol/hosts';
import { normalizeHost, regionHosts, REGIONS } from '../protocol/hosts';

export type HostMode = 'discover' | 'region' | 'manual';

/** The client-credentials credential's fields, read and trimmed. */
export interface CredentialSettings {
	accountId: string;
	clientId: string;
	clientSecret: string;
	hostMode: HostMode;
	domainApiUrl: string;
	region: Region;
	manualHosts: LivePersonHosts;
	/** Changes when anything that decides the hosts changes; stored hosts carry it. */
	hostsKey: string;
	/** Changes when anything that decides the token changes (hosts, client, secret); a stored token carries it. */
	tokenKey: string;
}

/** What preAuthentication stores next to the token: the hosts and the settings they were found for. */
export interface StoredDomains {
	key: string;
	discoveredAt: number;
	hosts: LivePersonHosts;
}

/** What preAuthentication stores about the token: the settings it was issued for, and the clock skew seen then. */
export interface TokenInfo {
	key: string;
	/** Local clock minus Sentinel's at issue (from `iat`): expiry is judged on Sentinel's clock. */
	skewMs: number;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Hashed: what is kept in memory or stored as a key never holds the client secret itself. */
const fingerprint = (parts: unknown[]) =>
	createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

/** Hosts discovered for one account through one Domain API, whichever credential asked. */
export const discoveryKey = (accountId: string, domainApiUrl: string) =>
	fingerprint([accountId, 'discover', comparableUrl(domainApiUrl)]);

/** The URL as it will be used, so that two spellings of one Domain API share their hosts; as typed if invalid. */
function comparableUrl(domainApiUrl: string): string {
	try {
		return normalizeDomainApiUrl(domainApiUrl);
	} catch {
		return domainApiUrl;
	}
}

export function readCredentialSettings(data: ICredentialDataDecryptedObject): CredentialSettings {
	const hostMode =
		(['discover', 'region', 'manual'] as const).find((mode) => mode === data.hostMode) ??
		'discover';
	const region = (Object.keys(REGIONS) as Region[]).find((r) => r === data.region) ?? 'va';
	const manualHosts: LivePersonHosts = {};
	if (text(data.sentinelHost)) manualHosts.sentinel = text(data.sentinelHost);
	if (text(data.gatewayHost)) manualHosts.faasGW = text(data.gatewayHost);
	if (text(data.uiHost)) manualHosts.faasUI = text(data.uiHost);
	const accountId = text(data.accountId);
	const clientId = text(data.clientId);
	const clientSecret = typeof data.clientSecret === 'string' ? data.clientSecret : '';
	const domainApiUrl = text(data.domainApiUrl) || DEFAULT_DOMAIN_API_URL;
	const hostsKey =
		hostMode === 'discover'
			? discoveryKey(accountId, domainApiUrl)
			: fingerprint([accountId, hostMode, hostMode === 'region' ? region : manualHosts]);
	return {
		accountId,
		clientId,
		clientSecret,
		hostMode,
		domainApiUrl,
		region,
		manualHosts,
		hostsKey,
		tokenKey: fingerprint([hostsKey, clientId, clientSecret]),
	};
}

function incomplete(message: string, description: string): LivePersonError {
	return new LivePersonError(message, { kind: 'configuration', step: 'discovery', description });
}

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const isAccountId = (value: string) => ACCOUNT_ID.test(value);

/**
 * The settings checked once, before anything is sent: every field filled in, an account ID that is
 * one plain word, an https Domain API URL (discover mode) and bare hosts (manual mode).
 */
export function checkCredentialSettings(settings: CredentialSettings): void {
	const names = { accountId: 'Account ID', clientId: 'Client ID', clientSecret: 'Client Secret' };
	const missing = (Object.keys(names) as Array<keyof typeof names>).filter(
		(field) => !settings[field],
	);
	if (missing.length) {
		throw incomplete(
			`The credential is missing: ${missing.map((field) => names[field]).join(', ')}`,
			'Fill in every field of the LivePerson Functions API credential.',
		);
	}
	if (!ACCOUNT_ID.test(settings.accountId)) {
		throw incomplete(
			'The Account ID of the credential is not an account ID',
			'Enter the account (site) ID shown in Conversational Cloud, for example 12345678: letters, digits, - and _ only.',
		);
	}
	if (settings.hostMode === 'discover') normalizeDomainApiUrl(settings.domainApiUrl);
	if (settings.hostMode === 'manual') {
		const missingHosts = [
			settings.manualHosts.sentinel ? '' : 'Sentinel Host',
			settings.manualHosts.faasGW ? '' : 'Functions Gateway Host',
		].filter((field) => field !== '');
		if (missingHosts.length) {
			throw incomplete(
				`The credential is missing: ${missingHosts.join(', ')}`,
				'With "Enter Hosts by Hand", enter both the Sentinel host and the Functions gateway host.',
			);
		}
		configuredHosts(settings);
	}
}

/** Hosts known without asking the Domain API (region or manual mode), normalized; undefined in discover mode. */
export function configuredHosts(settings: CredentialSettings): LivePersonHosts | undefined {
	if (settings.hostMode === 'region') return regionHosts(settings.region);
	if (settings.hostMode !== 'manual') return undefined;
	const hosts: LivePersonHosts = {};
	for (const [service, host] of Object.entries(settings.manualHosts)) {
		hosts[service as keyof LivePersonHosts] = normalizeHost(
			host,
			`${service} (entered in the credential)`,
		);
	}
	return hosts;
}

function parseStored(stored: unknown): Record<string, unknown> | undefined {
	if (typeof stored !== 'string' || stored === '') return undefined;
	try {
		const value = JSON.parse(stored) as unknown;
		return typeof value === 'object' && value !== null
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/** The hosts stored with the token, if they were found for these settings and still look like hosts. */
export function readStoredDomains(
	stored: unknown,
	settings: CredentialSettings,
): StoredDomains | undefined {
	const domains = parseStored(stored);
	if (!domains || domains.key !== settings.hostsKey || typeof domains.discoveredAt !== 'number') {
		return undefined;
	}
	try {
		// Re-validated: the stored value is only as trustworthy as the credential database.
		const hosts: LivePersonHosts = {};
		for (const [service, host] of Object.entries(domains.hosts ?? {})) {
			if (service === 'sentinel' || service === 'faasGW' || service === 'faasUI') {
				hosts[service] = normalizeHost(host, 'stored');
			}
		}
		return { key: settings.hostsKey, discoveredAt: domains.discoveredAt, hosts };
	} catch {
		return undefined;
	}
}

/** What is stored about the token, if it was issued for these settings. */
export function readTokenInfo(
	stored: unknown,
	settings: CredentialSettings,
): TokenInfo | undefined {
	const info = parseStored(stored);
	if (!info || info.key !== settings.tokenKey) return undefined;
	const skewMs = Number(info.skewMs);
	return { key: settings.tokenKey, skewMs: Number.isFinite(skewMs) ? skewMs : 0 };
}

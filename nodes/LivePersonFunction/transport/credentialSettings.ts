import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_DOMAIN_API_URL } from '../protocol/discovery';
import type { LivePersonHosts, Region } from '../protocol/hosts';
import { assertBareHost, regionHosts, REGIONS } from '../protocol/hosts';

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
}

/** What preAuthentication stores next to the token: the hosts and for which account/Domain API. */
export interface StoredDomains {
	key: string;
	discoveredAt: number;
	hosts: LivePersonHosts;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function readCredentialSettings(data: ICredentialDataDecryptedObject): CredentialSettings {
	const hostMode =
		(['discover', 'region', 'manual'] as const).find((mode) => mode === data.hostMode) ??
		'discover';
	const region = (Object.keys(REGIONS) as Region[]).find((r) => r === data.region) ?? 'va';
	const manualHosts: LivePersonHosts = {};
	if (text(data.sentinelHost)) manualHosts.sentinel = text(data.sentinelHost);
	if (text(data.gatewayHost)) manualHosts.faasGW = text(data.gatewayHost);
	if (text(data.uiHost)) manualHosts.faasUI = text(data.uiHost);
	return {
		accountId: text(data.accountId),
		clientId: text(data.clientId),
		clientSecret: typeof data.clientSecret === 'string' ? data.clientSecret : '',
		hostMode,
		domainApiUrl: text(data.domainApiUrl) || DEFAULT_DOMAIN_API_URL,
		region,
		manualHosts,
	};
}

/** Hosts known without asking the Domain API (region or manual mode); undefined in discover mode. */
export function configuredHosts(settings: CredentialSettings): LivePersonHosts | undefined {
	if (settings.hostMode === 'region') return regionHosts(settings.region);
	if (settings.hostMode !== 'manual') return undefined;
	const hosts: LivePersonHosts = {};
	for (const [service, host] of Object.entries(settings.manualHosts)) {
		hosts[service as keyof LivePersonHosts] = assertBareHost(
			host,
			`${service} (entered in the credential)`,
		);
	}
	return hosts;
}

/** Stored hosts are only reused for the same account and Domain API they were discovered for. */
export function domainsKey(settings: CredentialSettings): string {
	return `${settings.accountId}|${settings.domainApiUrl.replace(/\/+$/, '')}`;
}

/** The hosts stored with the token, if they belong to these settings and still look like hosts. */
export function readStoredDomains(
	stored: unknown,
	settings: CredentialSettings,
): StoredDomains | undefined {
	if (typeof stored !== 'string' || stored === '') return undefined;
	try {
		const domains = JSON.parse(stored) as StoredDomains;
		if (domains.key !== domainsKey(settings) || typeof domains.discoveredAt !== 'number')
			return undefined;
		// Re-validated: the stored value is only as trustworthy as the credential database.
		for (const host of Object.values(domains.hosts ?? {})) assertBareHost(host, 'stored');
		return domains;
	} catch {
		return undefined;
	}
}

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { LivePersonHosts } from '../protocol/hosts';
import type { CredentialSettings } from './credentialSettings';
import {
	configuredHosts,
	readCredentialSettings,
	readStoredDomains,
	readTokenInfo,
} from './credentialSettings';

interface TokenHostsMemo {
	settings: CredentialSettings;
	/** The stored fields the hosts below were worked out from. */
	domains?: unknown;
	tokenInfo?: unknown;
	hosts?: string[];
	/** The hosts the execution's client was opened with: still its own after a renewal finds others. */
	opened?: string[];
}

/**
 * n8n hands the same credential object to every request of an execution, so what a request needs
 * to know about it is worked out once per object, and again only when a renewal stores new values.
 */
const memos = new WeakMap<object, TokenHostsMemo>();

/** The settings of a credential object, read once per object. */
export function settingsOf(data: ICredentialDataDecryptedObject): CredentialSettings {
	let memo = memos.get(data);
	if (!memo) {
		memo = { settings: readCredentialSettings(data) };
		memos.set(data, memo);
	}
	return memo.settings;
}

/**
 * The hosts the credential's access token may be sent to: its own Functions gateway and UI, and
 * none when the token was issued for other settings (n8n then gets a 401 and renews it).
 */
export function tokenHosts(data: ICredentialDataDecryptedObject): string[] {
	const settings = settingsOf(data);
	const memo = memos.get(data) as TokenHostsMemo;
	if (memo.hosts && memo.domains === data.domains && memo.tokenInfo === data.accessTokenInfo) {
		return memo.hosts;
	}
	let hosts: LivePersonHosts | undefined;
	try {
		if (readTokenInfo(data.accessTokenInfo, settings)) {
			hosts = configuredHosts(settings) ?? readStoredDomains(data.domains, settings)?.hosts;
		}
	} catch {
		hosts = undefined;
	}
	memo.domains = data.domains;
	memo.tokenInfo = data.accessTokenInfo;
	const current = [hosts?.faasGW, hosts?.faasUI].filter(
		(host): host is string => typeof host === 'string',
	);
	memo.hosts = hosts ? [...new Set([...current, ...(memo.opened ?? [])])] : [];
	return memo.hosts;
}

/**
 * The execution's client calls the hosts it was opened with. Should a renewal during the
 * execution find other hosts (the account moved), those calls still carry the new token.
 */
export function rememberOpenedHosts(
	data: ICredentialDataDecryptedObject,
	hosts: LivePersonHosts,
): void {
	settingsOf(data);
	const memo = memos.get(data) as TokenHostsMemo;
	memo.opened = [hosts.faasGW, hosts.faasUI].filter(
		(host): host is string => typeof host === 'string',
	);
	memo.hosts = undefined;
}

import { LivePersonError } from './errors';

export type LivePersonService = 'sentinel' | 'faasGW' | 'faasUI';

export type LivePersonHosts = Partial<Record<LivePersonService, string>>;

/**
 * LivePerson's published hosts per region (docs), for networks that cannot reach the Domain API.
 * No Functions UI host is published, so listing functions needs discovery or a manual host.
 */
export const REGIONS = {
	va: { sentinel: 'va.sentinel.liveperson.net', faasGW: 'va.faasgw.liveperson.net' },
	lo: { sentinel: 'lo.sentinel.liveperson.net', faasGW: 'lo.faasgw.liveperson.net' },
	sy: { sentinel: 'sy.sentinel.liveperson.net', faasGW: 'sy.faasgw.liveperson.net' },
} as const;

export type Region = keyof typeof REGIONS;

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const BARE_HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?$`);

/**
 * A host we will send a token to must be exactly `host[:port]`: a scheme, path, query or user info
 * in a Domain API answer would redirect credentials somewhere else, so it is refused, not repaired.
 */
export function isBareHost(value: string): boolean {
	const match = BARE_HOST.exec(value);
	if (!match) return false;
	const port = match[1];
	return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

export function assertBareHost(value: unknown, what: string): string {
	if (typeof value !== 'string' || !isBareHost(value)) {
		throw new LivePersonError(
			`The ${what} host ${JSON.stringify(value)} is not a bare host name (expected host or host:port, without https://, path or spaces)`,
			{
				kind: 'configuration',
				step: 'discovery',
				description:
					'Nothing was sent to it. Check the Domain API URL or the hosts entered in the credential.',
			},
		);
	}
	return value;
}

export function regionHosts(region: Region): LivePersonHosts {
	const { sentinel, faasGW } = REGIONS[region];
	return { sentinel, faasGW };
}

export function httpsBase(host: string): string {
	return `https://${host}`;
}

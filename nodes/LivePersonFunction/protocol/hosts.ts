import type { LivePersonStep } from './errors';
import { LivePersonError } from './errors';

export type LivePersonService = 'sentinel' | 'faasGW' | 'faasUI';

export type LivePersonHosts = Partial<Record<LivePersonService, string>>;

/**
 * LivePerson's published hosts per region (docs), for networks that cannot reach the Domain API.
 * No Functions UI host is published, so listing functions needs discovery or a manual host.
 */
export const REGIONS = {
	va: 'US (Virginia)',
	lo: 'EMEA (London)',
	sy: 'APAC (Sydney)',
} as const;

export type Region = keyof typeof REGIONS;

/** A region's published Sentinel is `<region>.sentinel.liveperson.net`: the credentials' expressions build it too. */
export const SENTINEL_DOMAIN = 'sentinel.liveperson.net';

/** The region choices of a credential dialog. */
export const REGION_OPTIONS = (Object.keys(REGIONS) as Region[]).map((value) => ({
	name: REGIONS[value],
	value,
}));

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const BARE_HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?$`);

/** A remote host's text, quoted and cut short: an answer can be of any length. */
const shown = (value: unknown) => {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

function notAHost(value: unknown, what: string): LivePersonError {
	return new LivePersonError(
		`The ${what} host ${shown(value)} is not a bare host name (expected host or host:port, without https://, path or spaces)`,
		{
			kind: 'configuration',
			step: 'discovery',
			description:
				'Nothing was sent to it. Check the Domain API URL or the hosts entered in the credential.',
		},
	);
}

/**
 * A host we will send a token to must be exactly `host[:port]`: a scheme, path, query or user info
 * in a Domain API answer would redirect credentials somewhere else, so it is refused, not repaired.
 * What passes is returned in the URL parser's own form (lower case, no default port, IPv6 and
 * numeric IPv4 canonical), so that comparing it with any request URL's host is comparing like
 * with like; what the parser refuses (999.999.999.999, a bracketed IPv4) is refused here.
 */
export function normalizeHost(value: unknown, what: string): string {
	const match = typeof value === 'string' ? BARE_HOST.exec(value) : null;
	const port = match?.[1];
	if (!match || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
		throw notAHost(value, what);
	}
	try {
		return new URL(`https://${value as string}/`).host;
	} catch {
		throw notAHost(value, what);
	}
}

export function regionHosts(region: Region): LivePersonHosts {
	return { sentinel: `${region}.${SENTINEL_DOMAIN}`, faasGW: `${region}.faasgw.liveperson.net` };
}

const SERVICE_NAMES: Record<LivePersonService, string> = {
	sentinel: 'authorization server (sentinel)',
	faasGW: 'Functions gateway (faasGW)',
	faasUI: 'Functions UI (faasUI)',
};

/** The account has no host for a service it needs. */
export function missingHostError(service: LivePersonService): LivePersonError {
	return new LivePersonError(`The account has no ${SERVICE_NAMES[service]} host`, {
		kind: 'configuration',
		step: 'discovery',
		description:
			'LivePerson Functions may not be enabled for this account (the Domain API lists no such service). Ask your LivePerson account team, or enter the hosts by hand in the credential.',
	});
}

export function httpsBase(host: string): string {
	return `https://${host}`;
}

/**
 * One path segment of a LivePerson URL (an account, function or event id): encoded, and never `.`
 * or `..`, which a URL parser would resolve into another path. Callers validate ids with clearer
 * words first; this is the last guard, in the one place every URL is built.
 */
export function pathSegment(value: string, what: string, step: LivePersonStep): string {
	if (value === '' || /^\.+$/.test(value)) {
		throw new LivePersonError(`The ${what} ${JSON.stringify(value)} cannot be part of an address`, {
			kind: 'configuration',
			step,
			description: 'Nothing was sent.',
		});
	}
	return encodeURIComponent(value);
}

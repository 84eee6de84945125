import type { HttpClient, HttpResponse } from './http';
import { CREDENTIAL_STEP_TIMEOUT_MS, isSuccess, parseJsonBody } from './http';
import { LivePersonError } from './errors';
import type { LivePersonHosts, LivePersonService } from './hosts';
import { normalizeHost, pathSegment } from './hosts';
import { send } from './send';

export const DEFAULT_DOMAIN_API_URL = 'https://api.liveperson.net';

export interface DiscoveryOptions {
	domainApiUrl: string;
	accountId: string;
	timeoutMs?: number;
}

const SERVICES: LivePersonService[] = ['sentinel', 'faasGW', 'faasUI'];

function badDomainApiUrl(text: string, why: string): LivePersonError {
	// Only the scheme and host are repeated: a URL with user info would otherwise echo a password.
	return new LivePersonError(`The Domain API URL of the credential ${why}`, {
		kind: 'configuration',
		step: 'discovery',
		description: `Enter an address such as ${DEFAULT_DOMAIN_API_URL} (https://, a host, optionally a path; no user name, password, query or fragment). Nothing was sent.`,
	});
}

/**
 * The Domain API URL as it will be used: https only, no user info, query or fragment, host in the
 * URL parser's form, no trailing slash. Anything else is refused before a request is made.
 */
export function normalizeDomainApiUrl(text: string): string {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		throw badDomainApiUrl(text, 'is not a URL');
	}
	if (url.protocol !== 'https:') {
		throw badDomainApiUrl(text, `must start with https:// (it starts with ${url.protocol}//)`);
	}
	if (url.username || url.password)
		throw badDomainApiUrl(text, 'must not contain a user name or password');
	if (url.search || url.hash || text.includes('?') || text.includes('#')) {
		throw badDomainApiUrl(text, 'must not contain a query (?) or fragment (#)');
	}
	// Checked on the text, where the URL parser has not yet resolved `..` (and `%2e%2e`) away, with
	// backslashes read as the parser reads them in an https URL: as slashes.
	if (/\/(?:\.|%2e){1,2}(?:\/|$)/i.test(text.trim().replace(/\\/g, '/'))) {
		throw badDomainApiUrl(text, 'must not contain . or .. path segments');
	}
	const path = url.pathname.replace(/\/+$/, '');
	return `https://${url.host}${path}`;
}

async function getDomainApi(
	http: HttpClient,
	options: DiscoveryOptions,
	path: string,
): Promise<HttpResponse> {
	const base = normalizeDomainApiUrl(options.domainApiUrl);
	const account = pathSegment(options.accountId, 'account ID', 'discovery');
	return await send(
		http,
		{
			method: 'GET',
			url: `${base}/api/account/${account}/service/${path}`,
			query: { version: '1.0' },
			headers: { Accept: 'application/json' },
			timeoutMs: options.timeoutMs ?? CREDENTIAL_STEP_TIMEOUT_MS,
		},
		'discovery',
		`the LivePerson Domain API at ${base}`,
	);
}

function domainApiError(response: HttpResponse, options: DiscoveryOptions): LivePersonError {
	if (response.status === 400) {
		return new LivePersonError(
			`The LivePerson Domain API does not know account ${JSON.stringify(options.accountId)} (HTTP 400)`,
			{
				kind: 'configuration',
				step: 'discovery',
				httpStatus: 400,
				description:
					'Check the Account ID (the number shown in Conversational Cloud next to your user name).',
			},
		);
	}
	return new LivePersonError(`The LivePerson Domain API answered HTTP ${response.status}`, {
		kind: response.status >= 500 ? 'platform' : 'configuration',
		step: 'discovery',
		httpStatus: response.status,
		description: `Check the Domain API URL (${normalizeDomainApiUrl(options.domainApiUrl)}) in the credential, or enter the hosts by hand.`,
	});
}

/**
 * Asks the Domain API (CSDS) for the account's hosts, in one request (the all-services form).
 * A Domain API that lacks that form (404) is asked service by service instead.
 * Every host is checked to be a bare host before anyone sends a token to it.
 */
export async function discoverDomains(
	http: HttpClient,
	options: DiscoveryOptions,
): Promise<LivePersonHosts> {
	const response = await getDomainApi(http, options, 'baseURI.json');
	if (isSuccess(response)) return readDomainAnswer(response.body);
	if (response.status !== 404) throw domainApiError(response, options);

	const hosts: LivePersonHosts = {};
	for (const service of SERVICES) {
		const one = await getDomainApi(http, options, `${service}/baseURI.json`);
		if (isSuccess(one)) Object.assign(hosts, readDomainAnswer(one.body));
		else if (one.status !== 404) throw domainApiError(one, options);
	}
	return hosts;
}

/** Parses `{"baseURIs":[{service, baseURI}]}` or `{service, baseURI}`; unknown services are ignored. */
export function readDomainAnswer(text: string): LivePersonHosts {
	const parsed = parseJsonBody(text);
	const value = (parsed.kind === 'json' ? parsed.value : undefined) as
		| { baseURIs?: unknown; service?: unknown }
		| null
		| undefined;
	let entries: unknown[] | undefined;
	if (Array.isArray(value?.baseURIs)) entries = value.baseURIs;
	else if (typeof value?.service === 'string') entries = [value];
	if (!entries) {
		throw new LivePersonError(
			'The LivePerson Domain API sent an answer that is not a list of hosts',
			{
				kind: 'bad-answer',
				step: 'discovery',
				description:
					"Check that the Domain API URL in the credential points at LivePerson's Domain API.",
			},
		);
	}
	const hosts: LivePersonHosts = {};
	for (const entry of entries) {
		const { service, baseURI } = (entry ?? {}) as { service?: unknown; baseURI?: unknown };
		if (typeof service === 'string' && (SERVICES as string[]).includes(service)) {
			hosts[service as LivePersonService] = normalizeHost(baseURI, `discovered ${service}`);
		}
	}
	return hosts;
}

import type { HttpClient, HttpResponse } from './http';
import { isSuccess, parseJsonBody } from './http';
import { classifyTransportError, LivePersonError } from './errors';
import type { LivePersonHosts, LivePersonService } from './hosts';
import { assertBareHost } from './hosts';

export const DEFAULT_DOMAIN_API_URL = 'https://api.liveperson.net';

export interface DiscoveryOptions {
	domainApiUrl: string;
	accountId: string;
	timeoutMs?: number;
}

const SERVICES: LivePersonService[] = ['sentinel', 'faasGW', 'faasUI'];

function domainApiBase(domainApiUrl: string): string {
	return domainApiUrl.trim().replace(/\/+$/, '');
}

async function getDomainApi(
	http: HttpClient,
	options: DiscoveryOptions,
	path: string,
): Promise<HttpResponse> {
	const base = domainApiBase(options.domainApiUrl);
	return await http({
		method: 'GET',
		url: `${base}/api/account/${encodeURIComponent(options.accountId)}/service/${path}`,
		query: { version: '1.0' },
		headers: { Accept: 'application/json' },
		timeoutMs: options.timeoutMs,
	}).catch((error: unknown) => {
		throw classifyTransportError(error, 'discovery', `the LivePerson Domain API at ${base}`);
	});
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
		description: `Check the Domain API URL (${domainApiBase(options.domainApiUrl)}) in the credential, or enter the hosts by hand.`,
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
			hosts[service as LivePersonService] = assertBareHost(baseURI, `discovered ${service}`);
		}
	}
	return hosts;
}

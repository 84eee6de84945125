import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import type { HttpClient } from '../protocol/http';
import type { LivePersonHosts } from '../protocol/hosts';
import { isTokenExpiring } from '../protocol/token';
import { resolveHosts } from './auth';
import { readCredentialSettings } from './credentialSettings';
import { n8nHttpClient } from './httpClient';

export const CREDENTIAL_TYPE = 'livePersonFunctionsApi';

/** A token this close to its `exp` is renewed before the first call instead of after a 401. */
const EXPIRY_MARGIN_MS = 60_000;

export interface FaasSession {
	accountId: string;
	hosts: LivePersonHosts;
	/** Authenticated: sends the bearer token, renews it once on 401 (n8n's preAuthentication path). */
	http: HttpClient;
	/** The invoking user, for credentials that act on behalf of one (OAuth2). */
	userId?: string;
}

type Context = IExecuteFunctions | ILoadOptionsFunctions;

/** Discovery needs no authentication; kept apart from the credential read on purpose. */
async function hostsFor(context: Context, data: ICredentialDataDecryptedObject) {
	const http = n8nHttpClient(async (options) => await context.helpers.httpRequest(options));
	// Stored hosts are used whatever their age here; preAuthentication refreshes them on renewal.
	return await resolveHosts(http, data, Date.now(), Number.POSITIVE_INFINITY);
}

/**
 * One per execution: reads and decrypts the credential once, finds the hosts (no network when
 * they are stored or configured), and passes the same credential object to every request so that
 * concurrent 401s share one renewal.
 */
export async function openSession(context: Context): Promise<FaasSession> {
	const data: ICredentialDataDecryptedObject = { ...(await context.getCredentials(CREDENTIAL_TYPE)) };
	if (typeof data.accessToken === 'string' && isTokenExpiring(data.accessToken, Date.now(), EXPIRY_MARGIN_MS)) {
		data.accessToken = '';
	}
	const { hosts, domains } = await hostsFor(context, data);
	data.domains = domains;
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
	);
	return { accountId: readCredentialSettings(data).accountId, hosts, http };
}

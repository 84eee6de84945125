import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { LivePersonError } from '../nodes/LivePersonFunction/protocol/errors';
import { DEFAULT_DOMAIN_API_URL } from '../nodes/LivePersonFunction/protocol/discovery';
import { CREDENTIAL_STEP_TIMEOUT_MS } from '../nodes/LivePersonFunction/protocol/http';
import {
	ACCOUNT_ID_FIELD,
	CREDENTIAL_ICON,
} from '../nodes/LivePersonFunction/transport/credentialFields';
import { REGION_OPTIONS, SENTINEL_DOMAIN } from '../nodes/LivePersonFunction/protocol/hosts';
import { preAuthenticate } from '../nodes/LivePersonFunction/transport/auth';
import { tokenHosts } from '../nodes/LivePersonFunction/transport/credentialMemo';
import { n8nHttpClient } from '../nodes/LivePersonFunction/transport/httpClient';

export class LivePersonFunctionsApi implements ICredentialType {
	name = 'livePersonFunctionsApi';

	displayName = 'LivePerson Functions API';

	icon: Icon = CREDENTIAL_ICON;

	documentationUrl =
		'https://developers.liveperson.com/liveperson-functions-external-invocations-client-credentials.html';

	properties: INodeProperties[] = [
		ACCOUNT_ID_FIELD,
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The client_id of the App Installation (grant type client_credentials, scope faas.lambda.invoke)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The client_secret of the App Installation. It is sent to LivePerson's authorization server only.",
		},
		{
			displayName: 'Hosts',
			name: 'hostMode',
			type: 'options',
			default: 'discover',
			description:
				'How to find the authorization server (Sentinel) and the Functions gateway of the account',
			options: [
				{
					name: 'Discover with the Domain API (Recommended)',
					value: 'discover',
					description: "Ask LivePerson's Domain API, as LivePerson recommends",
				},
				{
					name: 'Region',
					value: 'region',
					description:
						"Use LivePerson's published hosts of a region, for networks that cannot reach the Domain API",
				},
				{
					name: 'Enter Hosts by Hand',
					value: 'manual',
					description: 'Give the Sentinel and gateway hosts yourself',
				},
			],
		},
		{
			displayName: 'Domain API URL',
			name: 'domainApiUrl',
			type: 'string',
			default: DEFAULT_DOMAIN_API_URL,
			displayOptions: { show: { hostMode: ['discover'] } },
			description: "LivePerson's Domain API (CSDS). Change it only for a proxy or a test server.",
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: 'va',
			displayOptions: { show: { hostMode: ['region'] } },
			options: REGION_OPTIONS,
		},
		{
			displayName: 'Sentinel Host',
			name: 'sentinelHost',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'va.sentinel.liveperson.net',
			displayOptions: { show: { hostMode: ['manual'] } },
			description: 'Host name only (host or host:port), without https://',
		},
		{
			displayName: 'Functions Gateway Host',
			name: 'gatewayHost',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'va.faasgw.liveperson.net',
			displayOptions: { show: { hostMode: ['manual'] } },
			description: 'Host name only (host or host:port), without https://',
		},
		{
			displayName: 'Functions UI Host',
			name: 'uiHost',
			type: 'string',
			default: '',
			displayOptions: { show: { hostMode: ['manual'] } },
			description: 'Optional. Needed only to pick functions from a list.',
		},
		{
			// "Custom API Call" sends users to the HTTP Request node with this credential: say what it signs.
			displayName:
				"The HTTP Request node can use this credential too (Authentication: Predefined Credential Type, LivePerson Functions API). It adds the access token only to requests to this account's own LivePerson Functions hosts (gateway and UI); a request to any other address is sent without it.",
			name: 'httpRequestNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Discovered Hosts',
			name: 'domains',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Access Token Info',
			name: 'accessTokenInfo',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const http = n8nHttpClient(async (options) => await this.helpers.httpRequest(options));
		try {
			return await preAuthenticate(http, credentials);
		} catch (error) {
			// n8n's credential test shows only the message, so it carries the advice too.
			throw error instanceof LivePersonError ? error.withAdvice() : error;
		}
	}

	/** The token goes only to this credential's own Functions hosts, never to any other URL. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// n8n's HTTP Request node ("Custom API Call") hands over its legacy request options: the address in `uri`.
		const address = requestOptions.url ?? (requestOptions as { uri?: unknown }).uri;
		if (typeof address !== 'string' || !URL.canParse(address, requestOptions.baseURL))
			return requestOptions; // an address no one can read gets no token; the request fails on its own
		const host = new URL(address, requestOptions.baseURL).host;
		if (!tokenHosts(credentials).includes(host)) return requestOptions;
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${credentials.accessToken as string}`,
			},
		};
	}

	// preAuthentication above proves discovery and the token; this request then checks the first host.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			// Like every request of this package: a time limit, and no redirect followed.
			timeout: CREDENTIAL_STEP_TIMEOUT_MS,
			disableFollowRedirect: true,
			url: `={{ $credentials.hostMode === "manual" ? "https://" + $credentials.sentinelHost + "/sentinel/well-known/jwks" : $credentials.hostMode === "region" ? "https://" + $credentials.region + ".${SENTINEL_DOMAIN}/sentinel/well-known/jwks" : $credentials.domainApiUrl.replace(/\\/+$/, "") + "/api/account/" + $credentials.accountId + "/service/baseURI.json?version=1.0" }}`,
		},
	};
}

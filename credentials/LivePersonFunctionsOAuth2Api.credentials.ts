import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { DEFAULT_DOMAIN_API_URL } from '../nodes/LivePersonFunction/protocol/discovery';
import {
	ACCOUNT_ID_FIELD,
	CREDENTIAL_ICON,
} from '../nodes/LivePersonFunction/transport/credentialFields';
import { REGION_OPTIONS, SENTINEL_DOMAIN } from '../nodes/LivePersonFunction/protocol/hosts';

// n8n needs the authorize and token URLs before any request, so they are computed from the fields
// (region or custom Sentinel host, account) rather than discovered. Both fields are checked in the
// expression itself: a host with a path, user info or query, or an account that is not one plain
// word, gives an address under .invalid (RFC 6761), which never resolves, instead of going where the
// text points.
const SENTINEL_HOST = `($self["sentinel"] === "custom" ? String($self["sentinelHost"] || "").trim().toLowerCase() : $self["sentinel"] + ".${SENTINEL_DOMAIN}")`;
const ACCOUNT = 'String($self["accountId"] || "").trim()';
const SENTINEL_BASE = `(/^[a-z0-9.-]+(:[0-9]{1,5})?$/.test(${SENTINEL_HOST}) && /^[A-Za-z0-9_-]{1,64}$/.test(${ACCOUNT}) ? "https://" + ${SENTINEL_HOST} + "/sentinel/api/account/" + ${ACCOUNT} : "https://sentinel-host-or-account-id-not-valid.invalid/sentinel")`;

export class LivePersonFunctionsOAuth2Api implements ICredentialType {
	name = 'livePersonFunctionsOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'LivePerson Functions OAuth2 API';

	icon: Icon = CREDENTIAL_ICON;

	documentationUrl =
		'https://developers.liveperson.com/liveperson-functions-external-invocations-authorization-code.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		ACCOUNT_ID_FIELD,
		{
			displayName: 'Authorization Server (Sentinel)',
			name: 'sentinel',
			type: 'options',
			default: 'va',
			description:
				"The Sentinel of the account's region, or a host of your own (e.g. va-a.sentinel.liveperson.net)",
			options: [...REGION_OPTIONS, { name: 'Custom Host', value: 'custom' }],
		},
		{
			displayName: 'Sentinel Host',
			name: 'sentinelHost',
			type: 'string',
			default: '',
			placeholder: 'va-a.sentinel.liveperson.net',
			displayOptions: { show: { sentinel: ['custom'] } },
			description: 'Host name only (host or host:port), without https://',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${SENTINEL_BASE} + "/authorize?v=1.0" }}`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${SENTINEL_BASE} + "/token?v=2.0" }}`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			description:
				'The LivePerson user ID of the invoking user, sent as userId. Leave empty to take it from the token.',
		},
		{
			displayName: 'Domain API URL',
			name: 'domainApiUrl',
			type: 'string',
			default: DEFAULT_DOMAIN_API_URL,
			description:
				"LivePerson's Domain API, asked for the Functions gateway of the account (no login needed)",
		},
		{
			displayName: 'Functions Gateway Host',
			name: 'gatewayHost',
			type: 'string',
			default: '',
			placeholder: 'va.faasgw.liveperson.net',
			description: 'Optional. Skips the Domain API: host name only, without https://.',
		},
		{
			displayName: 'Functions UI Host',
			name: 'uiHost',
			type: 'string',
			default: '',
			description: 'Optional, with the gateway host: needed only to list functions',
		},
	];
}

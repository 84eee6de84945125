import type { HttpClient } from './http';
import { CREDENTIAL_STEP_TIMEOUT_MS, parseJsonBody } from './http';
import { LivePersonError } from './errors';
import type { LivePersonHosts } from './hosts';
import { httpsBase, missingHostError, pathSegment } from './hosts';
import { send } from './send';

export interface ClientCredentials {
	hosts: LivePersonHosts;
	accountId: string;
	clientId: string;
	clientSecret: string;
	timeoutMs?: number;
}

export interface AccessToken {
	accessToken: string;
	/** Epoch milliseconds from the JWT `exp` claim; undefined when the token carries none. */
	expiresAt?: number;
	/** Epoch milliseconds from the JWT `iat` claim (Sentinel's clock); undefined when absent. */
	issuedAt?: number;
}

/** Sentinel's client-credentials grant, client authentication in the body (as the docs say). */
export async function requestClientCredentialsToken(
	http: HttpClient,
	credentials: ClientCredentials,
): Promise<AccessToken> {
	if (!credentials.hosts.sentinel) throw missingHostError('sentinel');
	const base = httpsBase(credentials.hosts.sentinel);
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: credentials.clientId,
		client_secret: credentials.clientSecret,
	});
	const account = pathSegment(credentials.accountId, 'account ID', 'token');
	const response = await send(
		http,
		{
			method: 'POST',
			url: `${base}/sentinel/api/account/${account}/app/token`,
			query: { v: '2.0' },
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: form.toString(),
			timeoutMs: credentials.timeoutMs ?? CREDENTIAL_STEP_TIMEOUT_MS,
		},
		'token',
		`LivePerson's authorization server (Sentinel) at ${base}`,
	);

	const parsed = parseJsonBody(response.body);
	const body = (parsed.kind === 'json' ? parsed.value : undefined) as
		| Record<string, unknown>
		| undefined;
	if (response.status < 200 || response.status > 299) {
		// OAuth error codes are safe to show; error_description could echo request fields, so it is not.
		const oauthError = typeof body?.error === 'string' ? `, ${body.error}` : '';
		const rejected = response.status === 400 || response.status === 401 || response.status === 403;
		throw new LivePersonError(
			rejected
				? `LivePerson's authorization server rejected the Client ID or Client Secret (HTTP ${response.status}${oauthError})`
				: `LivePerson's authorization server failed (HTTP ${response.status}${oauthError})`,
			{
				kind: rejected ? 'auth' : 'platform',
				step: 'token',
				httpStatus: response.status,
				description: rejected
					? 'Copy the Client ID and Client Secret again from the App Installation, and check the Account ID: the app must be installed on this account with grant type client_credentials.'
					: 'Try again later.',
			},
		);
	}
	const accessToken = body?.access_token;
	// It goes into an Authorization header: a bearer token's characters only (RFC 6750), nothing that
	// could end the header or add another.
	if (typeof accessToken !== 'string' || !/^[A-Za-z0-9._~+/=-]{1,8192}$/.test(accessToken)) {
		throw new LivePersonError(
			"LivePerson's authorization server answered without an access token",
			{
				kind: 'bad-answer',
				step: 'token',
				httpStatus: response.status,
				description: 'Check that the sentinel host points at LivePerson Sentinel.',
			},
		);
	}
	return {
		accessToken,
		expiresAt: readJwtExpiry(accessToken),
		issuedAt: readJwtTime(accessToken, 'iat'),
	};
}

/** The claims of a JWT, decoded without a library and without checking the signature. */
export function readJwtClaims(token: string): Record<string, unknown> | undefined {
	const payload = token.split('.')[1];
	if (!payload) return undefined;
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
		return typeof claims === 'object' && claims !== null
			? (claims as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/** A time claim of a JWT (`exp`, `iat`) in epoch ms. */
function readJwtTime(token: string, claim: 'exp' | 'iat'): number | undefined {
	const seconds = readJwtClaims(token)?.[claim];
	return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** The `exp` claim of a JWT in epoch ms. */
export const readJwtExpiry = (token: string) => readJwtTime(token, 'exp');

/** True when the token expires within `marginMs`; a token without a readable `exp` is left to the gateway's 401. */
export function isTokenExpiring(token: string, now: number, marginMs: number): boolean {
	const expiresAt = readJwtExpiry(token);
	return expiresAt !== undefined && expiresAt - marginMs <= now;
}

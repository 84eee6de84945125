import type { LivePersonStep } from './errors';
import { findInCauseChain, findLivePersonError, LivePersonError } from './errors';

// Words, not codes, in messages: n8n replaces any error message that contains a socket code
// (ECONNREFUSED...) with a generic sentence, which would hide which LivePerson step failed.
// Only what is certain to fail before anything is sent: Linux also reports EHOSTUNREACH and
// ENETUNREACH for an established connection whose retransmissions timed out, so those may have run.
const NOT_SENT: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
};
// The TLS handshake failed: nothing was sent, and trying again changes nothing.
const UNTRUSTED: Record<string, string> = {
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by an unknown authority',
	UNABLE_TO_GET_ISSUER_CERT: 'its certificate is signed by an unknown authority',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by an unknown authority',
	SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain is self-signed',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
	CERT_HAS_EXPIRED: 'its certificate has expired',
	CERT_NOT_YET_VALID: 'its certificate is not valid yet',
	CERT_REVOKED: 'its certificate is revoked',
	ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
	CERT_SIGNATURE_FAILURE: 'its certificate signature is invalid',
};
// A TLS handshake that could not be completed (an https address that answers plain HTTP, a proxy
// that speaks another protocol, no common TLS version): nothing was sent either.
const isHandshakeFailure = (code: string) => code === 'EPROTO' || code.startsWith('ERR_SSL_');
const TIMEOUT_CODES = new Set([
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);
const BROKEN: Record<string, string> = {
	ECONNRESET: 'connection reset',
	EPIPE: 'connection closed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ENETDOWN: 'network down',
	ABORTED: 'cancelled',
};

// Node's socket codes (ECONNRESET) and undici's; axios' own ERR_* codes say nothing about the socket.
const SOCKET_CODE = /^(E(?!RR_)[A-Z_]+|UND_ERR_[A-Z_]+)$/;

/** The first socket, TLS or URL error code on an error or its `cause` chain. */
export function findErrorCode(error: unknown): string | undefined {
	return findInCauseChain(error, (link) => {
		if (link.name === 'AbortError' || link.code === 'ERR_CANCELED') return 'ABORTED';
		if (typeof link.code !== 'string') return undefined;
		const known =
			UNTRUSTED[link.code] || link.code === 'ERR_INVALID_URL' || isHandshakeFailure(link.code);
		if (OAUTH_ANSWER_CODES.has(link.code)) return undefined;
		return known || SOCKET_CODE.test(link.code) ? link.code : undefined;
	});
}

// client-oauth2's codes for a token endpoint that answered (EAUTH: an OAuth error, ESTATUS: an
// unexpected status): answers, not socket failures.
const OAUTH_ANSWER_CODES = new Set(['EAUTH', 'ESTATUS']);
// OAuth errors that mean the grant itself is refused: only connecting the credential again helps.
const REFUSED_GRANT = new Set([
	'invalid_grant',
	'invalid_client',
	'unauthorized_client',
	'invalid_scope',
]);

/**
 * How n8n's OAuth2 path failed to renew the user's token, if it did: `refused` when Sentinel
 * refused the grant (n8n 2.x turns invalid_grant into a `credential-invalid` "needs to be
 * reconnected" error; other refusals arrive as client-oauth2's AuthError with the OAuth error in
 * `body`), `failed` when Sentinel answered with another error. Undefined for anything else.
 */
function renewalFailure(error: unknown): { refused: boolean; oauthError?: string } | undefined {
	return findInCauseChain(error, (link) => {
		const failure = link.failure as { cause?: unknown } | undefined;
		if (failure?.cause === 'credential-invalid') return { refused: true };
		if (typeof link.message === 'string' && /needs to be reconnected/.test(link.message)) {
			return { refused: true };
		}
		const body = link.body as { error?: unknown } | undefined;
		const isAuthError =
			link.code === 'EAUTH' ||
			(link.constructor as { name?: unknown } | undefined)?.name === 'AuthError';
		if (!isAuthError || typeof body?.error !== 'string') return undefined;
		return { refused: REFUSED_GRANT.has(body.error), oauthError: body.error };
	});
}

/** Any failure of a call as a LivePersonError: ours as is, anything else as a transport error. */
export function asLivePersonError(
	error: unknown,
	step: LivePersonStep,
	target: string,
): LivePersonError {
	const ours = findLivePersonError(error);
	if (ours) return ours;
	// The gateway answered 401 before any of this: the function did not run.
	const renewal = renewalFailure(error);
	if (renewal?.refused) {
		return new LivePersonError(
			"LivePerson refused to renew the user's access: the credential must be connected again",
			{
				kind: 'auth',
				step: 'token',
				mayHaveRun: false,
				description:
					'The refresh token is revoked or expired, the app changed, or the user lost access. Open the LivePerson Functions OAuth2 API credential and click Connect again. Nothing was sent to the function.',
			},
		);
	}
	if (renewal) {
		return new LivePersonError(
			`LivePerson's authorization server could not renew the user's access (${renewal.oauthError})`,
			{
				kind: 'platform',
				step: 'token',
				mayHaveRun: false,
				description: 'Nothing was sent to the function. Try again later.',
			},
		);
	}
	return classifyTransportError(error, step, target);
}

/** What to do about a request that may have been sent, in the words of the step that sent it. */
function mayHaveRunAdvice(step: LivePersonStep, timedOut: boolean): string {
	if (step === 'discovery' || step === 'token') {
		return timedOut
			? 'Nothing runs in this step, so trying again is safe; check that this n8n instance can reach the host in time.'
			: 'Nothing runs in this step, so trying again is safe; check the host and the network between n8n and LivePerson.';
	}
	return timedOut
		? 'The request may have reached LivePerson, so the function may have run. Raise the Timeout option, or turn on "Retry When the Function May Already Have Run" if the function is safe to repeat.'
		: 'The connection broke after the request may have been sent, so the function may have run. It is not repeated unless "Retry When the Function May Already Have Run" is on.';
}

/** Classifies an error thrown by the HTTP client (no answer arrived) for the given target. */
export function classifyTransportError(
	error: unknown,
	step: LivePersonStep,
	target: string,
): LivePersonError {
	const socketCode = findErrorCode(error);
	if (socketCode && NOT_SENT[socketCode]) {
		return new LivePersonError(`Could not connect to ${target} (${NOT_SENT[socketCode]})`, {
			kind: 'transport',
			step,
			socketCode,
			mayHaveRun: false,
			description:
				'The request was not sent. Check the host name and that this n8n instance can reach it.',
		});
	}
	if (socketCode && UNTRUSTED[socketCode]) {
		return new LivePersonError(
			`Could not connect securely to ${target}: ${UNTRUSTED[socketCode]}`,
			{
				kind: 'configuration',
				step,
				socketCode,
				mayHaveRun: false,
				description:
					'Nothing was sent. Check the host name; if the host is yours and its certificate comes from a private CA, give n8n that CA with the NODE_EXTRA_CA_CERTS environment variable.',
			},
		);
	}
	if (socketCode && isHandshakeFailure(socketCode)) {
		return new LivePersonError(
			`Could not connect securely to ${target}: the secure connection (TLS) could not be set up`,
			{
				kind: 'configuration',
				step,
				socketCode,
				mayHaveRun: false,
				description:
					'Nothing was sent. The address may answer plain HTTP instead of HTTPS (a common proxy mistake), or a proxy between n8n and LivePerson may intercept the connection. Check the host name and port, and any proxy; if a proxy presents its own certificate, give n8n its CA with the NODE_EXTRA_CA_CERTS environment variable.',
			},
		);
	}
	if (socketCode === 'ERR_INVALID_URL') {
		return new LivePersonError(`The address of ${target} is not a valid URL`, {
			kind: 'configuration',
			step,
			mayHaveRun: false,
			description: 'Nothing was sent. Check the hosts and the Domain API URL of the credential.',
		});
	}
	if (socketCode && TIMEOUT_CODES.has(socketCode)) return timeoutError(step, target, socketCode);
	const what = (socketCode && BROKEN[socketCode]) ?? 'network error';
	return new LivePersonError(`The connection to ${target} failed (${what})`, {
		kind: 'transport',
		step,
		socketCode,
		mayHaveRun: true,
		description: mayHaveRunAdvice(step, false),
	});
}

/** No whole answer within the call's deadline (the request may have arrived). */
export function timeoutError(
	step: LivePersonStep,
	target: string,
	socketCode?: string,
): LivePersonError {
	return new LivePersonError(`No answer from ${target} in time`, {
		kind: 'timeout',
		step,
		socketCode,
		mayHaveRun: true,
		description: mayHaveRunAdvice(step, true),
	});
}

/**
 * The execution was cancelled: before the request left (`sent` false; `earlier` is the failed
 * attempt before it, if any), or while it waited for the answer.
 */
export function cancelledError(
	step: LivePersonStep,
	{ sent, earlier }: { sent: boolean; earlier?: LivePersonError },
): LivePersonError {
	const mayHaveRun = (sent && step === 'invoke') || earlier?.mayHaveRun === true;
	let description = 'Nothing was sent for this item.';
	if (sent) description = 'The request had been sent, so the function may have run.';
	else if (earlier)
		description = mayHaveRun
			? `It was not sent again, but an earlier attempt may have run the function (${earlier.message}).`
			: `It was not sent again; the function did not run for this item (${earlier.message}).`;
	return new LivePersonError(
		sent
			? 'The execution was cancelled while this item waited for its answer'
			: `The execution was cancelled before this item was sent${earlier ? ' again' : ''}`,
		{ kind: 'cancelled', step, mayHaveRun, description },
	);
}

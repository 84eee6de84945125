'use strict';

/**
 * A fake of n8n's execution context for the node, backed by real HTTP (axios, as n8n uses).
 * httpRequestWithAuthentication follows n8n-core 2.41's logic: preAuthentication when the
 * expirable field is empty, the credential's authenticate(), and on a 401 one renewal and one retry;
 * preAuthentication output is persisted into `store` as n8n persists it into its database.
 * Everything the node could show (errors, logs) is kept in `captured` for secret scans.
 */
const https = require('https');
const axios = require('axios');
const { NodeApiError, NodeOperationError } = require('n8n-workflow');
const { LivePersonFunctionsApi } = require('../../credentials/LivePersonFunctionsApi.credentials');
const { leakedSecrets } = require('./secrets');

const UUID = /([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/;
const credentialType = new LivePersonFunctionsApi();

function makeHttpRequest(agent) {
	return async function httpRequest(options) {
		const validate = options.ignoreHttpStatusErrors;
		const response = await axios({
			method: options.method ?? 'GET',
			url: options.url,
			baseURL: options.baseURL,
			params: options.qs,
			paramsSerializer: { indexes: null },
			headers: options.headers,
			data: options.body,
			timeout: options.timeout,
			// n8n-core 2.41 (@n8n/backend-network): disableFollowRedirect sets maxRedirects 0.
			maxRedirects: options.disableFollowRedirect === true ? 0 : undefined,
			signal: options.abortSignal,
			responseType: ['text', 'stream'].includes(options.encoding) ? options.encoding : 'json',
			httpsAgent: agent,
			validateStatus:
				validate === true
					? () => true
					: validate && typeof validate === 'object'
						? (status) => !validate.except.includes(status)
						: (status) => status >= 200 && status < 300,
			transitional: { silentJSONParsing: true, forcedJSONParsing: options.encoding !== 'text' },
		});
		return options.returnFullResponse
			? { body: response.data, headers: response.headers, statusCode: response.status }
			: response.data;
	};
}

/** The credential as n8n stores it: `data` is what getCredentials decrypts, preAuth writes back. */
function credentialStore(data) {
	return { data: { accessToken: '', domains: '', ...data }, preAuthCalls: 0, updates: 0 };
}

function getPath(object, path) {
	return path
		.split('.')
		.reduce(
			(value, key) => (value === undefined || value === null ? undefined : value[key]),
			object,
		);
}

/**
 * The node's parameters as n8n stores them: a value given here as a function of the item stands for an
 * expression, which n8n stores as a string starting with "=".
 */
function storedParameters(value) {
	if (typeof value === 'function') return '={{ a value per item }}';
	if (Array.isArray(value)) return value.map(storedParameters);
	if (typeof value === 'object' && value !== null)
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storedParameters(v)]));
	return value;
}

/**
 * n8n's OAuth2 path for the user credential (n8n-core requestOAuth2, authorization code): the stored
 * access token as Bearer; on 401 one refresh at the credential's token URL with HTTP Basic client
 * authentication, the new tokens stored, the request sent again.
 */
function oauth2Requester(httpRequest, oauth2Store, node) {
	const tokenUrl = () => {
		const data = oauth2Store.data;
		const host =
			data.sentinel === 'custom' ? data.sentinelHost : `${data.sentinel}.sentinel.liveperson.net`;
		return `https://${host}/sentinel/api/account/${data.accountId}/token?v=2.0`;
	};
	const sign = (options) => ({
		...options,
		headers: {
			...options.headers,
			Authorization: `Bearer ${oauth2Store.data.oauthTokenData.access_token}`,
		},
	});
	return async (options) => {
		try {
			return await httpRequest(sign(options));
		} catch (error) {
			if (error.response?.status !== 401) throw error;
			const { clientId, clientSecret } = oauth2Store.data;
			const refreshed = await httpRequest({
				method: 'POST',
				url: tokenUrl(),
				headers: {
					Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
					'Content-Type': 'application/x-www-form-urlencoded',
				},
				body: new URLSearchParams({
					grant_type: 'refresh_token',
					refresh_token: oauth2Store.data.oauthTokenData.refresh_token,
				}).toString(),
			}).catch((refreshError) => {
				// n8n-core 2.41 (request-helpers/oauth.js): a refused refresh (invalid_grant) becomes this error.
				if (refreshError.response?.data?.error !== 'invalid_grant') throw refreshError;
				throw new NodeOperationError(
					node,
					'The credential "LivePerson OAuth2 test" needs to be reconnected.',
					{
						description:
							'Access could not be refreshed because the connected account has revoked access, the refresh token expired, or the account password or permissions changed. Open the credential and reconnect it to continue.',
						level: 'warning',
						failure: { cause: 'credential-invalid' },
					},
				);
			});
			oauth2Store.refreshes = (oauth2Store.refreshes ?? 0) + 1;
			oauth2Store.data = {
				...oauth2Store.data,
				oauthTokenData: { ...oauth2Store.data.oauthTokenData, ...refreshed },
			};
			return await httpRequest(sign(options));
		}
	};
}

function createContext({
	emu,
	store,
	oauth2Store,
	parameters,
	items = [{ json: {} }],
	continueOnFail = false,
	nodeName = 'LivePerson Function',
	untrusted = false,
	cancelSignal,
}) {
	// `untrusted`: n8n without the emulator's CA (a user who did not set NODE_EXTRA_CA_CERTS).
	const agent = new https.Agent({
		ca: untrusted ? undefined : emu.caPem,
		keepAlive: true,
		maxSockets: 256,
	});
	const httpRequest = makeHttpRequest(agent);
	const captured = [];
	const node = {
		id: 'node-1',
		name: nodeName,
		type: 'n8n-nodes-liveperson-functions.livePersonFunction',
		typeVersion: 1,
		position: [0, 0],
		parameters: storedParameters(parameters),
		credentials: { livePersonFunctionsApi: { id: 'cred-1', name: 'LivePerson test' } },
	};

	async function preAuthentication(credentials, expired) {
		if (credentials.accessToken !== '' && !expired) return undefined;
		store.preAuthCalls++;
		const output = await credentialType.preAuthentication.call(
			{ helpers: { httpRequest } },
			credentials,
		);
		store.data = { ...store.data, ...output };
		store.updates++;
		return Object.assign(credentials, output);
	}

	const context = {
		getNode: () => node,
		getInputData: () => items,
		continueOnFail: () => continueOnFail,
		getExecutionCancelSignal: () => cancelSignal,
		getCredentials: async (type) => ({
			...(type === 'livePersonFunctionsOAuth2Api' ? oauth2Store : store).data,
		}),
		getNodeParameter(name, itemIndex, fallback, options) {
			let value = getPath(parameters, name);
			if (typeof value === 'function') value = value(itemIndex, items[itemIndex]);
			if (value === undefined) return fallback;
			if (options?.extractValue && value && typeof value === 'object' && 'mode' in value) {
				if (value.mode === 'url') return (UUID.exec(String(value.value)) ?? [])[1] ?? '';
				return value.value;
			}
			return value;
		},
		helpers: {
			httpRequest,
			async httpRequestWithAuthentication(type, options, additional) {
				// n8n-core 2.41: the execution's cancel signal goes with every authenticated request.
				const requestOptions = { ...options, abortSignal: cancelSignal };
				if (type === 'livePersonFunctionsOAuth2Api') {
					return await oauth2Requester(
						httpRequest,
						oauth2Store,
						node,
					)(requestOptions).catch((error) => {
						throw new NodeApiError(node, error);
					});
				}
				const credentials =
					additional?.credentialsDecrypted?.data ?? (await context.getCredentials(type));
				try {
					const data = await preAuthentication(credentials, false);
					if (data) Object.assign(credentials, data);
					const authenticated = await credentialType.authenticate(credentials, requestOptions);
					return await httpRequest(authenticated);
				} catch (error) {
					if (error.response?.status === 401) {
						try {
							await preAuthentication(credentials, true);
							const authenticated = await credentialType.authenticate(credentials, requestOptions);
							return await httpRequest(authenticated);
						} catch (retryError) {
							throw new NodeApiError(node, retryError);
						}
					}
					throw new NodeApiError(node, error);
				}
			},
		},
		logger: {
			debug: (...a) => captured.push(a),
			info: (...a) => captured.push(a),
			warn: (...a) => captured.push(a),
			error: (...a) => captured.push(a),
		},
	};
	return { context, captured, close: () => agent.destroy() };
}

/** Runs the node once in a fresh context; every output, error and log line goes into `seen` for secret scans. */
async function executeNode(node, contextOptions, seen) {
	const { context, captured, close } = createContext(contextOptions);
	try {
		const [output] = await node.execute.call(context);
		seen.push(output, captured);
		return output;
	} catch (error) {
		seen.push(error, captured);
		throw error;
	} finally {
		close();
	}
}

/** The emulator as each test starts from it: no faults, an empty log, every counter at zero. */
function cleanEmulator(emu) {
	emu.clearFaults();
	emu.clearLog();
	emu.resetCounters();
}

/**
 * `run({parameters, items, continueOnFail, ...context})` for a test file: the node on the emulator and
 * credential store that `current()` gives now, Function → Invoke unless the parameters say otherwise,
 * continuing on failure unless told not to; whatever it shows goes into `seen` for secret scans.
 */
function nodeRunner(node, seen, current) {
	return ({ parameters, items = [{ json: {} }], continueOnFail = true, ...context }) =>
		executeNode(
			node,
			{
				...current(),
				parameters: { resource: 'function', operation: 'invoke', ...parameters },
				items,
				continueOnFail,
				...context,
			},
			seen,
		);
}

module.exports = {
	cleanEmulator,
	createContext,
	credentialStore,
	makeHttpRequest,
	leakedSecrets,
	executeNode,
	nodeRunner,
};

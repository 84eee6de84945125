'use strict';
// Workflows and credentials of the bench: Manual trigger → Set (N rows) → Split Out (N items) → the invoking node.

const { manualTrigger } = require('../../tools/n8n/harness');

const LP_TYPE = 'n8n-nodes-liveperson-functions.livePersonFunction';
const INVOKER = 'Invoke'; // the name of the measured node in every workflow

function itemsNodes(n) {
	return [
		manualTrigger(),
		{
			id: 'rows',
			name: 'Rows',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				mode: 'raw',
				jsonOutput: `={{ JSON.stringify({ rows: Array.from({ length: ${n} }, (_, n) => ({ n })) }) }}`,
				options: {},
			},
		},
		{
			id: 'split',
			name: 'Split',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [400, 0],
			parameters: { fieldToSplitOut: 'rows', options: {} },
		},
	];
}

function chain(names) {
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function workflow(id, name, n, invoker) {
	const nodes = [...itemsNodes(n), invoker];
	return {
		id,
		name,
		nodes,
		connections: chain(nodes.map((node) => node.name)),
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

/**
 * A: this package's node, Function → Invoke, payload = the whole input item, concurrency C; with `batchSize`,
 * Options → Batching with that many items per call (default call size cap).
 */
function lpWorkflow({ id, n, concurrency, uuid, credential, batchSize }) {
	const options = { concurrency };
	if (batchSize) options.batching = { batch: { itemsPerCall: batchSize } };
	return workflow(
		id,
		`bench A n=${n} c=${concurrency}${batchSize ? ` batch=${batchSize}` : ''}`,
		n,
		{
			id: 'invoke',
			name: INVOKER,
			type: LP_TYPE,
			typeVersion: 1,
			position: [600, 0],
			parameters: {
				resource: 'function',
				operation: 'invoke',
				functionId: { __rl: true, mode: 'id', value: uuid },
				payloadMode: 'item',
				options,
			},
			credentials: { livePersonFunctionsApi: { id: credential.id, name: credential.name } },
		},
	);
}

/**
 * D: n8n's HTTP Request node with n8n's generic OAuth2 credential, POSTing the same body. `batching`:
 * {batchSize, batchInterval} (n8n's Options → Batching) or null for no batching option (n8n's default).
 */
function httpWorkflow({ id, n, url, batching, credential }) {
	const options = {};
	if (batching)
		options.batching = {
			batch: { batchSize: batching.batchSize, batchInterval: batching.batchInterval },
		};
	return workflow(id, `bench D n=${n}`, n, {
		id: 'invoke',
		name: INVOKER,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [600, 0],
		parameters: {
			method: 'POST',
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'oAuth2Api',
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ timestamp: Date.now(), headers: [], payload: $json }) }}',
			options,
		},
		credentials: { oAuth2Api: { id: credential.id, name: credential.name } },
	});
}

/** This package's client-credentials credential, fresh: no stored token, no stored hosts. */
function lpCredential(id, emu) {
	return {
		id,
		name: `bench ${id}`,
		type: 'livePersonFunctionsApi',
		data: {
			accountId: emu.accountId,
			clientId: emu.clientId,
			clientSecret: emu.clientSecret,
			hostMode: 'discover',
			domainApiUrl: emu.urls.csds,
		},
	};
}

/** n8n's generic OAuth2 credential: client credentials grant, client authentication in the body. */
function oauth2Credential(id, emu) {
	return {
		id,
		name: `bench ${id}`,
		type: 'oAuth2Api',
		data: {
			grantType: 'clientCredentials',
			accessTokenUrl: `${emu.urls.sentinel}/sentinel/api/account/${emu.accountId}/app/token?v=2.0`,
			clientId: emu.clientId,
			clientSecret: emu.clientSecret,
			scope: '',
			authQueryParameters: '',
			authentication: 'body',
		},
	};
}

module.exports = { INVOKER, lpWorkflow, httpWorkflow, lpCredential, oauth2Credential };

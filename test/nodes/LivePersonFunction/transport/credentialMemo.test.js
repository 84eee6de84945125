'use strict';

/**
 * How often the credential's settings are parsed: once per execution, never per request. The two
 * parsers are wrapped (same behaviour, counted); the node runs against the emulator through the
 * fake of n8n's context, which hands one credential object to preAuthentication and to every
 * authenticate() call of a request, as n8n-core 2.41 does.
 */
jest.mock('../../../../nodes/LivePersonFunction/transport/credentialSettings', () => {
	const actual = jest.requireActual(
		'../../../../nodes/LivePersonFunction/transport/credentialSettings',
	);
	return {
		...actual,
		readCredentialSettings: jest.fn(actual.readCredentialSettings),
		readStoredDomains: jest.fn(actual.readStoredDomains),
	};
});

const {
	readCredentialSettings,
	readStoredDomains,
} = require('../../../../nodes/LivePersonFunction/transport/credentialSettings');
const { tokenHosts } = require('../../../../nodes/LivePersonFunction/transport/credentialMemo');
const {
	LivePersonFunction,
} = require('../../../../nodes/LivePersonFunction/LivePersonFunction.node');
const {
	LivePersonFunctionsApi,
} = require('../../../../credentials/LivePersonFunctionsApi.credentials');
const { startEmulator } = require('../../../../tools/emulator');
const { appCredential } = require('../../../../tools/emulator/credentials');
const { credentialStore, executeNode, makeHttpRequest } = require('../../../helpers/n8nContext');
const { eachTestAsANewProcess, later } = require('../../../helpers/freshProcess');

const DAY_MS = 24 * 3600 * 1000;

const ECHO = '11111111-1111-4111-8111-111111111111';
eachTestAsANewProcess();

let emu;
const seen = [];
beforeAll(async () => {
	emu = await startEmulator({
		functions: [{ uuid: ECHO, name: 'echo', handler: async (input) => input.payload }],
	});
});
afterAll(async () => await emu.stop());

function freshStore() {
	return credentialStore(appCredential(emu));
}

async function countedExecution(store, items) {
	readCredentialSettings.mockClear();
	readStoredDomains.mockClear();
	const invokesBefore = emu.requestsOf('faasGW').length;
	const output = await executeNode(
		new LivePersonFunction(),
		{
			emu,
			store,
			items,
			parameters: {
				resource: 'function',
				operation: 'invoke',
				functionId: { mode: 'id', value: ECHO },
			},
		},
		seen,
	);
	expect(output).toHaveLength(items.length);
	return {
		requests: emu.requestsOf('faasGW').length - invokesBefore,
		settings: readCredentialSettings.mock.calls.length,
		storedHosts: readStoredDomains.mock.calls.length,
	};
}

const itemsOf = (count) => Array.from({ length: count }, (_, id) => ({ json: { id } }));

test('an execution parses the settings once, whatever the number of requests; stored hosts a fixed number of times', async () => {
	const store = freshStore();
	// First execution: discovery and a token (preAuthentication on the execution's own credential object).
	const cold = await countedExecution(store, itemsOf(2));
	later(DAY_MS); // as a new process would: nothing shared in memory from the run before
	const coldMany = await countedExecution(freshStore(), itemsOf(12));
	// Later executions: the stored token and hosts.
	const warm = await countedExecution(store, itemsOf(2));
	const warmMany = await countedExecution(store, itemsOf(12));
	for (const run of [cold, coldMany, warm, warmMany]) expect(run.settings).toBe(1);
	expect([cold.requests, coldMany.requests, warmMany.requests]).toEqual([2, 12, 12]);
	// Nothing per request: the same counts for 2 and for 12 requests.
	expect(coldMany.storedHosts).toBe(cold.storedHosts);
	expect(warmMany.storedHosts).toBe(warm.storedHosts);
	expect(warm.storedHosts).toBeLessThanOrEqual(2);
});

test('preAuthentication from n8n (credential test, HTTP Request node) parses its credential object once', async () => {
	const data = { ...freshStore().data };
	readCredentialSettings.mockClear();
	const helpers = { httpRequest: makeHttpRequest(new (require('https').Agent)({ ca: emu.caPem })) };
	const output = await new LivePersonFunctionsApi().preAuthentication.call({ helpers }, data);
	expect(output.accessToken).toMatch(/^ey/);
	Object.assign(data, output);
	expect(tokenHosts(data)).toEqual([emu.hosts.faasGW, emu.hosts.faasUI]);
	expect(tokenHosts(data)).toEqual([emu.hosts.faasGW, emu.hosts.faasUI]);
	expect(readCredentialSettings).toHaveBeenCalledTimes(1);
});

/** A credential object holding a token issued for its settings, and `stored(host)` to write stored hosts for them. */
function credentialWithToken() {
	const data = { ...freshStore().data, hostMode: 'discover' };
	const settings = jest
		.requireActual('../../../../nodes/LivePersonFunction/transport/credentialSettings')
		.readCredentialSettings(data);
	data.accessTokenInfo = JSON.stringify({ key: settings.tokenKey, skewMs: 0 });
	const stored = (faasGW) =>
		JSON.stringify({ key: settings.hostsKey, discoveredAt: Date.now(), hosts: { faasGW } });
	return { data, stored };
}

test('new stored hosts (a renewal found others) are read again, once', async () => {
	const { data, stored } = credentialWithToken();
	data.domains = stored('gw-one.example');
	expect(tokenHosts(data)).toEqual(['gw-one.example']);
	data.domains = stored('gw-two.example');
	readStoredDomains.mockClear();
	expect(tokenHosts(data)).toEqual(['gw-two.example']);
	expect(tokenHosts(data)).toEqual(['gw-two.example']);
	expect(readStoredDomains).toHaveBeenCalledTimes(1);
});

test('hosts found anew by a renewal during an execution: the hosts the client was opened with keep getting the token', () => {
	const {
		rememberOpenedHosts,
	} = require('../../../../nodes/LivePersonFunction/transport/credentialMemo');
	const { data, stored } = credentialWithToken();
	data.domains = stored('gw-old.example');
	rememberOpenedHosts(data, { faasGW: 'gw-old.example' });
	data.domains = stored('gw-new.example'); // a renewal rediscovered
	expect(tokenHosts(data).sort()).toEqual(['gw-new.example', 'gw-old.example']);
	data.accessTokenInfo = JSON.stringify({ key: 'another-settings', skewMs: 0 });
	expect(tokenHosts(data)).toEqual([]); // a token of other settings goes nowhere
});

'use strict';

/**
 * One real n8n for the end-to-end suite: the pinned n8n from the cache, this package packed and
 * installed the way n8n installs community packages, and the LivePerson emulator it talks to over
 * HTTPS (trusted through NODE_EXTRA_CA_CERTS, as a user trusts a private CA).
 */
const fs = require('fs');
const path = require('path');
const harness = require('../../tools/n8n/harness');
const { startEmulator } = require('../../tools/emulator');
const { e2eFunctions } = require('./functions');

const WORKFLOWS = path.join(__dirname, 'workflows');
const CREDENTIAL = { id: 'lpfE2eCredential', name: 'LivePerson e2e', type: 'livePersonFunctionsApi' };

function credentialData(emu, extra = {}) {
	return {
		accountId: emu.accountId,
		clientId: emu.clients[0].clientId,
		clientSecret: emu.clients[0].clientSecret,
		hostMode: 'discover',
		domainApiUrl: emu.urls.csds,
		...extra,
	};
}

async function startSuite() {
	const emu = await startEmulator({ functions: e2eFunctions() });
	let instance;
	try {
		const tarball = harness.packPackage(path.resolve(__dirname, '../..'));
		// jest sets NODE_ENV=test, which silences n8n's logger (and so --rawOutput): n8n runs as users run it.
		instance = await harness.createInstance({ tarball, env: { NODE_EXTRA_CA_CERTS: emu.caPath, NODE_ENV: 'production' } });
	} catch (error) {
		await emu.stop(); // a failed setup must not leave the emulator keeping jest alive
		throw error;
	}

	/** Imports the credential afresh: no stored token, no stored hosts (a cold start). */
	const resetCredential = (extra) => instance.importCredentials([{ ...CREDENTIAL, data: credentialData(emu, extra) }]);

	const workflow = (name) => JSON.parse(fs.readFileSync(path.join(WORKFLOWS, `${name}.json`), 'utf8'));
	const expected = (name) => JSON.parse(fs.readFileSync(path.join(WORKFLOWS, `${name}.expected.json`), 'utf8'));

	/** Imports and executes a fixture; a failing run prints what n8n said and fails the test. */
	async function execute(name) {
		const definition = workflow(name);
		await instance.importWorkflow(definition);
		const result = await instance.execute(definition.id);
		if (!result.ok) throw new Error(`n8n run of ${name} failed:\n${harness.formatResult(result)}`);
		return result;
	}

	await resetCredential();
	return {
		emu,
		instance,
		execute,
		expected,
		resetCredential,
		outputs: (result, node) => result.runData[node][0].data.main.map((items) => (items ?? []).map((item) => item.json)),
		items: (result, node, output = 0) => result.runData[node][0].data.main[output] ?? [],
		async stop() {
			await instance.cleanup();
			await emu.stop();
		},
	};
}

module.exports = { startSuite, credentialData, CREDENTIAL };

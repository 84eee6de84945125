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
const { appCredential } = require('../../tools/emulator/credentials');
const { e2eFunctions } = require('./functions');

const WORKFLOWS = path.join(__dirname, 'workflows');
const CREDENTIAL = {
	id: 'lpfE2eCredential',
	name: 'LivePerson e2e',
	type: 'livePersonFunctionsApi',
};

/**
 * Starts the emulator (with `emulator` options) and a real n8n with this package, and imports
 * `credentials(emu)`. Everything n8n printed or stored for a run is kept in `seen` for secret scans.
 */
async function startSuite({
	emulator = { functions: e2eFunctions() },
	credentials = (emu) => [{ ...CREDENTIAL, data: appCredential(emu) }],
} = {}) {
	const emu = await startEmulator(emulator);
	let instance;
	let tarball;
	try {
		tarball = harness.packPackage(path.resolve(__dirname, '../..'));
		// jest sets NODE_ENV=test, which silences n8n's logger (and so --rawOutput): n8n runs as users run it.
		instance = await harness
			.createInstance({ tarball, env: { NODE_EXTRA_CA_CERTS: emu.caPath, NODE_ENV: 'production' } })
			.finally(() => harness.removePacked(tarball)); // installed: nothing of it stays in the temp folder
	} catch (error) {
		await emu.stop(); // a failed setup must not leave the emulator keeping jest alive
		throw error;
	}

	/** Imports the credential afresh: no stored token, no stored hosts (a cold start). */
	const resetCredential = (extra) =>
		instance.importCredentials([{ ...CREDENTIAL, data: appCredential(emu, extra) }]);

	const workflow = (name) =>
		JSON.parse(fs.readFileSync(path.join(WORKFLOWS, `${name}.json`), 'utf8'));
	const expected = (name) =>
		JSON.parse(fs.readFileSync(path.join(WORKFLOWS, `${name}.expected.json`), 'utf8'));

	const seen = [];

	/** Imports and runs a fixture with `n8n execute`; resolves to the harness result whatever happened. */
	async function attempt(name) {
		const definition = workflow(name);
		await instance.importWorkflow(definition);
		const result = await instance.execute(definition.id);
		seen.push(result.stdout, result.stderr, result.runData, result.resultData);
		return result;
	}

	/** Same, but a failing run prints what n8n said and fails the test. */
	async function execute(name) {
		const result = await attempt(name);
		if (!result.ok) throw new Error(`n8n run of ${name} failed:\n${harness.formatResult(result)}`);
		return result;
	}

	await instance.importCredentials(credentials(emu));
	return {
		emu,
		instance,
		/** Where the packed tarball was (removed once installed). */
		tarball,
		seen,
		attempt,
		execute,
		expected,
		resetCredential,
		outputs: (result, node) =>
			result.runData[node][0].data.main.map((items) => (items ?? []).map((item) => item.json)),
		items: (result, node, output = 0) => result.runData[node][0].data.main[output] ?? [],
		async stop() {
			await instance.cleanup();
			await emu.stop();
		},
	};
}

/**
 * A signed-in session on a running n8n (`instance.start()`): the owner is created on first use, the
 * session cookie kept like a browser keeps it. Every answer text goes into `seen` for secret scans.
 */
function restSession(serverUrl, seen, browserId = 'e2e-browser') {
	const cookies = new Map();
	const cookieHeader = () => [...cookies].map(([key, value]) => `${key}=${value}`).join('; ');
	const remember = (response) => {
		for (const entry of response.headers.getSetCookie()) {
			const [pair] = entry.split(';');
			const at = pair.indexOf('=');
			cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
		}
	};
	async function rest(method, route, body) {
		const response = await fetch(`${serverUrl}/rest${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': browserId,
				cookie: cookieHeader(),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		remember(response);
		const text = await response.text();
		seen.push(text);
		if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status} ${text}`);
		return JSON.parse(text).data;
	}
	const setupOwner = () =>
		rest('POST', '/owner/setup', {
			email: 'owner@example.com',
			firstName: 'E2e',
			lastName: 'Owner',
			password: 'E2e-owner-password-1',
		});
	return { rest, setupOwner, cookieHeader };
}

module.exports = { startSuite, restSession, CREDENTIAL };

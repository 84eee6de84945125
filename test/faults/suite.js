'use strict';

/**
 * A small sibling of test/e2e/n8n.js startSuite for the fault matrix: the same emulator + real n8n + packed package
 * and the same credential (CREDENTIAL from there, the data from tools/emulator/credentials.js), with two differences:
 *  - the package is built and packed from a private snapshot of the source (nodes/, credentials/, build files;
 *    node_modules linked), so the matrix never touches the repository's dist/ and can run while another build or
 *    the e2e suite runs in the same checkout;
 *  - a failure while starting stops what already started (the emulator), so jest exits.
 * The functions are the matrix's own (matrix.js adds them): the emulator starts with none.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const harness = require('../../tools/n8n/harness');
const { startEmulator } = require('../../tools/emulator');
const { CREDENTIAL } = require('../e2e/n8n');
const { appCredential } = require('../../tools/emulator/credentials');

const REPO = path.resolve(__dirname, '../..');
const SOURCE = [
	'package.json',
	'package-lock.json',
	'tsconfig.json',
	'gulpfile.js',
	'.npmrc',
	'README.md',
	'LICENSE',
	'nodes',
	'credentials',
];

function snapshotSource() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lpf-faults-src-'));
	for (const entry of SOURCE) {
		const from = path.join(REPO, entry);
		if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
	}
	fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	return dir;
}

async function startSuite() {
	const cleanups = [];
	const cleanup = async () => {
		for (const fn of cleanups.reverse()) await fn();
	};
	try {
		const source = snapshotSource();
		cleanups.push(() => fs.rmSync(source, { recursive: true, force: true }));
		const tarball = harness.packPackage(source);
		cleanups.push(() => fs.rmSync(path.dirname(tarball), { recursive: true, force: true }));

		const emu = await startEmulator({ functions: [] });
		cleanups.push(() => emu.stop());
		// jest sets NODE_ENV=test, which silences n8n's logger: n8n runs as users run it (as in test/e2e).
		const instance = await harness.createInstance({
			tarball,
			env: { NODE_EXTRA_CA_CERTS: emu.caPath, NODE_ENV: 'production' },
		});
		cleanups.push(() => instance.cleanup());

		/** Imports the credential afresh: no stored token, no stored hosts (a cold start). */
		const resetCredential = (extra) =>
			instance.importCredentials([{ ...CREDENTIAL, data: appCredential(emu, extra) }]);
		await resetCredential();
		return { emu, instance, resetCredential, stop: cleanup };
	} catch (error) {
		await cleanup();
		throw error;
	}
}

module.exports = { startSuite };

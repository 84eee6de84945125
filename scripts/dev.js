'use strict';

/**
 * The development loop: `npm run dev`. Like the starter's `n8n-node dev`, but with the pinned n8n of this
 * repository (the newest n8n does not install everywhere) and the LivePerson emulator ready:
 * - this repository linked into n8n's custom extensions folder, TypeScript rebuilding dist/ on every change;
 * - n8n with N8N_DEV_RELOAD on, so it reloads the node and credentials after each rebuild;
 * - the emulator with the example functions, a credential pointing at it, and the workflows of examples/.
 * n8n's user folder is kept in the cache folder; the owner account is created on the first run and survives restarts,
 * so the editor (and /types/nodes.json) answer a signed-in browser at once. Ctrl-C stops everything.
 * N8N_PORT chooses the port (default 5678).
 */
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const harness = require('../tools/n8n/harness');
const { editorPort } = require('./editorPort');
const { cacheRoot } = require('../tools/n8n/setup');
const { startEmulator } = require('../tools/emulator');
const { exampleFunctions } = require('../tools/emulator/examples');
const { exampleWorkflows, demoCredentials, DEMO_OWNER, createOwner } = require('./examples');

const ROOT = path.resolve(__dirname, '..');
const PACKAGE = require('../package.json').name;

function linkIntoCustomFolder(userFolder) {
	const modules = path.join(userFolder, '.n8n', 'custom', 'node_modules');
	fs.mkdirSync(modules, { recursive: true });
	const link = path.join(modules, PACKAGE);
	fs.rmSync(link, { recursive: true, force: true });
	fs.symlinkSync(ROOT, link, 'dir');
	return link;
}

async function main() {
	const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (build.status !== 0) throw new Error('npm run build failed');

	const emu = await startEmulator({ functions: exampleFunctions() });
	const userFolder = path.join(cacheRoot(), 'dev-user-folder');
	fs.mkdirSync(userFolder, { recursive: true });
	linkIntoCustomFolder(userFolder);
	const instance = await harness.createInstance({
		userFolder,
		env: { NODE_EXTRA_CA_CERTS: emu.caPath, N8N_DEV_RELOAD: 'true' },
	});
	const children = [];
	const shutdown = async () => {
		for (const child of children) child.kill('SIGTERM');
		await instance.stop();
		await emu.stop();
	};
	try {
		await instance.importCredentials(demoCredentials(emu));
		// n8n names a node loaded from its custom folder CUSTOM.<name>, not <package>.<name> as when installed.
		for (const workflow of exampleWorkflows((text) => text.split(`"${PACKAGE}.`).join('"CUSTOM.')))
			await instance.importWorkflow(workflow);
		// TypeScript's own entry point under this Node (npx would leave a grandchild behind on Ctrl-C).
		const tsc = spawn(
			process.execPath,
			[require.resolve('typescript/bin/tsc'), '--watch', '--preserveWatchOutput'],
			{
				cwd: ROOT,
				stdio: 'inherit',
			},
		);
		children.push(tsc);
		const server = await instance.start({
			port: await editorPort(),
			env: { N8N_DEV_RELOAD: 'true' },
		});
		// The editor usable at once: an owner account (kept with the user folder), not n8n's set-up page.
		const created = await createOwner(server.url);
		console.log(
			`\nn8n is running at ${server.url.replace('127.0.0.1', 'localhost')} with this repository linked (${userFolder}).`,
		);
		console.log(
			created
				? `Sign in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password} (the owner account, created now).`
				: `Sign in with the owner account of ${userFolder} (${DEMO_OWNER.email} / ${DEMO_OWNER.password} if npm run dev created it).`,
		);
		console.log(`Its log: ${server.logFile}`);
		console.log(
			'Change a file under nodes/ or credentials/: TypeScript rebuilds dist/ and n8n reloads the node (refresh the editor).',
		);
		console.log(
			'The examples and an emulator credential are imported. Ctrl-C stops n8n, TypeScript and the emulator.',
		);
		await new Promise((resolve) => {
			process.once('SIGINT', resolve);
			process.once('SIGTERM', resolve);
		});
	} finally {
		await shutdown();
	}
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});

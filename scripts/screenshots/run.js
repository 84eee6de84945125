#!/usr/bin/env node
'use strict';
/**
 * `npm run screenshots`: the README's pictures, taken from the real editor. Starts the LivePerson emulator with the
 * example functions and the pinned n8n with this package, the demo credential and the examples (as `npm run demo`
 * does), creates the owner account, drives the editor headless with Debian's chromium (puppeteer-core, no browser
 * download) and writes docs/images/*.png, made small with pngquant. Then it records a walkthrough (credential, node,
 * run, output) to docs/walkthrough.webm with ffmpeg, which is not committed. `-- --no-video` skips the video.
 * Needs: apt-get install -y chromium pngquant ffmpeg (not part of CI).
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const harness = require('../../tools/n8n/harness');
const { startEmulator } = require('../../tools/emulator');
const { exampleFunctions } = require('../../tools/emulator/examples');
const { exampleWorkflows, demoCredentials, DEMO_CREDENTIAL, createOwner } = require('../examples');
const { openEditor, chromiumPath, pause } = require('./editor');
const { recordWalkthrough } = require('./walkthrough');

const ROOT = path.resolve(__dirname, '..', '..');
const IMAGES = path.join(ROOT, 'docs', 'images');
const VIDEO = path.join(ROOT, 'docs', 'walkthrough.webm');
const ORDERS = { id: 'lpfExampleOrders', node: 'Order total' };
const GREETING = { id: 'lpfExampleGreeting', node: 'Greet' };
const BATCHES = { id: 'lpfExampleBatchGreet', node: 'Greet in batches' };
const AGENT = { id: 'lpfExampleAgent' };

function needTool(command, versionFlag, debianPackage) {
	if (spawnSync(command, [versionFlag], { stdio: 'ignore' }).status === 0) return;
	const missing = new Error(`${command} not found: apt-get install -y ${debianPackage}`);
	missing.stack = missing.message; // the whole story, without a trace
	throw missing;
}

/** pngquant (lossy palette, visually the same for UI pictures), in place. */
function optimize(file) {
	const before = fs.statSync(file).size;
	const r = spawnSync('pngquant', [
		'--force',
		'--skip-if-larger',
		'--strip',
		'--quality=70-95',
		'--output',
		file,
		file,
	]);
	// 98 / 99: the result would not be smaller, or not good enough: the original stays as it is.
	if (r.status !== 0 && r.status !== 98 && r.status !== 99)
		throw new Error(`pngquant failed on ${file}: ${r.stderr}`);
	return { before, after: fs.statSync(file).size };
}

/** The pictures, one function each: what the README shows next to the text about it. */
const PICTURES = {
	async 'canvas.png'(editor, instance) {
		// After a run: the edges say how many items took the main and the error output.
		await editor.openWorkflow(ORDERS.id);
		await editor.runWorkflow(instance, ORDERS.id);
		await editor.page.click('[data-test-id="zoom-out-button"]'); // room around the nodes for the edge labels
		await pause(600);
		return editor.boxOf('[data-test-id="canvas-node"]', {
			top: 40,
			right: 60,
			bottom: 90,
			left: 60,
		});
	},
	async 'agent.png'(editor) {
		// The AI agent example: the node's tool variant under n8n's AI Agent, beside its chat model.
		await editor.openWorkflow(AGENT.id);
		await editor.page.click('[data-test-id="zoom-out-button"]');
		await pause(600);
		return editor.boxOf('[data-test-id="canvas-node"]', {
			top: 40,
			right: 80,
			bottom: 90,
			left: 80,
		});
	},
	async 'parameters.png'(editor) {
		await editor.openWorkflow(GREETING.id);
		await editor.openNode(GREETING.node);
		return editor.boxOf(['[data-test-id="tab-params"]', '[data-test-id="node-parameters"]'], {
			top: 10,
			right: 10,
			bottom: 0,
			left: 10,
		});
	},
	async 'function-picker.png'(editor) {
		// "From list" with a credential that may not list functions: the reason and the advice, nothing to click.
		await editor.openWorkflow(GREETING.id);
		await editor.openNode(GREETING.node);
		await editor.page.click('[data-test-id="rlc-mode-selector"]');
		await editor.page.click('[data-test-id="mode-list"]');
		await pause(400);
		await editor.page.click(
			'[data-test-id="resource-locator-functionId"] [data-test-id="rlc-input"]',
		);
		await editor.page.waitForSelector('[data-test-id="rlc-error-container"]', { timeout: 60000 });
		await pause(600);
		return editor.boxOf(
			['[data-test-id="resource-locator-functionId"]', '[data-test-id="rlc-error-container"]'],
			{ top: 10, right: 10, bottom: 10, left: 10 },
		);
	},
	async 'batching.png'(editor) {
		await editor.openWorkflow(BATCHES.id);
		await editor.openNode(BATCHES.node);
		// The Options collection: the outermost visible parameter that holds Batching's "Items per Call".
		const options = await editor.page.evaluateHandle(() => {
			const holders = [
				...document.querySelectorAll(
					'[data-test-id="node-parameters"] [data-test-id="parameter-item"]',
				),
			].filter((el) => el.offsetParent && el.textContent.includes('Items per Call'));
			return holders.find((el) => !holders.some((other) => other !== el && other.contains(el)));
		});
		await options.scrollIntoView();
		await pause(500);
		const box = await options.boundingBox();
		return { x: box.x - 10, y: box.y - 10, width: box.width + 20, height: box.height + 20 };
	},
	async 'credential.png'(editor) {
		await editor.openCredential(DEMO_CREDENTIAL.id);
		return editor.boxOf('[data-test-id="editCredential-modal"]');
	},
	async 'credential-http-request.png'(editor) {
		// The end of the same form: what the HTTP Request node ("Custom API Call") may do with the credential.
		await editor.openCredential(DEMO_CREDENTIAL.id);
		const form = await editor.boxOf('[data-test-id="editCredential-modal"]');
		await editor.page.mouse.move(form.x + form.width / 2, form.y + form.height / 2);
		await editor.page.mouse.wheel({ deltaY: 2000 });
		await pause(600);
		return editor.boxOf(
			[
				'[data-test-id="editCredential-modal"] [data-test-id="parameter-input-domainApiUrl"]',
				'[data-test-id="editCredential-modal"] [data-test-id="parameter-input-allowedHttpRequestDomains"]',
			],
			{ top: 50, right: 20, bottom: 20, left: 20 },
		);
	},
	async 'error-output.png'(editor, instance) {
		await editor.openWorkflow(BATCHES.id);
		await editor.runWorkflow(instance, BATCHES.id);
		await editor.openNode(BATCHES.node);
		await editor.page.click('[data-test-id="output-panel"] [data-test-id="tab-1"]');
		await pause(800);
		return editor.boxOf(
			[
				'[data-test-id="output-panel"] [data-test-id="run-data-pane-header"]',
				'[data-test-id="output-panel"] table',
			],
			{ top: 10, right: 10, bottom: 10, left: 10 },
		);
	},
};

const VIEWPORTS = {
	'parameters.png': { width: 1280, height: 1400 },
	'batching.png': { width: 1280, height: 1400 },
	'credential.png': { width: 1280, height: 1400 },
	'error-output.png': { width: 1600, height: 800 },
};

async function main() {
	const video = !process.argv.includes('--no-video');
	chromiumPath();
	needTool('pngquant', '--version', 'pngquant');
	if (video) needTool('ffmpeg', '-version', 'ffmpeg');
	const started = Date.now();
	const emu = await startEmulator({ functions: exampleFunctions() });
	const tarball = harness.packPackage(ROOT);
	const instance = await harness
		.createInstance({ tarball, env: { NODE_EXTRA_CA_CERTS: emu.caPath, NODE_ENV: 'production' } })
		.finally(() => harness.removePacked(tarball));
	let editor;
	try {
		await instance.importCredentials(demoCredentials(emu));
		for (const workflow of exampleWorkflows()) await instance.importWorkflow(workflow);
		const server = await instance.start({ port: await harness.freePort() });
		await createOwner(server.url);
		fs.mkdirSync(IMAGES, { recursive: true });

		editor = await openEditor(server.url);
		await editor.signIn();
		for (const [file, take] of Object.entries(PICTURES)) {
			await editor.resize(VIEWPORTS[file] ?? { width: 1280, height: 800 });
			const clip = await take(editor, instance);
			const target = path.join(IMAGES, file);
			await editor.shoot(target, clip);
			const { before, after } = optimize(target);
			console.log(
				`docs/images/${file}: ${Math.round(clip.width)}×${Math.round(clip.height)}, ${(before / 1024).toFixed(0)} KB → ${(after / 1024).toFixed(0)} KB`,
			);
		}
		if (video) {
			await editor.resize({ width: 1280, height: 800 });
			const seconds = await recordWalkthrough(editor, instance, VIDEO, {
				credentialId: DEMO_CREDENTIAL.id,
				workflow: BATCHES,
			});
			console.log(
				`${path.relative(ROOT, VIDEO)}: ${seconds.toFixed(0)} s walkthrough (not committed)`,
			);
		}
		console.log(`screenshots took ${((Date.now() - started) / 1000).toFixed(0)} s`);
	} finally {
		await editor?.close();
		await instance.cleanup();
		await emu.stop();
	}
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});

'use strict';
/**
 * The walkthrough video n8n's verification asks for: the credential passing its test, the node and its options,
 * a run, and the output with an item on the error output. Recorded from the page with puppeteer's screencast
 * (ffmpeg encodes it); the pauses give a viewer time to read.
 */
const fs = require('fs');
const { spawnSync } = require('child_process');
const { pause } = require('./editor');

const READ = 4000; // ms on each view

/** The video's own length, read by decoding it (the streamed WebM carries no duration in its header). */
function videoSeconds(file) {
	const decoded = spawnSync('ffmpeg', ['-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
	const times = [...decoded.stderr.matchAll(/time=(\d+):(\d+):(\d+(?:\.\d+)?)/g)];
	const [, h, m, sec] = times.at(-1) ?? [0, 0, 0, 0];
	return Math.round(Number(h) * 3600 + Number(m) * 60 + Number(sec));
}

async function recordWalkthrough(editor, instance, file, { credentialId, workflow }) {
	const { page } = editor;
	fs.rmSync(file, { force: true });
	await editor.openHome(); // the video starts on the workflow list, not on what the pictures left open
	const recorder = await page.screencast({ path: file, fps: 15 });
	try {
		// 1. The credential: its fields and n8n's test of it.
		await editor.openCredential(credentialId);
		await pause(READ);
		await page.mouse.wheel({ deltaY: 600 });
		await pause(READ);
		await editor.closeCredential();
		// 2. The workflow and the node: parameters, then Options with Batching.
		await editor.openWorkflow(workflow.id);
		await pause(READ);
		await editor.openNode(workflow.node);
		await pause(READ);
		const items = await page.$$('[data-test-id="node-parameters"] [data-test-id="parameter-item"]');
		await items[items.length - 1].scrollIntoView();
		await pause(READ);
		await editor.closeNode();
		// 3. A run, from the editor.
		await editor.runWorkflow(instance, workflow.id);
		await pause(READ);
		// 4. The output: the greetings, then the item on the error output.
		await editor.openNode(workflow.node);
		await pause(READ);
		await page.click('[data-test-id="output-panel"] [data-test-id="tab-1"]');
		await pause(READ * 2);
		await editor.closeNode();
		await pause(1000);
	} finally {
		await recorder.stop();
	}
	return videoSeconds(file);
}

module.exports = { recordWalkthrough };

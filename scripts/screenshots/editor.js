'use strict';
/**
 * The n8n editor driven headless: Debian's chromium through puppeteer-core (which never downloads a browser), signed
 * in as the demo owner, with helpers to open a workflow, a node, a credential and to run a workflow.
 */
const fs = require('fs');
const puppeteer = require('puppeteer-core');
const { DEMO_OWNER } = require('../examples');

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The browser to drive: $CHROMIUM_PATH, or Debian's chromium; a clear message when there is none. */
function chromiumPath() {
	const found = [process.env.CHROMIUM_PATH, ...CHROMIUM_CANDIDATES].find(
		(file) => file && fs.existsSync(file),
	);
	if (!found)
		throw new Error(
			'No chromium found. Install Debian\'s: "apt-get install -y chromium" (or set CHROMIUM_PATH to a Chrome/Chromium binary).',
		);
	return found;
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function openEditor(serverUrl, { width = 1280, height = 800 } = {}) {
	const browser = await puppeteer.launch({
		executablePath: chromiumPath(),
		headless: true,
		// root in a container: chromium's sandbox needs user namespaces it may not have
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=en-US'],
		defaultViewport: { width, height, deviceScaleFactor: 1 },
	});
	const page = await browser.newPage();
	page.setDefaultTimeout(30000);

	const editor = {
		browser,
		page,
		async signIn() {
			await page.goto(`${serverUrl}/signin`, { waitUntil: 'networkidle2' });
			await page.type('input[type=email]', DEMO_OWNER.email);
			await page.type('input[type=password]', DEMO_OWNER.password);
			await Promise.all([
				page.waitForNavigation({ waitUntil: 'networkidle2' }),
				page.click('[data-test-id="form-submit-button"]'),
			]);
		},
		async resize(size) {
			await page.setViewport({ deviceScaleFactor: 1, ...size });
		},
		async openHome() {
			await page.goto(`${serverUrl}/home/workflows`, { waitUntil: 'networkidle2' });
		},
		async openWorkflow(id) {
			await page.goto(`${serverUrl}/workflow/${id}`, { waitUntil: 'networkidle2' });
			await page.waitForSelector('[data-test-id="canvas-node"]');
			await pause(800); // the canvas fits the view after the nodes appear
		},
		node: (name) => `[data-test-id="canvas-node"][data-node-name="${name}"]`,
		async openNode(name) {
			await page.click(editor.node(name), { count: 2 });
			await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]');
			await pause(600);
		},
		async closeNode() {
			await page.click('[data-test-id="ndv-close-button"]');
			await pause(400);
		},
		/** Runs the open workflow from the editor; resolves once n8n stored the finished execution. */
		async runWorkflow(instance, workflowId) {
			const since = new Date(Date.now() - 1000);
			await page.click('[data-test-id="execute-workflow-button"]');
			for (let waited = 0; waited < 60000; waited += 500) {
				const run = instance.lastExecution(workflowId, { since });
				if (run?.finished || (run && run.status !== 'running' && run.status !== 'new')) {
					await pause(1000); // the editor draws the run's counts
					return run;
				}
				await pause(500);
			}
			throw new Error(`the run of ${workflowId} did not finish within 60 s`);
		},
		async openCredential(id) {
			await page.goto(`${serverUrl}/home/credentials/${id}`, { waitUntil: 'networkidle2' });
			await page.waitForSelector('[data-test-id="credentials-config-container-test-success"]', {
				timeout: 60000,
			});
			await pause(500);
		},
		async closeCredential() {
			await page.keyboard.press('Escape');
			await pause(400);
		},
		/** The box of an element (or the union of several), padded, kept inside the viewport. */
		async boxOf(selectors, pad = { top: 0, right: 0, bottom: 0, left: 0 }) {
			// every side padded by its own amount (pictures keep what sits around the element, e.g. edge labels)
			const boxes = [];
			for (const selector of [].concat(selectors)) {
				for (const handle of await page.$$(selector)) {
					const box = await handle.boundingBox();
					if (box) boxes.push(box);
				}
			}
			if (!boxes.length) throw new Error(`nothing on the page matches ${selectors}`);
			const view = page.viewport();
			const left = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad.left);
			const top = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad.top);
			const right = Math.min(view.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad.right);
			const bottom = Math.min(
				view.height,
				Math.max(...boxes.map((b) => b.y + b.height)) + pad.bottom,
			);
			return { x: left, y: top, width: right - left, height: bottom - top };
		},
		async shoot(file, clip) {
			await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
		},
		async close() {
			await browser.close();
		},
	};
	return editor;
}

module.exports = { openEditor, chromiumPath, pause };

'use strict';

const harness = require('../tools/n8n/harness');

/** The port for n8n's editor: N8N_PORT or 5678, refused with a clear message when something already listens there. */
async function editorPort() {
	const asked = Number(process.env.N8N_PORT);
	const port = Number.isInteger(asked) && asked >= 1 && asked <= 65535 ? asked : 5678;
	if (!(await harness.isPortFree(port))) {
		const busy = new Error(
			`Port ${port} is in use (another n8n?). Stop it, or choose another port: N8N_PORT=5679 npm run ...`,
		);
		busy.stack = busy.message; // printed as the whole story, without a trace
		throw busy;
	}
	return port;
}

module.exports = { editorPort };

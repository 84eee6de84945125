'use strict';

/**
 * Cancelling an execution in real n8n: a production webhook starts 20 invocations of a slow function one at a
 * time; after a few have reached the gateway, the execution is stopped through n8n's REST API (what the editor's
 * Stop button calls). n8n aborts the execution's signal: the call in flight is aborted and no further item is sent.
 */
const harness = require('../../tools/n8n/harness');
const { startSuite, restSession, CREDENTIAL } = require('./n8n');
const { e2eFunctions } = require('./functions');
const { webhookWorkflow } = require('../queue/workflow');
const { leakedSecrets } = require('../helpers/secrets');

const SLOW = 'e2e0c000-0000-4000-8000-000000000001';
const ORDERS = 20;
const WORKFLOW = webhookWorkflow({
	id: 'lpfE2eCancel',
	webhookPath: 'e2e-cancel',
	functionUuid: SLOW,
	credential: CREDENTIAL,
	concurrency: 1,
});

let suite;
let server;
let session;

beforeAll(async () => {
	suite = await startSuite({
		emulator: {
			functions: [
				...e2eFunctions(),
				{
					uuid: SLOW,
					name: 'slow-order',
					latencyMs: 400,
					handler: async (input) => ({ id: input.payload.id }),
				},
			],
		},
	});
	await suite.instance.importWorkflow(WORKFLOW);
	const published = await suite.instance.run(['publish:workflow', `--id=${WORKFLOW.id}`]);
	if (published.code !== 0)
		throw new Error(`publish:workflow failed:\n${published.stdout}\n${published.stderr}`);
	server = await suite.instance.start({ port: await harness.freePort() });
	session = restSession(server.url, suite.seen);
	await session.setupOwner();
});

afterAll(async () => {
	if (suite) expect(leakedSecrets(suite.emu, suite.seen)).toEqual([]);
	await suite?.instance.stop();
	await suite?.stop();
});

const invokes = () => suite.emu.requestsOf('faasGW').filter((r) => r.path.endsWith('/invoke'));
const waitFor = async (what, condition, timeoutMs = 60000) => {
	const t0 = Date.now();
	while (!(await condition())) {
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
};

async function executionsOfWorkflow() {
	const data = await session.rest(
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW.id }))}`,
	);
	return data.results ?? data;
}

test('stopping the execution after 3 invocations: the one in flight is aborted, nothing more reaches the gateway', async () => {
	const orders = Array.from({ length: ORDERS }, (_, id) => ({ id }));
	let answered;
	let call;
	// n8n registers production webhooks shortly after it reports ready: a 404 "not registered" started nothing.
	for (let tries = 0; tries < 60; tries++) {
		answered = undefined;
		call = fetch(`${server.url}/webhook/e2e-cancel`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ orders }),
		})
			.then(async (response) => ({ status: response.status, text: await response.text() }))
			.catch((error) => ({ status: 0, text: String(error) }))
			.then((answer) => (answered = answer));
		await waitFor(
			'an invocation or an answer',
			() => answered !== undefined || invokes().length > 0,
		);
		if (answered?.status !== 404) break;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}

	await waitFor('3 invocations at the gateway', () => {
		if (answered && invokes().length < 3)
			throw new Error(`the webhook answered first: ${answered.status} ${answered.text}`);
		return invokes().length >= 3;
	});
	let running;
	await waitFor('the running execution in the list', async () => {
		running = (await executionsOfWorkflow()).find((execution) => execution.status === 'running');
		return running !== undefined;
	});
	const sentAtStop = invokes().length;
	await session.rest('POST', `/executions/${running.id}/stop`);

	await waitFor('the execution to end', async () => {
		const execution = (await executionsOfWorkflow()).find((e) => e.id === running.id);
		return execution && execution.status !== 'running' && execution.status !== 'new';
	});
	const ended = (await executionsOfWorkflow()).find((e) => e.id === running.id);
	await call;
	suite.seen.push(answered.text);
	// Long enough for several more 400 ms invocations, had any been started.
	await new Promise((resolve) => setTimeout(resolve, 2000));
	const sent = invokes().length;
	expect(ended.status).toBe('canceled');
	expect(sent).toBeLessThanOrEqual(sentAtStop + 1);
	expect(sent).toBeLessThan(ORDERS);
});

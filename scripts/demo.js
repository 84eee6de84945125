#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: the node working in real n8n, with no LivePerson account. Builds and packs this
 * package, starts the LivePerson emulator with example functions, sets up the pinned n8n with the
 * package and a credential pointing at the emulator, runs the workflows in examples/ and prints what
 * each LivePerson Function node sent and got back. Then it lists functions with the same (client credentials)
 * credential, which LivePerson's listing refuses to app tokens (the emulator's default, as LivePerson's own client
 * lists with a user login), and prints what the node says then: what a user of the Function picker meets first.
 * `npm run demo -- --ui` then keeps n8n running at http://localhost:5678 with everything imported.
 */
const path = require('path');
const harness = require('../tools/n8n/harness');
const { editorPort } = require('./editorPort');
const { startEmulator } = require('../tools/emulator');
const { exampleFunctions } = require('../tools/emulator/examples');
const {
	exampleWorkflows,
	demoCredentials,
	DEMO_CREDENTIAL,
	DEMO_OWNER,
	createOwner,
} = require('./examples');
const { isAgentWorkflow, startAgentModel, printConversation } = require('./demoAgent');

const ROOT = path.resolve(__dirname, '..');
const NODE_TYPE = 'n8n-nodes-liveperson-functions.livePersonFunction';
const ui = process.argv.includes('--ui');

const compact = (value) => JSON.stringify(value);

/** Get Many with the demo's app credential, continuing on failure so the node's own refusal text is the output. */
const LIST_WITH_APP = {
	id: 'lpfDemoListWithApp',
	name: 'Demo: list functions with the app credential',
	nodes: [
		harness.manualTrigger(),
		{
			id: 'list',
			name: 'List functions',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'function', operation: 'getMany', returnAll: true, filters: {} },
			credentials: {
				livePersonFunctionsApi: { id: DEMO_CREDENTIAL.id, name: DEMO_CREDENTIAL.name },
			},
			onError: 'continueRegularOutput',
		},
	],
	connections: { Start: { main: [[{ node: 'List functions', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

function printListing(result, emu) {
	console.log('\n=== Listing functions with the app (client credentials) credential');
	const [item] = result.runData['List functions']?.[0]?.data.main[0] ?? [];
	const refused = emu.requestsOf('faasUI').map((request) => request.status);
	if (item?.json.error) {
		const { message, description } = item.json.error;
		console.log(`LivePerson's listing answered HTTP ${refused.join(', ')}; the node says:`);
		console.log(`  ${message}${description ? `\n  ${description}` : ''}`);
		console.log(
			'The Function picker ("From list") says the same under "Could not load list": switch to "By ID" and paste the UUID (the examples do).',
		);
	} else {
		console.log(`  listed: ${compact(item?.json)}`);
	}
}

/** "3 calls carried 5, 5 and 2 items": what Batching did, from the invocations LivePerson saw. */
function batchCalls(emu) {
	const sizes = emu
		.requestsOf('faasGW')
		.filter((request) => request.body?.headers?.some?.((h) => h.key === 'X-N8N-Batch'))
		.map((request) => request.body.payload.items.length)
		.sort((a, b) => b - a); // calls run side by side: largest first reads as the items came
	if (!sizes.length) return 'no batch call';
	const list =
		sizes.length === 1 ? `${sizes[0]}` : `${sizes.slice(0, -1).join(', ')} and ${sizes.at(-1)}`;
	return `${sizes.length === 1 ? '1 call' : `${sizes.length} calls`} carried ${list} items`;
}

function printRun(workflow, result, emu) {
	console.log(`\n=== ${workflow.name}`);
	for (const node of workflow.nodes.filter((n) => n.type === NODE_TYPE)) {
		const run = result.runData[node.name]?.[0];
		if (!run) continue;
		const source = run.source?.[0]?.previousNode;
		const inputs = source ? result.runData[source][0].data.main[0].map((item) => item.json) : [];
		const batching = node.parameters.options?.batching?.batch;
		const calls = batching ? batchCalls(emu) : null; // Batching on: how the items went
		console.log(
			`--- node "${node.name}" (${inputs.length} items in${calls ? `; Batching, ${batching.itemsPerCall ?? 10} per call: ${calls}` : ''})`,
		);
		const [main = [], failed = []] = run.data.main;
		const byInput = new Map();
		for (const item of main) byInput.set(item.pairedItem.item, `  → ${compact(item.json)}`);
		for (const item of failed) {
			const { message, code } = item.json.error;
			byInput.set(item.pairedItem.item, `  ✗ error output: ${message}${code ? ` (${code})` : ''}`);
		}
		inputs.forEach((input, index) => {
			console.log(`item ${index}: ${compact(input)}`);
			console.log(byInput.get(index) ?? '  (no output)');
		});
	}
}

async function main() {
	const started = Date.now();
	// Found before anything runs: a busy editor port is said at once, not after the examples.
	const port = ui ? await editorPort() : null;
	const emu = await startEmulator({ functions: exampleFunctions() });
	console.log(`LivePerson emulator: Domain API ${emu.urls.csds}, account ${emu.accountId}`);
	const agentModel = await startAgentModel();
	console.log(
		`Scripted chat model (OpenAI-compatible, for the AI agent example): ${agentModel.model.url}`,
	);
	const tarball = harness.packPackage(ROOT);
	const instance = await harness
		.createInstance({ tarball, env: { NODE_EXTRA_CA_CERTS: emu.caPath, NODE_ENV: 'production' } })
		.finally(() => harness.removePacked(tarball));
	const shutdown = async () => {
		await instance.cleanup();
		await agentModel.stop();
		await emu.stop();
	};
	try {
		await instance.importCredentials([...demoCredentials(emu), agentModel.credential]);
		let failures = 0;
		const seen = { csds: 0, sentinel: 0, faasGW: 0 };
		const count = () => {
			for (const service of Object.keys(seen)) seen[service] += emu.requestsOf(service).length;
			emu.clearLog();
		};
		for (const workflow of exampleWorkflows()) {
			await instance.importWorkflow(workflow);
			const result = await instance.execute(workflow.id);
			if (!result.ok) {
				failures++;
				console.error(`\n=== ${workflow.name} FAILED\n${harness.formatResult(result)}`);
			} else if (isAgentWorkflow(workflow)) printConversation(workflow, result, agentModel);
			else printRun(workflow, result, emu);
			count();
		}
		await instance.importWorkflow(LIST_WITH_APP);
		const listing = await instance.execute(LIST_WITH_APP.id);
		if (listing.ok) printListing(listing, emu);
		else {
			failures++;
			console.error(`\n=== ${LIST_WITH_APP.name} FAILED\n${harness.formatResult(listing)}`);
		}
		console.log(
			`\nLivePerson saw ${seen.csds} Domain API, ${seen.sentinel} token and ${seen.faasGW} invoke requests for the examples; demo took ${((Date.now() - started) / 1000).toFixed(1)} s.`,
		);
		if (failures) process.exitCode = 1;
		if (!ui && !failures) {
			console.log('\nTo open these workflows in the n8n editor: npm run demo -- --ui');
		}
		if (!ui || failures) return await shutdown();

		const server = await instance.start({ port });
		await createOwner(server.url);
		console.log(
			`\nn8n is running at ${server.url.replace('127.0.0.1', 'localhost')} with the examples and the demo credential imported.`,
		);
		console.log(
			`Sign in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}, open a workflow and click "Execute workflow". Ctrl-C stops n8n and the emulator.`,
		);
		await new Promise((resolve) => {
			process.once('SIGINT', resolve);
			process.once('SIGTERM', resolve);
		});
		await shutdown();
	} catch (error) {
		await shutdown();
		throw error;
	}
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});

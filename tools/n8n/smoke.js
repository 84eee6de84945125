#!/usr/bin/env node
'use strict';
// Proves the real-n8n harness works: sets up (or reuses) the pinned n8n, runs a tiny workflow headless in a fresh
// instance and checks its output. With --package (or N8N_SMOKE_PACKAGE=1) it also builds + packs this package,
// installs it like a community package and checks that n8n loads its node type.
//
//   node tools/n8n/smoke.js [--package] [--repo=<dir>]   (--repo: pack another checkout, e.g. a copy)

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const {
	ensureN8n,
	createInstance,
	packPackage,
	nodeOutput,
	nodeItems,
	formatResult,
	manualTrigger,
} = require('./harness');

const repoArg = process.argv.find((a) => a.startsWith('--repo='));
const REPO = repoArg
	? path.resolve(repoArg.slice('--repo='.length))
	: path.resolve(__dirname, '..', '..');
const PKG = 'n8n-nodes-liveperson-functions';
const NODE_TYPE = `${PKG}.livePersonFunction`;
const timings = {};

function timed(label, fn) {
	const t0 = Date.now();
	const out = fn();
	const done = () => (timings[label] = Date.now() - t0);
	return out && typeof out.then === 'function' ? out.finally(done) : (done(), out);
}

// Manual Trigger -> Set (two fields) -> NoOp: the NoOp's output must be exactly the Set's values.
const SMOKE_WORKFLOW = {
	id: 'harnessSmoke01',
	name: 'harness smoke',
	active: false,
	nodes: [
		manualTrigger({ id: 'a1' }),
		{
			id: 'a2',
			name: 'Set',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				assignments: {
					assignments: [
						{ id: 'f1', name: 'greeting', value: 'hello from n8n', type: 'string' },
						{ id: 'f2', name: 'answer', value: '={{ 6 * 7 }}', type: 'number' },
					],
				},
				options: {},
			},
		},
		{
			id: 'a3',
			name: 'Done',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [440, 0],
			parameters: {},
		},
	],
	connections: {
		Start: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
		Set: { main: [[{ node: 'Done', type: 'main', index: 0 }]] },
	},
	settings: {},
};

async function runWorkflow(instance, workflow) {
	await timed(`import ${workflow.id}`, () => instance.importWorkflow(workflow));
	const result = await timed(`execute ${workflow.id}`, () => instance.execute(workflow.id));
	return result;
}

async function baseSmoke() {
	const instance = await createInstance();
	try {
		const result = await runWorkflow(instance, SMOKE_WORKFLOW);
		if (!result.ok) throw new Error(`smoke workflow failed:\n${formatResult(result)}`);
		const out = nodeOutput(result.runData, 'Done');
		console.log('Done output:', JSON.stringify(out));
		console.log(
			'Done pairedItem:',
			JSON.stringify(nodeItems(result.runData, 'Done').map((i) => i.pairedItem)),
		);
		assert.deepStrictEqual(out, [{ greeting: 'hello from n8n', answer: 42 }]);
	} finally {
		await instance.cleanup();
	}
}

// Our node in a workflow, with no parameters and no credential: n8n must load the package (it logs that at debug
// level) and know the node type (an unknown type fails with "Unrecognized node type"). The run itself is expected
// to fail on the missing parameters; that error also shows n8n read our node's description.
async function packageSmoke() {
	const tarball = timed('npm build + pack', () => packPackage(REPO));
	console.log('packed', tarball);
	const instance = await timed('create instance with package', () => createInstance({ tarball }));
	try {
		console.log('installed', instance.package);
		const wf = {
			id: 'harnessSmokePkg1',
			name: 'harness smoke package',
			active: false,
			nodes: [
				manualTrigger({ id: 'b1' }),
				{
					id: 'b2',
					name: 'LivePerson',
					type: NODE_TYPE,
					typeVersion: 1,
					position: [220, 0],
					parameters: {},
				},
			],
			connections: { Start: { main: [[{ node: 'LivePerson', type: 'main', index: 0 }]] } },
			settings: {},
		};
		await timed('import harnessSmokePkg1', () => instance.importWorkflow(wf));
		const result = await timed('execute harnessSmokePkg1', () =>
			instance.execute(wf.id, { env: { N8N_LOG_LEVEL: 'debug' } }),
		);
		const text = formatResult(result);
		const loaded = result.logs.some(
			(e) => e.message === `Loaded all credentials and nodes from ${PKG}`,
		);
		console.log(`${text.split('\n').slice(0, 4).join('\n')}\npackage loaded: ${loaded}`);
		if (!loaded || /Unrecognized node type/i.test(text))
			throw new Error(`n8n did not load ${NODE_TYPE}:\n${text}`);
		console.log(`node type ${NODE_TYPE} is loaded by n8n`);
	} finally {
		await instance.cleanup();
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
}

async function main() {
	const withPackage = process.argv.includes('--package') || process.env.N8N_SMOKE_PACKAGE === '1';
	timed('setup (first call: cold or reused cache)', () => ensureN8n());
	timed('setup (warm reuse)', () => ensureN8n());
	await baseSmoke();
	if (withPackage) await packageSmoke();
	console.log('timings (ms):', JSON.stringify(timings, null, 2));
	console.log('smoke: OK');
}

main().catch((e) => {
	console.error(`smoke: FAILED\n${e.stack || e}`);
	if (Object.keys(timings).length) console.error('timings (ms):', JSON.stringify(timings, null, 2));
	process.exit(1);
});

'use strict';

/**
 * The machinery of the fault matrix: runs one row (emulator fault + one `n8n execute` of a 20-item fixture),
 * observes what n8n and the emulator saw, checks what every row must hold, and prints the matrix.
 *
 * Every fixture's LivePerson Function node invokes, for item n, its own function fa000000-0000-4000-8000-<n, 12
 * digits> (an expression on the Function parameter), so faults can target single items (`match: {uuid}`) and the
 * emulator's per-function run counter is a per-item run counter.
 */
const fs = require('fs');
const net = require('net');
const path = require('path');
const { formatResult } = require('../../tools/n8n/harness');
const { leakedSecrets } = require('../helpers/secrets');
const { userTokens } = require('../helpers/userTokens');
const { userCredential } = require('../../tools/emulator/credentials');

const ITEMS = 20;
const NODE = 'LivePerson Function';
const WORKFLOWS = path.join(__dirname, 'workflows');
const FIXTURES = [
	'twenty',
	'twenty-opt-in',
	'twenty-timeout',
	'twenty-v2',
	'twenty-expressions',
	'twenty-oauth2',
	'twenty-batch',
];
/** The user (OAuth2) credential of twenty-oauth2.json, connected at setup with the emulator's user tokens. */
const OAUTH2_CREDENTIAL = {
	id: 'lpfFaultsOAuth2',
	name: 'LivePerson OAuth2 faults',
	type: 'livePersonFunctionsOAuth2Api',
};

const uuidOf = (n) => `fa000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const itemOfPath = (p) => {
	const m = /\/lambdas\/fa000000-0000-4000-8000-(\d{12})\/invoke$/.exec(p);
	return m ? Number(m[1]) : null;
};
const normalFunction = (n) => ({
	uuid: uuidOf(n),
	name: `item-${n}`,
	handler: async (input) => ({ n: input.payload.n }),
});
const range = (count) => Array.from({ length: count }, (_, n) => n);

/**
 * The batch fixture (twenty-batch) sends every item to one batch-aware function, 5 items per call. It counts
 * runs per item (so `o.runs` means the same in batch rows) and per call, and misbehaves as a row asks:
 * `answers` (a queue: 'short' = one result too few for the next call), `failures` (items whose element is an
 * error).
 */
const BATCH_UUID = 'fb000000-0000-4000-8000-000000000000';
const batchState = { runs: new Array(ITEMS).fill(0), calls: 0, answers: [], failures: new Set() };
function resetBatchState() {
	batchState.runs.fill(0);
	batchState.calls = 0;
	batchState.answers.length = 0;
	batchState.failures.clear();
}
const batchFunction = () => ({
	uuid: BATCH_UUID,
	name: 'batch-items',
	handler: async (input) => {
		const items = input.payload.items;
		batchState.calls += 1;
		for (const item of items) batchState.runs[item.n] += 1;
		if (batchState.answers.shift() === 'short')
			return items.slice(1).map((item) => ({ result: item }));
		return items.map((item) =>
			batchState.failures.has(item.n)
				? { error: { message: `item ${item.n} failed` } }
				: { result: { n: item.n } },
		);
	},
});
/** The items a logged batch call carried. */
const itemsOfBatch = (request) => (request.body?.payload?.items ?? []).map((item) => item.n);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const loadWorkflow = (name) =>
	JSON.parse(fs.readFileSync(path.join(WORKFLOWS, `${name}.json`), 'utf8'));

function pairedIndex(item) {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	if (typeof paired === 'number') return paired;
	return paired && typeof paired.item === 'number' ? paired.item : null;
}

const isAscending = (list) => list.every((value, i) => i === 0 || list[i - 1] < value);
const list = (numbers) => (numbers.length ? numbers.join(',') : 'none');

/** Collects failed checks instead of throwing at the first one, so the matrix can say what was observed. */
function checker() {
	const failures = [];
	const c = {
		failures,
		ok(condition, label, detail) {
			if (!condition) failures.push(detail === undefined ? label : `${label} (${detail})`);
			return Boolean(condition);
		},
		eq(actual, expected, label) {
			const a = JSON.stringify(actual);
			const e = JSON.stringify(expected);
			return c.ok(a === e, label, `expected ${e}, observed ${a}`);
		},
	};
	return c;
}

/** Everything a row can look at after its run. */
function observe(emu, result) {
	const outputs = result.runData?.[NODE]?.[0]?.data?.main ?? [];
	const main = outputs[0] ?? [];
	const errors = outputs[1] ?? [];
	const downstream = (node) => result.runData?.[node]?.[0]?.data?.main?.[0] ?? [];
	const invokes = emu
		.requestsOf('faasGW')
		.filter((r) => r.method === 'POST' && r.path.endsWith('/invoke'));
	const o = {
		result,
		main,
		errors,
		succeeded: downstream('Succeeded'),
		failed: downstream('Failed'),
		runs: range(ITEMS).map((n) => emu.runCount(uuidOf(n)) + batchState.runs[n]),
		batchCalls: batchState.calls,
		invokes,
		invokesOf: (n) =>
			invokes.filter((r) => itemOfPath(r.path) === n || itemsOfBatch(r).includes(n)),
		tokenRequests: emu.requestsOf('sentinel').filter((r) => r.path.endsWith('/app/token')),
		csdsRequests: emu.requestsOf('csds'),
		mainOf: (n) => main.find((item) => pairedIndex(item) === n)?.json,
		errorOf: (n) => errors.find((item) => pairedIndex(item) === n)?.json?.error,
		errorItems: () => errors.map(pairedIndex),
		mainItems: () => main.map(pairedIndex),
		attemptsOf: (n) => o.mainOf(n)?.invocation?.attempts ?? o.errorOf(n)?.attempts,
		leaked: leakedSecrets(emu, result.stdout, result.stderr, result.runData),
	};
	return o;
}

/** (1) one output item per input item, in order; (2) no function ran twice unless opted in; (3) no secret leaked. */
function commonChecks(c, o, row, emu) {
	c.ok(
		o.result.ok,
		'n8n ran the workflow to its end',
		formatResult(o.result).split('\n').slice(0, 4).join(' | '),
	);
	const mainIdx = o.mainItems();
	const errIdx = o.errorItems();
	c.ok(isAscending(mainIdx), 'main output in input order (pairedItem)', list(mainIdx));
	c.ok(isAscending(errIdx), 'error output in input order (pairedItem)', list(errIdx));
	c.eq(
		[...mainIdx, ...errIdx].sort((a, b) => a - b),
		range(ITEMS),
		'exactly one output item per input item',
	);
	c.eq(o.succeeded.length, o.main.length, '"Succeeded" got every main item');
	c.eq(o.failed.length, o.errors.length, '"Failed" got every error item');
	const mismatched = o.main
		.filter((item) => item.json.n !== undefined && item.json.n !== pairedIndex(item))
		.map(pairedIndex);
	c.eq(mismatched, [], 'each main item is the answer of its own input item');
	const twice = range(ITEMS).filter((n) => o.runs[n] > 1);
	if (!row.optIn) c.eq(twice, [], 'no function ran twice');
	const secrets = new Set(emu.secrets());
	c.ok(
		o.leaked.length === 0,
		'no secret or token in outputs, errors or logs',
		`${o.leaked.length} of ${secrets.size} found`,
	);
}

/** The generic "observed" text: where the items went, why they failed, how often functions ran, what was asked. */
function summarize(o) {
	const parts = [`main ${o.main.length}, error ${o.errors.length}`];
	const kinds = new Map();
	for (const item of o.errors) {
		const error = item.json.error ?? {};
		const key = `${error.kind}${error.httpStatus ? ` ${error.httpStatus}` : ''}`;
		if (!kinds.has(key)) kinds.set(key, { items: [], attempts: new Set() });
		kinds.get(key).items.push(pairedIndex(item));
		kinds.get(key).attempts.add(error.attempts);
	}
	for (const [kind, { items, attempts }] of kinds) {
		const counted = [...attempts].filter((a) => a !== undefined);
		const how = counted.length
			? ` (attempts ${counted.join('/')})`
			: ' (failed before any invocation)';
		parts.push(`${kind} on ${items.length === ITEMS ? 'all' : `items ${list(items)}`}${how}`);
	}
	const retried = o.main.filter((item) => (item.json.invocation?.attempts ?? 1) > 1);
	if (retried.length) {
		const attempts = [...new Set(retried.map((item) => item.json.invocation.attempts))].join('/');
		parts.push(`retried ok: items ${list(retried.map(pairedIndex))} (attempts ${attempts})`);
	}
	const histogram = new Map();
	for (const count of o.runs) histogram.set(count, (histogram.get(count) ?? 0) + 1);
	const ran = [...histogram.entries()]
		.sort((a, b) => b[0] - a[0])
		.map(([count, fns]) => `${fns}x${count}`);
	parts.push(`runs per item: ${ran.join(' ')}`);
	parts.push(
		`requests: invoke ${o.invokes.length}, token ${o.tokenRequests.length}, CSDS ${o.csdsRequests.length}`,
	);
	return parts.join('; ');
}

/** A TCP listener on a downed service's port: counts connection attempts, drops each at once. */
async function portSpy(host) {
	const port = Number(host.split(':').pop());
	let connections = 0;
	const sockets = new Set();
	const server = net.createServer((socket) => {
		connections += 1;
		sockets.add(socket);
		socket.destroy();
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	return {
		get connections() {
			return connections;
		},
		close: () =>
			new Promise((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

/**
 * Runs rows against one suite (test/e2e/n8n.js startSuite: emulator + n8n with the packed package) and keeps the
 * matrix. Credential states: 'cold' (imported afresh: no token, no hosts), 'warm' (used once: token and
 * discovered hosts stored by n8n), 'manual' (hosts entered by hand), 'unknown'.
 */
function createMatrix() {
	const records = [];
	let suite;
	let credential = 'unknown';

	async function setup(startedSuite) {
		suite = startedSuite;
		credential = 'cold'; // startSuite imports the credential cold
		for (const n of range(ITEMS)) suite.emu.addFunction(normalFunction(n));
		suite.emu.addFunction(batchFunction());
		const oauthTokenData = await userTokens(suite.emu);
		await suite.instance.importCredentials([
			{ ...OAUTH2_CREDENTIAL, data: userCredential(suite.emu, { oauthTokenData }) },
		]);
		await suite.instance.importWorkflow(FIXTURES.map(loadWorkflow)); // one n8n process for all fixtures
	}

	async function execute(name) {
		return await suite.instance.execute(loadWorkflow(name).id);
	}

	function resetEmulator() {
		const { emu } = suite;
		emu.clearFaults();
		emu.setPlatform('v1');
		for (const service of ['sentinel', 'faasGW', 'faasUI']) emu.setServiceHost(service, undefined);
		emu.clock.reset();
		for (const n of range(ITEMS)) emu.addFunction(normalFunction(n));
		resetBatchState();
	}

	async function servicesUp() {
		for (const service of ['csds', 'sentinel', 'faasGW', 'faasUI']) {
			if (!suite.emu.isServiceUp(service)) await suite.emu.setServiceDown(service, false);
		}
	}

	/** Brings the credential into the state a row needs; a warm-up is a fault-free run of the base fixture. */
	async function prepareCredential(wanted) {
		if (wanted && typeof wanted === 'object') {
			await suite.resetCredential(wanted.manual(suite.emu));
			credential = 'manual';
			return;
		}
		// A failed row (no token answered) leaves a cold credential cold: n8n stores token and hosts only together.
		if (
			(wanted === 'cold' && credential !== 'cold') ||
			credential === 'manual' ||
			credential === 'unknown'
		) {
			await suite.resetCredential();
			credential = 'cold';
		}
		if (wanted === 'warm' && credential !== 'warm') {
			suite.emu.clearLog();
			const warmUp = await execute('twenty');
			const o = observe(suite.emu, warmUp);
			if (!warmUp.ok || o.main.length !== ITEMS || o.tokenRequests.length !== 1) {
				throw new Error(`warm-up run failed: ${summarize(o)}\n${formatResult(warmUp)}`);
			}
			if (o.leaked.length) throw new Error('warm-up run leaked a secret');
			credential = 'warm';
		}
	}

	/**
	 * row: { fault, expected, workflow = 'twenty', credential = 'any', optIn, leavesTokensRevoked, setup(ctx),
	 * during(ctx, isFinished), check(c, o, ctx) → extra observed text }. ctx: { emu, uuidOf, batch (the batch
	 * function's counters and requests), defer(fn), note }.
	 */
	async function run(row) {
		const record = {
			fault: row.fault,
			expected: row.expected,
			observed: 'not run',
			pass: false,
			failures: [],
			ms: 0,
		};
		records.push(record);
		const t0 = Date.now();
		const deferred = [];
		const ctx = {
			emu: suite.emu,
			uuidOf,
			batch: batchState,
			defer: (fn) => deferred.push(fn),
			note: {},
		};
		try {
			await prepareCredential(row.credential ?? 'any');
			resetEmulator();
			suite.emu.clearLog();
			suite.emu.resetCounters();
			if (row.setup) await row.setup(ctx);
			let finished = false;
			const started = execute(row.workflow ?? 'twenty').finally(() => (finished = true));
			const during = row.during ? row.during(ctx, () => finished) : Promise.resolve();
			const [result] = await Promise.all([started, during]);
			const o = observe(suite.emu, result);
			const c = checker();
			commonChecks(c, o, row, suite.emu);
			const extra = row.check ? row.check(c, o, ctx) : '';
			if (credential !== 'manual' && o.tokenRequests.some((r) => r.status === 200))
				credential = 'warm';
			// The app credential's stored token is dead after such a row: the next row starts from a fresh import.
			if (row.leavesTokensRevoked) credential = 'unknown';
			record.observed = [summarize(o), extra].filter(Boolean).join('; ');
			record.failures = c.failures;
			record.pass = c.failures.length === 0;
			if (!record.pass) {
				const more =
					c.failures.length > 1 ? ` (+${c.failures.length - 1} more, see the test's failure)` : '';
				record.observed += `; FAILED: ${c.failures[0]}${more}`;
			}
		} catch (error) {
			record.observed = `row could not run: ${String(error && error.message).split('\n')[0]}`;
			record.failures = [record.observed];
			credential = 'unknown';
			throw error;
		} finally {
			for (const fn of deferred.reverse()) await fn();
			await servicesUp();
			resetEmulator();
			record.ms = Date.now() - t0;
		}
		return record;
	}

	function render() {
		const header = ['fault', 'expected', 'observed', 'pass'];
		const rows = records.map((r) =>
			[r.fault, r.expected, r.observed, r.pass ? 'PASS' : 'FAIL'].map((cell) =>
				cell.replace(/\|/g, '\\|'),
			),
		);
		const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
		const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
		const passed = records.filter((r) => r.pass).length;
		const total = records.reduce((sum, r) => sum + r.ms, 0);
		const slowest = [...records].sort((a, b) => b.ms - a.ms)[0];
		return [
			'',
			'Fault matrix (20 items per row, real n8n, LivePerson emulator)',
			'',
			line(header),
			line(widths.map((w) => '-'.repeat(w))),
			...rows.map(line),
			'',
			`${passed}/${records.length} rows pass; rows took ${(total / 1000).toFixed(1)} s in all` +
				(slowest ? ` (slowest: "${slowest.fault}", ${(slowest.ms / 1000).toFixed(1)} s)` : ''),
			`per row (s): ${records.map((r) => (r.ms / 1000).toFixed(1)).join(' ')}`,
			'',
		].join('\n');
	}

	return { setup, run, render, records };
}

module.exports = {
	createMatrix,
	portSpy,
	uuidOf,
	itemOfPath,
	itemsOfBatch,
	range,
	sleep,
	list,
	ITEMS,
	BATCH_UUID,
};

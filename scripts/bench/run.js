#!/usr/bin/env node
'use strict';
// `npm run bench`: how fast the LivePerson Function node invokes inside real n8n, against the LivePerson emulator,
// next to what the same requests cost without n8n, and next to what an n8n user builds by hand.
//
//   A  this node in real n8n: one `n8n execute` of Manual trigger → Set → Split Out (N items) → LivePerson Function
//      (concurrency C). Wall = that node's own executionTime from runData (n8n start-up excluded).
//   A10, A50  the same with Options → Batching, 10 / 50 items per call (C = calls at a time); the function
//      answers each batch after the same latency as one item.
//   B  the floor: plain axios, keep-alive https.Agent (emulator CA), same N invoke requests, C at a time.
//   C  the sequential peer: the same requests one at a time.
//   D  n8n's HTTP Request node + n8n's generic OAuth2 credential (client credentials, client auth in the body), same
//      body, same n8n: Options → Batching {Items per Batch = C, Batch Interval = max(1, latency) ms}; D∞ = no batching
//      option (n8n's default: every item's request starts at once).
// Cold = a credential never used (A, D) / token fetched inside the measurement (B, C); warm = the same credential
// right after (token and hosts stored) / token passed in. Every measurement is a fresh process (n8n or Node).
//
// Environment: BENCH_N (items, default 1000), BENCH_REPEATS (default 5), BENCH_MEM_N (memory run, default 10000;
// 10 × BENCH_N when BENCH_N is set), BENCH_MEMORY=0 / BENCH_PROFILE=0 skip those parts, BENCH_WAIT_IDLE=<s> waits up to
// that long for other n8n processes to finish before measuring, BENCH_KINDS=A,A50,B,B′ measures only those kinds
// (default all). Never fails on timings (exit 0 unless the bench itself breaks).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fork } = require('node:child_process');

const harness = require('../../tools/n8n/harness');
const {
	INVOKER,
	lpWorkflow,
	httpWorkflow,
	lpCredential,
	oauth2Credential,
} = require('./workflows');
const { executeN8n, runFloor, otherN8nProcesses } = require('./proc');
const profile = require('./profile');
const { packPrivately } = require('./pack');

const envInt = (name, fallback) => {
	const value = Number.parseInt(process.env[name] || '', 10);
	return Number.isFinite(value) && value > 0 ? value : fallback;
};
const N = envInt('BENCH_N', 1000);
const REPEATS = envInt('BENCH_REPEATS', 5);
const MEM_N = envInt('BENCH_MEM_N', process.env.BENCH_N ? Math.min(10000, N * 10) : 10000);
const LATENCIES = [0, 50];
const CONCURRENCIES = [1, 5, 20];
const DO_MEMORY = process.env.BENCH_MEMORY !== '0';
const DO_PROFILE = process.env.BENCH_PROFILE !== '0';
const WAIT_IDLE_S = envInt('BENCH_WAIT_IDLE', 0);
const BATCH_SIZES = [10, 50];
const KINDS = process.env.BENCH_KINDS ? new Set(process.env.BENCH_KINDS.split(',')) : null;
const wanted = (kind) => !KINDS || KINDS.has(kind);

const T0 = Date.now();
const phases = []; // [name, ms]
const log = (msg) =>
	process.stderr.write(`[bench +${((Date.now() - T0) / 1000).toFixed(0)}s] ${msg}\n`);
async function phase(name, fn) {
	const t = Date.now();
	try {
		return await fn();
	} finally {
		phases.push([name, Date.now() - t]);
	}
}

// ---------- emulator (own process) ----------

function startEmulatorProcess() {
	const child = fork(path.join(__dirname, 'emulator-proc.js'), [], {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	let seq = 0;
	const waiting = new Map();
	return new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
		child.on('message', (msg) => {
			if (msg.ready) {
				const call = (cmd) =>
					new Promise((res, rej) => {
						const id = ++seq;
						waiting.set(id, { res, rej });
						child.send({ id, cmd });
					});
				resolve({
					info: msg.info,
					pid: child.pid,
					reset: () => call('reset'),
					stats: () => call('stats'),
					stop: () => call('stop').catch(() => {}),
				});
				return;
			}
			const w = waiting.get(msg.id);
			if (!w) return;
			waiting.delete(msg.id);
			if (msg.ok) w.res(msg.value);
			else w.rej(new Error(msg.error));
		});
	});
}

// ---------- statistics and formatting ----------

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const range = (xs) => {
	const lo = Math.min(...xs);
	const hi = Math.max(...xs);
	return lo === hi ? String(lo) : `${lo}–${hi}`;
};
function table(header, rows) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	const line = (cells) =>
		cells
			.map((c, i) => (i < 3 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
			.join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---------- the bench ----------

async function waitForIdle() {
	const others = otherN8nProcesses();
	if (!others.length || !WAIT_IDLE_S) return others;
	log(
		`${others.length} other n8n process(es) running; waiting up to ${WAIT_IDLE_S} s for them to finish`,
	);
	const until = Date.now() + WAIT_IDLE_S * 1000;
	while (Date.now() < until) {
		await new Promise((r) => setTimeout(r, 5000));
		if (!otherN8nProcesses().length) return [];
	}
	return otherN8nProcesses();
}

async function main() {
	log(
		`N=${N}, repeats=${REPEATS}, memory N=${DO_MEMORY ? MEM_N : '-'}, latencies ${LATENCIES.join('/')} ms, concurrency ${CONCURRENCIES.join('/')}`,
	);
	const othersAtStart = await waitForIdle();
	const contention = { samples: 0, busy: 0, max: 0, atStart: othersAtStart.length };
	const monitor = setInterval(() => {
		const count = otherN8nProcesses().length;
		contention.samples += 1;
		if (count) contention.busy += 1;
		contention.max = Math.max(contention.max, count);
	}, 2000);

	const emu = await phase('start emulator', startEmulatorProcess);
	const { info } = emu;
	let instance;
	try {
		const n8n = await phase('n8n setup (ensureN8n)', async () => harness.ensureN8n());
		const tarball = await phase('build + pack (private staging folder)', async () =>
			packPrivately(),
		);
		instance = await phase('create instance + install package', () =>
			harness.createInstance({
				tarball,
				env: { NODE_EXTRA_CA_CERTS: info.caPath, NODE_ENV: 'production' },
			}),
		);
		const uuidFor = (latency) => (latency === 0 ? info.uuids.fast : info.uuids.slow);
		const invokeUrl = (uuid) =>
			`${info.urls.faasGW}/api/account/${info.accountId}/lambdas/${uuid}/invoke?v=1`;

		// Every measured configuration gets its own never-used credential (cold) and is run warm right after.
		const plan = [];
		const creds = [];
		const workflows = [];
		for (let r = 1; r <= REPEATS; r++) {
			for (const latency of LATENCIES) {
				const uuid = uuidFor(latency);
				for (const c of CONCURRENCIES) {
					const a = {
						kind: 'A',
						latency,
						c,
						r,
						wf: `bA${latency}c${c}r${r}`,
						cred: lpCredential(`cA${latency}c${c}r${r}`, info),
					};
					const d = {
						kind: 'D',
						latency,
						c,
						r,
						wf: `bD${latency}c${c}r${r}`,
						cred: oauth2Credential(`cD${latency}c${c}r${r}`, info),
					};
					creds.push(a.cred, d.cred);
					workflows.push(lpWorkflow({ id: a.wf, n: N, concurrency: c, uuid, credential: a.cred }));
					workflows.push(
						httpWorkflow({
							id: d.wf,
							n: N,
							url: invokeUrl(uuid),
							batching: { batchSize: c, batchInterval: Math.max(1, latency) },
							credential: d.cred,
						}),
					);
					plan.push(a, { kind: 'B', latency, c, r }, d);
					if (latency === 0) plan.push({ kind: 'B′', latency, c, r });
					for (const batchSize of BATCH_SIZES) {
						const batched = {
							kind: `A${batchSize}`,
							latency,
							c,
							r,
							wf: `bA${latency}c${c}b${batchSize}r${r}`,
							cred: lpCredential(`cA${latency}c${c}b${batchSize}r${r}`, info),
						};
						creds.push(batched.cred);
						workflows.push(
							lpWorkflow({
								id: batched.wf,
								n: N,
								concurrency: c,
								uuid,
								credential: batched.cred,
								batchSize,
							}),
						);
						plan.push(batched);
					}
				}
				plan.push({ kind: 'C', latency, c: 1, r });
				const dAll = {
					kind: 'D∞',
					latency,
					c: N,
					r,
					wf: `bDx${latency}r${r}`,
					cred: oauth2Credential(`cDx${latency}r${r}`, info),
				};
				creds.push(dAll.cred);
				workflows.push(
					httpWorkflow({
						id: dAll.wf,
						n: N,
						url: invokeUrl(uuid),
						batching: null,
						credential: dAll.cred,
					}),
				);
				plan.push(dAll);
			}
		}
		const memCreds = DO_MEMORY
			? [
					lpCredential('cMemA', info),
					lpCredential('cMemBase', info),
					oauth2Credential('cMemD', info),
					lpCredential('cMemA50', info),
				]
			: [];
		if (DO_MEMORY) {
			creds.push(...memCreds);
			workflows.push(
				lpWorkflow({
					id: 'bMemBase',
					n: 1,
					concurrency: 20,
					uuid: info.uuids.big,
					credential: memCreds[1],
				}),
			);
			workflows.push(
				lpWorkflow({
					id: 'bMemA',
					n: MEM_N,
					concurrency: 20,
					uuid: info.uuids.big,
					credential: memCreds[0],
				}),
			);
			workflows.push(
				lpWorkflow({
					id: 'bMemA50',
					n: MEM_N,
					concurrency: 20,
					uuid: info.uuids.big,
					credential: memCreds[3],
					batchSize: 50,
				}),
			);
			workflows.push(
				httpWorkflow({
					id: 'bMemD',
					n: MEM_N,
					url: invokeUrl(info.uuids.big),
					batching: { batchSize: 20, batchInterval: 1 },
					credential: memCreds[2],
				}),
			);
		}
		await phase('import credentials + workflows', async () => {
			await instance.importCredentials(creds);
			await instance.importWorkflow(workflows);
		});

		// ---- measurements ----
		const results = [];
		const floorBase = {
			gatewayHost: info.hosts.faasGW,
			sentinelHost: info.hosts.sentinel,
			accountId: info.accountId,
			clientId: info.clientId,
			clientSecret: info.clientSecret,
			caPath: info.caPath,
			n: N,
		};
		const record = (m, phaseName, wallMs, stats, extra = {}) => {
			const others = otherN8nProcesses().length;
			results.push({
				kind: m.kind,
				latency: m.latency,
				c: m.c,
				r: m.r,
				phase: phaseName,
				wallMs,
				stats,
				others,
				...extra,
			});
		};

		async function measureN8n(m, phaseName) {
			await emu.reset();
			const res = await executeN8n(instance, m.wf);
			const stats = await emu.stats();
			const task = res.runData && res.runData[INVOKER] && res.runData[INVOKER][0];
			let error = null;
			if (!res.run) error = `no run data (exit ${res.code})`;
			else if (res.resultData.error) error = res.resultData.error.message;
			else if (!task) error = `node ${INVOKER} did not run`;
			else if (task.error) error = task.error.message;
			const items =
				task && task.data && task.data.main && task.data.main[0] ? task.data.main[0].length : 0;
			if (!error && items !== N) error = `${items} items out instead of ${N}`;
			if (!error && !task.data.main[0].every((item) => item.json && item.json.ok === true))
				error = "an output item is not the function's answer";
			const bad = Object.keys(stats.invokeStatuses).filter((status) => status !== '200');
			if (!error && bad.length)
				error = `invoke answers other than 200: ${JSON.stringify(stats.invokeStatuses)}`;
			if (error)
				log(
					`${m.kind} ${phaseName} L=${m.latency} C=${m.c} r=${m.r}: FAILED: ${error}\n${harness.formatResult({ ...res, stdout: res.stdout || '' }).slice(0, 3000)}`,
				);
			record(m, phaseName, task && !error ? task.executionTime : NaN, stats, {
				processMs: res.durationMs,
				error,
			});
		}

		async function measureFloor(m, phaseName, token) {
			await emu.reset();
			const res = await runFloor(
				n8n.nodeBin,
				{
					...floorBase,
					uuid: uuidFor(m.latency),
					concurrency: m.c,
					sequential: m.kind === 'C',
					fresh: m.kind === 'B′',
					token,
				},
				{ NODE_EXTRA_CA_CERTS: info.caPath },
			);
			const stats = await emu.stats();
			const error = res.failures
				? `${res.failures} failed requests: ${JSON.stringify(res.statuses)}`
				: null;
			if (error) log(`${m.kind} ${phaseName}: ${error}`);
			record(m, phaseName, res.wallMs, stats, { error, tokenMs: res.tokenMs });
			return res.token;
		}

		await phase('measurements (A, B, C, D)', async () => {
			let done = 0;
			const measured =
				process.env.BENCH_SKIP_MEASUREMENTS === '1' ? [] : plan.filter((m) => wanted(m.kind));
			for (const m of measured) {
				log(`[${++done}/${measured.length}] ${m.kind} L=${m.latency}ms C=${m.c} repeat ${m.r}`);
				if (m.wf) {
					await measureN8n(m, 'cold');
					await measureN8n(m, 'warm');
				} else {
					const token = await measureFloor(m, 'cold');
					await measureFloor(m, 'warm', token);
				}
			}
		});

		// ---- memory ----
		const memory = [];
		if (DO_MEMORY) {
			await phase('memory runs', async () => {
				for (const [label, wf, n] of [
					['n8n baseline: A, 1 item', 'bMemBase', 1],
					[`A: this node, C=20, ${MEM_N} items, 10 KB answers`, 'bMemA', MEM_N],
					[`A50: this node, batches of 50, C=20, ${MEM_N} items, 10 KB answers`, 'bMemA50', MEM_N],
					[
						`D: HTTP Request + OAuth2, batch 20 / 1 ms, ${MEM_N} items, 10 KB answers`,
						'bMemD',
						MEM_N,
					],
				]) {
					log(`memory: ${label}`);
					await emu.reset();
					const out = path.join(instance.userFolder, `${wf}.stdout`);
					const res = await executeN8n(instance, wf, {
						stdoutFile: out,
						sampleMs: 50,
						timeoutMs: 1800000,
					});
					const stats = await emu.stats();
					const outBytes = fs.existsSync(out) ? fs.statSync(out).size : 0;
					fs.rmSync(out, { force: true });
					memory.push({ label, wf, n, res, stats, outBytes });
				}
			});
		}

		// ---- profiles ----
		const profiles = [];
		if (DO_PROFILE) {
			await phase('profiled runs', async () => {
				const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-prof-'));
				// The bare client with n8n's connection pattern (B′), for the CPU per request without n8n.
				for (const c of [1, 20]) {
					log(`profile: B′ warm, 0 ms, C=${c}`);
					await emu.reset();
					const before = new Set(fs.readdirSync(dir));
					const token = (
						await runFloor(
							n8n.nodeBin,
							{ ...floorBase, n: 1, uuid: info.uuids.fast, concurrency: 1 },
							{ NODE_EXTRA_CA_CERTS: info.caPath },
						)
					).token;
					const res = await runFloor(
						n8n.nodeBin,
						{ ...floorBase, uuid: info.uuids.fast, concurrency: c, fresh: true, token },
						{ NODE_EXTRA_CA_CERTS: info.caPath },
						['--cpu-prof', `--cpu-prof-dir=${dir}`],
					);
					const stats = await emu.stats();
					const file = fs.readdirSync(dir).find((f) => !before.has(f));
					profiles.push({
						label: `B′ (axios, new connection per request, no n8n) warm, 0 ms, C=${c}`,
						wallMs: res.wallMs,
						stats,
						summary: file
							? profile.summarise(
									path.join(dir, file),
									/scripts\/bench\/floor\.js/,
									/^(one|worker)$/,
								)
							: null,
						file: file ? path.join(dir, file) : null,
					});
				}
				for (const [label, wf, pattern] of [
					['A warm, 0 ms, C=1', 'bA0c1r1', /n8n-nodes-liveperson-functions\/dist\//],
					['A warm, 0 ms, C=20', 'bA0c20r1', /n8n-nodes-liveperson-functions\/dist\//],
					['A50 warm, 0 ms, C=1', 'bA0c1b50r1', /n8n-nodes-liveperson-functions\/dist\//],
					['D warm, 0 ms, batch 20 / 1 ms', 'bD0c20r1', /nodes\/HttpRequest\//],
				]) {
					log(`profile: ${label}`);
					await emu.reset();
					const before = new Set(fs.readdirSync(dir));
					const res = await executeN8n(instance, wf, {
						env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` },
					});
					const stats = await emu.stats();
					const file = fs
						.readdirSync(dir)
						.find((f) => !before.has(f) && f.includes(`.${res.pid}.`));
					const task = res.runData && res.runData[INVOKER] && res.runData[INVOKER][0];
					profiles.push({
						label,
						wallMs: task ? task.executionTime : NaN,
						stats,
						summary: file ? profile.summarise(path.join(dir, file), pattern) : null,
						file: file ? path.join(dir, file) : null,
					});
				}
			});
		}
		clearInterval(monitor);
		report({ results, memory, profiles, contention });
	} finally {
		clearInterval(monitor);
		if (instance) await instance.cleanup();
		await emu.stop();
	}
}

// ---------- the report ----------

/** The batch targets: per-item cost and throughput at 0 ms, and what 50 ms of latency adds. */
function batchTargets(out, { med, verdict }) {
	out.push('\nBatch targets (A50 = batches of 50; wall = median):');
	for (const c of CONCURRENCIES) {
		for (const phaseName of ['cold', 'warm']) {
			const a50 = med('A50', 0, c, phaseName);
			const b = med('B', 0, c, phaseName);
			if (!Number.isFinite(a50)) continue;
			out.push(
				`  ${verdict(a50 / N <= 0.5)}  0 ms, C=${String(c).padStart(2)}, ${phaseName}: A50 per item ≤ 0.5 ms: ${(a50 / N).toFixed(3)} ms/item`,
			);
			out.push(
				`  ${verdict(b / a50 >= 2)}  0 ms, C=${String(c).padStart(2)}, ${phaseName}: A50 throughput ≥ 2 × B: ${((1000 * N) / a50).toFixed(0)} vs ${((1000 * N) / b).toFixed(0)} items/s = ${(b / a50).toFixed(2)} × B`,
			);
		}
	}
	for (const c of CONCURRENCIES) {
		for (const phaseName of ['cold', 'warm']) {
			const slow = med('A50', 50, c, phaseName);
			const fast = med('A50', 0, c, phaseName);
			if (!Number.isFinite(slow) || !Number.isFinite(fast)) continue;
			const allowed = (1.2 * Math.ceil(N / 50) * 50) / c;
			out.push(
				`  ${verdict(slow - fast <= allowed)} 50 ms, C=${String(c).padStart(2)}, ${phaseName}: A50 wall(50 ms) − wall(0 ms) ≤ 1.2 × ⌈N/50⌉ × 50 ms / C: ${fmtMs(slow - fast)} ≤ ${fmtMs(allowed)} ms`,
			);
		}
	}
}

function report({ results, memory, profiles, contention }) {
	const out = [];
	const group = (kind, latency, c, phaseName) =>
		results.filter(
			(x) =>
				x.kind === kind &&
				x.latency === latency &&
				x.c === c &&
				x.phase === phaseName &&
				Number.isFinite(x.wallMs),
		);
	const med = (kind, latency, c, phaseName) => {
		const g = group(kind, latency, c, phaseName);
		return g.length ? median(g.map((x) => x.wallMs)) : NaN;
	};

	out.push(
		`\nLivePerson Function node: invoke phase, N = ${N} items, ${REPEATS} repeat(s) per cell; wall ms = median (min–max)`,
	);
	out.push(
		'A = this node in n8n (node executionTime) · B = axios keep-alive, C at a time · C = axios one at a time',
	);
	out.push(
		"B′ (0 ms only) = B with a new https.Agent per request, as n8n's request helper does: new TCP + TLS connection per request",
	);
	out.push(
		`A10 / A50 = this node with Options → Batching, 10 / 50 items per call; C = calls at a time; the function's latency is per call`,
	);
	out.push(
		`D = n8n HTTP Request + generic OAuth2 (Batching: C items per batch, interval max(1, latency) ms) · D∞ = HTTP Request without batching`,
	);
	out.push(
		'cold = never-used credential (A, D) / token fetched inside the measurement (B, C); warm = the same credential again / token reused',
	);
	const header = [
		'lat',
		'conc',
		'variant',
		'wall ms',
		'items/s',
		'×B',
		'floor ms',
		'CSDS',
		'token',
		'invoke',
		'req/item',
		'max in flight',
		'gw TCP conns',
		'n8n process s',
	];
	const rows = [];
	const rowFor = (kind, latency, c, phaseName, label, bC) => {
		const g = group(kind, latency, c, phaseName);
		const all = results.filter(
			(x) => x.kind === kind && x.latency === latency && x.c === c && x.phase === phaseName,
		);
		if (!all.length) return;
		const failed = all.length - g.length;
		const walls = g.map((x) => x.wallMs);
		const m = walls.length ? median(walls) : NaN;
		const b = med('B', latency, bC, phaseName);
		rows.push([
			`${latency} ms`,
			kind === 'D∞' ? 'all' : String(c),
			`${label} ${phaseName}${failed ? ` (${failed} failed)` : ''}`,
			walls.length
				? `${fmtMs(m)} (${fmtMs(Math.min(...walls))}–${fmtMs(Math.max(...walls))})`
				: 'n/a',
			walls.length ? ((1000 * N) / m).toFixed(0) : 'n/a',
			kind === 'B' || !Number.isFinite(b) ? '' : (m / b).toFixed(2),
			latency ? ((N * latency) / (kind === 'D∞' ? N : c)).toFixed(0) : '0',
			range(all.map((x) => x.stats.csds)),
			range(all.map((x) => x.stats.token)),
			range(all.map((x) => x.stats.invoke)),
			range(all.map((x) => +(x.stats.invoke / N).toFixed(3))),
			range(all.map((x) => x.stats.maxInFlight)),
			range(all.map((x) => x.stats.connections.faasGW || 0)),
			all[0].processMs ? (median(all.map((x) => x.processMs)) / 1000).toFixed(1) : '',
		]);
	};
	for (const latency of LATENCIES) {
		for (const c of CONCURRENCIES) {
			for (const phaseName of ['cold', 'warm']) {
				rowFor('A', latency, c, phaseName, 'A node', c);
				for (const batchSize of BATCH_SIZES)
					rowFor(
						`A${batchSize}`,
						latency,
						c,
						phaseName,
						`A${batchSize} node batch ${batchSize}`,
						c,
					);
				rowFor('B', latency, c, phaseName, 'B axios', c);
				rowFor('B′', latency, c, phaseName, 'B′ axios new conn', c);
				rowFor('D', latency, c, phaseName, 'D HTTP Req', c);
			}
		}
		for (const phaseName of ['cold', 'warm']) rowFor('C', latency, 1, phaseName, 'C axios seq', 1);
		for (const phaseName of ['cold', 'warm'])
			rowFor('D∞', latency, N, phaseName, 'D∞ HTTP Req', 20);
	}
	out.push(table(header, rows));
	out.push(
		'×B = median wall / median wall of B at the same latency, concurrency and cold/warm (D∞: against B at C=20).',
	);
	out.push(
		'floor = N × latency / concurrency. Counts = emulator request log per run (min–max over repeats); "gw TCP conns" = connections',
	);
	out.push(
		'accepted by the gateway during the run; "n8n process s" = the whole `n8n execute` (start-up + import of nodes + run + exit).',
	);

	// ---- targets ----
	out.push('\nTargets (this node, A):');
	const verdict = (ok) => (ok ? 'MET   ' : 'MISSED');
	const aRuns = (phaseName) => results.filter((x) => x.kind === 'A' && x.phase === phaseName);
	const cold = aRuns('cold');
	const warm = aRuns('warm');
	const coldOk = cold.every((x) => x.stats.token === 1 && x.stats.csds <= 2);
	out.push(
		`  ${verdict(coldOk)} cold runs: token = 1 and CSDS ≤ 2 per run (token ${range(cold.map((x) => x.stats.token))}, CSDS ${range(cold.map((x) => x.stats.csds))} over ${cold.length} runs)`,
	);
	const warmOk = warm.every((x) => x.stats.token === 0 && x.stats.csds === 0);
	out.push(
		`  ${verdict(warmOk)} warm runs: 0 token and 0 CSDS requests (token ${range(warm.map((x) => x.stats.token))}, CSDS ${range(warm.map((x) => x.stats.csds))} over ${warm.length} runs)`,
	);
	const allA = [...cold, ...warm].filter((x) => Number.isFinite(x.wallMs) || x.error);
	const invOk = allA.every((x) => x.stats.invoke === N && !x.error);
	out.push(
		`  ${verdict(invOk)} invokes = N = ${N} per run (${range(allA.map((x) => x.stats.invoke))}; failed runs: ${allA.filter((x) => x.error).length})`,
	);
	for (const c of CONCURRENCIES) {
		for (const phaseName of ['cold', 'warm']) {
			const a = med('A', 50, c, phaseName);
			const floor = (N * 50) / c;
			out.push(
				`  ${verdict(a <= 1.15 * floor)} 50 ms, C=${String(c).padStart(2)}, ${phaseName}: A wall ≤ 1.15 × floor: ${fmtMs(a)} ms = ${(a / floor).toFixed(3)} × ${floor.toFixed(0)} ms`,
			);
		}
	}
	for (const c of CONCURRENCIES) {
		for (const phaseName of ['cold', 'warm']) {
			const a = med('A', 0, c, phaseName);
			const b = med('B', 0, c, phaseName);
			out.push(
				`  ${verdict(b / a >= 0.8)}  0 ms, C=${String(c).padStart(2)}, ${phaseName}: A throughput ≥ 0.8 × B: ${((1000 * N) / a).toFixed(0)} vs ${((1000 * N) / b).toFixed(0)} items/s = ${(b / a).toFixed(2)} × B`,
			);
		}
	}
	out.push(
		'  per-item overhead of the node inside n8n at 0 ms latency, (A wall − B wall) / N, target ≤ 1 ms:',
	);
	for (const c of CONCURRENCIES) {
		for (const phaseName of ['cold', 'warm']) {
			const a = med('A', 0, c, phaseName);
			const b = med('B', 0, c, phaseName);
			const per = (a - b) / N;
			const extra =
				c === 1 ? ` (A ${(a / N).toFixed(3)} ms/item − B ${(b / N).toFixed(3)} ms/request)` : '';
			out.push(
				`  ${verdict(per <= 1)}  C=${String(c).padStart(2)}, ${phaseName}: ${per.toFixed(3)} ms/item${extra}`,
			);
		}
	}
	out.push(
		'  At C=1 nothing overlaps, so (A − B)/N is the full extra time n8n + the node add to each request (CPU + extra',
	);
	out.push(
		'  round trips); at C>1 part of it hides behind other requests in flight, so it is the throughput cost per item.',
	);
	if (results.some((x) => x.kind === 'B′')) {
		out.push(
			"  what the node adds over n8n's own per-request floor B′ (a new TCP + TLS connection per request, which n8n's request",
		);
		out.push('  helper imposes on every node), (A − B′)/N, target ≤ 1.0 ms at C = 1 and 5:');
		for (const c of CONCURRENCIES) {
			for (const phaseName of ['cold', 'warm']) {
				const a = med('A', 0, c, phaseName);
				const b1 = med('B′', 0, c, phaseName);
				const b = med('B', 0, c, phaseName);
				const per = (a - b1) / N;
				const judged = c === 1 || c === 5 ? `${verdict(per <= 1)}  ` : '   (info) ';
				out.push(
					`  ${judged}C=${String(c).padStart(2)}, ${phaseName}: (A − B′)/N = ${per.toFixed(3)} ms/item; (B′ − B)/N = ${((b1 - b) / N).toFixed(3)} ms/item is the new connection; A = ${(b1 / a).toFixed(2)} × B′ throughput`,
				);
			}
		}
	}
	batchTargets(out, { med, verdict });

	// ---- D notes ----
	out.push('\nThe hand-built alternative (D):');
	for (const phaseName of ['cold', 'warm']) {
		const d = results.filter((x) => (x.kind === 'D' || x.kind === 'D∞') && x.phase === phaseName);
		if (d.length)
			out.push(
				`  ${phaseName}: token requests per run ${range(d.map((x) => x.stats.token))}, failed runs ${d.filter((x) => x.error).length}${d.some((x) => x.error) ? `: ${[...new Set(d.filter((x) => x.error).map((x) => x.error))].join('; ').slice(0, 300)}` : ''}`,
			);
	}

	// ---- memory ----
	if (memory.length) {
		out.push(
			`\nPeak memory of the n8n process (\`n8n execute\`, stdout to a file, sampled every 50 ms):`,
		);
		out.push(
			table(
				[
					'run',
					'',
					'',
					'main VmHWM MB',
					'tree RSS peak MB',
					'invokes',
					'invoke span s',
					'n8n process s',
					'stdout MB',
					'exit',
				],
				memory.map(({ label, res, stats, outBytes }) => [
					label,
					'',
					'',
					(res.memory.mainHwmKb / 1024).toFixed(0),
					(res.memory.treeRssPeakKb / 1024).toFixed(0),
					String(stats.invoke),
					(stats.invokeSpanMs / 1000).toFixed(1),
					(res.durationMs / 1000).toFixed(1),
					(outBytes / 1e6).toFixed(1),
					String(res.code),
				]),
			),
		);
		out.push(
			'  main = the `n8n execute` process (VmHWM from /proc/<pid>/status); tree = it plus its task runner, RSS summed per sample.',
		);
		out.push(
			'  `n8n execute` holds the run data and prints it all (JSON.stringify(run, null, 2)) at the end: part of the peak.',
		);
		const peak = (wf) => memory.find((m) => m.wf === wf)?.res.memory.mainHwmKb;
		const [perItem, batched] = [peak('bMemA'), peak('bMemA50')];
		if (perItem && batched)
			out.push(
				`  ${verdict(batched <= perItem)} peak memory with batches of 50 ≤ one call per item: ${(batched / 1024).toFixed(0)} MB vs ${(perItem / 1024).toFixed(0)} MB`,
			);
	}

	// ---- profiles ----
	for (const p of profiles) {
		out.push(
			`\nCPU profile (--cpu-prof, main thread): ${p.label}, wall ${fmtMs(p.wallMs)} ms (with profiler), invokes ${p.stats.invoke}`,
		);
		out.push(p.summary ? profile.format(p.summary, { perItemOf: N }) : '  (no profile written)');
		if (p.file) out.push(`  file: ${p.file}`);
	}

	// ---- contention and timings ----
	out.push('\nMachine:');
	out.push(
		`  ${os.cpus().length} CPUs (${os.cpus()[0].model}), load average now ${os
			.loadavg()
			.map((x) => x.toFixed(2))
			.join(' ')}`,
	);
	const othersInRuns = results.filter((x) => x.others > 0).length;
	out.push(
		contention.busy || contention.atStart || othersInRuns
			? `  CONTENTION: other n8n processes were running: at start ${contention.atStart}, in ${contention.busy}/${contention.samples} samples (max ${contention.max}), after ${othersInRuns}/${results.length} measurements. Figures taken under contention.`
			: `  no other n8n process seen during the bench (${contention.samples} samples every 2 s)`,
	);
	out.push('\nTimings of the bench:');
	for (const [name, ms] of phases)
		out.push(`  ${name.padEnd(36)} ${(ms / 1000).toFixed(1).padStart(7)} s`);
	out.push(`  ${'total'.padEnd(36)} ${((Date.now() - T0) / 1000).toFixed(1).padStart(7)} s`);
	process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error) => {
	process.stderr.write(`bench failed: ${error.stack || error}\n`);
	process.exit(1);
});

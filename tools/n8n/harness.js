'use strict';
// Test harness around a real n8n (set up by ./setup.js): packs this package, installs it into a throwaway n8n user
// folder exactly where and how n8n's "Install community node" puts packages, imports credentials and workflows,
// runs workflows headless (`n8n execute`) and can start the server (`n8n start`) for demos.
// Facts behind it: shared/reference/real-n8n-here.md; layout mirrored from n8n's own
// packages/cli/src/modules/community-packages/community-packages.service.ts (downloadPackage).

const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawn, spawnSync } = require('child_process');
const { ensureN8n, cleanEnv } = require('./setup');

const LOCALHOST_NAMES = path.resolve(__dirname, '..', 'emulator', 'localhost-names.js');

// Not a secret: only encrypts credentials in throwaway test databases.
const TEST_ENCRYPTION_KEY = 'n8n-nodes-liveperson-functions-e2e-test-key';

// ---------- packing and installing the package ----------

/**
 * `npm run build` then `npm pack` in the repo; returns the tarball path (in a fresh temp folder).
 * Callers remove it with `removePacked` once installed: jest workers end without an 'exit' event,
 * so the exit handler alone would leave it behind.
 */
function packPackage(repoRoot = path.resolve(__dirname, '..', '..')) {
	const sh = (args) => {
		const r = spawnSync('npm', args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
		if (r.status !== 0)
			throw new Error(`npm ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
		return r.stdout;
	};
	sh(['run', 'build']);
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pack-'));
	process.once('exit', () => fs.rmSync(dest, { recursive: true, force: true })); // the tarball is installed by then
	const [info] = JSON.parse(sh(['pack', '--json', '--pack-destination', dest]));
	return path.join(dest, info.filename);
}

/** Removes the temp folder `packPackage` made for a tarball. */
function removePacked(tarball) {
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
}

/**
 * Installs a package tarball the way n8n's community-packages service does (what a UI install leaves on disk):
 *   $N8N_USER_FOLDER/.n8n/nodes/package.json                  {"name":"installed-nodes","private":true,"dependencies":{pkg:version}}
 *   $N8N_USER_FOLDER/.n8n/nodes/node_modules/<pkg>/           the tarball's content (tar --strip-components=1)
 * with dev/peer/optional dependencies deleted from <pkg>/package.json, then the same `npm install` n8n runs inside
 * <pkg>. (A UI install also records the package in n8n's database for the Settings page; loading does not need it:
 * at start n8n scans .n8n/nodes/node_modules for packages.)
 */
function installTarball(userFolder, tarball, env) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const manifest = JSON.parse(execOk('tar', ['-xzOf', tarball, 'package/package.json']));
	const pkgDir = path.join(nodesDir, 'node_modules', manifest.name);
	fs.mkdirSync(pkgDir, { recursive: true });
	execOk('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);

	const { devDependencies, peerDependencies, optionalDependencies, ...kept } = manifest;
	fs.writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify(kept, null, 2), 'utf8');
	execOk(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: pkgDir, env },
	);
	const ledger = {
		name: 'installed-nodes',
		private: true,
		dependencies: { [manifest.name]: manifest.version },
	};
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify(ledger, null, 2), 'utf8');
	return { name: manifest.name, version: manifest.version, dir: pkgDir };
}

function execOk(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
	if (r.status !== 0)
		throw new Error(
			`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`,
		);
	return r.stdout;
}

// ---------- reading results ----------

/** Finds the run in `n8n execute --rawOutput` output: the JSON log line whose message parses to an IRun. */
function parseRun(text) {
	const logs = [];
	let run = null;
	for (const line of text.split('\n')) {
		if (!line.startsWith('{')) continue;
		let entry;
		try {
			entry = JSON.parse(line);
		} catch {
			continue;
		}
		logs.push(entry);
		if (typeof entry.message !== 'string' || !entry.message.startsWith('{')) continue;
		try {
			const msg = JSON.parse(entry.message);
			if (msg && msg.data && msg.data.resultData && msg.data.resultData.runData) run = msg;
		} catch {
			/* a log message that only looks like JSON */
		}
	}
	return { run, logs };
}

function taskData(runData, nodeName, runIndex) {
	const runs = runData && runData[nodeName];
	if (!runs)
		throw new Error(
			`node "${nodeName}" did not run; nodes that ran: ${Object.keys(runData || {}).join(', ') || 'none'}`,
		);
	const task = runs[runIndex];
	if (!task)
		throw new Error(`node "${nodeName}" has no run #${runIndex} (it ran ${runs.length} time(s))`);
	if (task.error)
		throw new Error(
			`node "${nodeName}" failed: ${task.error.message}${task.error.description ? ` (${task.error.description})` : ''}`,
		);
	return task;
}

/** Items of one output of a node, with pairedItem: [{ json, pairedItem }]. Missing output -> []. */
function nodeItems(runData, nodeName, outputIndex = 0, runIndex = 0) {
	const outputs = (taskData(runData, nodeName, runIndex).data || {}).main || [];
	return (outputs[outputIndex] || []).map((item) => ({
		json: item.json,
		pairedItem: item.pairedItem,
	}));
}

/** The `json` of each item of one output of a node. */
function nodeOutput(runData, nodeName, outputIndex = 0, runIndex = 0) {
	return nodeItems(runData, nodeName, outputIndex, runIndex).map((item) => item.json);
}

/** A printable account of an execution: exit code, workflow/node errors, n8n's warnings/errors, stderr tail. */
function formatResult(result) {
	const lines = [`n8n execute: exit ${result.code} in ${result.durationMs} ms`];
	const err = result.resultData && result.resultData.error;
	if (err)
		lines.push(
			`workflow error: ${err.message}${err.description ? ` - ${err.description}` : ''}${err.node ? ` (node "${err.node.name}")` : ''}`,
		);
	for (const [name, runs] of Object.entries(result.runData || {})) {
		runs.forEach((task, i) => {
			if (task.error)
				lines.push(
					`node "${name}" run ${i}: ${task.error.message}${task.error.httpCode ? ` [HTTP ${task.error.httpCode}]` : ''}`,
				);
		});
	}
	const seen = new Set();
	for (const entry of result.logs || []) {
		if (entry.level !== 'error' && entry.level !== 'warn') continue;
		const msg = String(entry.message).trim();
		// skip the run itself, repeats, and the Python runner notice every process prints (no Python venv here)
		if (!msg || msg.startsWith('{') || seen.has(msg) || /Python task runner/.test(msg)) continue;
		seen.add(msg);
		lines.push(`n8n ${entry.level}: ${msg.split('\n').slice(0, 3).join('\n')}`); // message + top of any stack
	}
	if (!result.run) {
		// e.g. "The workflow with the id ... does not exist" is logged at info level
		const said = (result.logs || [])
			.slice(-10)
			.map((e) => `  ${e.level}: ${String(e.message).slice(0, 300)}`);
		lines.push(
			'no run data found in the output; n8n said last:',
			...(said.length ? said : [tail(result.stdout, 40)]),
		);
	}
	if (result.stderr.trim()) lines.push(`stderr tail:\n${tail(result.stderr, 40)}`);
	return lines.join('\n');
}

// Runs under n8n's Node 24 (node:sqlite built in): reads an execution n8n stored in the instance's sqlite
// database, decoded with the `flatted` format n8n stores it in. argv: db file, flatted dir, workflow id, since.
const READ_EXECUTION = `
const { DatabaseSync } = require('node:sqlite');
const [db, flattedDir, workflowId, since] = process.argv.slice(1);
const row = new DatabaseSync(db, { readOnly: true })
	.prepare('SELECT e.id, e.status, e.finished, e.mode, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? AND e.createdAt >= ? ORDER BY e.id DESC LIMIT 1')
	.get(workflowId, since);
if (row) row.data = require(flattedDir).parse(row.data);
process.stdout.write(JSON.stringify(row || null));
`;

function tail(text, n) {
	return text.trimEnd().split('\n').slice(-n).join('\n');
}

// ---------- processes ----------

/** Whether a port on 127.0.0.1 can be listened on now (for a clear message instead of n8n's stack trace). */
function isPortFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** Runs a command to its end, collecting output; kills it (whole process group) after timeoutMs. */
function runProcess(cmd, args, { env, cwd, timeoutMs = 180000 } = {}) {
	return new Promise((resolve) => {
		const t0 = Date.now();
		const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			stderr += `\n[harness] timed out after ${timeoutMs} ms, killed\n`;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (e) => (stderr += `\n[harness] ${e.message}\n`));
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({
				code: code === null ? `signal ${signal}` : code,
				stdout,
				stderr,
				durationMs: Date.now() - t0,
			});
		});
	});
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal); // n8n starts a task-runner child: end the whole group we started
	} catch {
		/* already gone */
	}
}

function httpStatus(url) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: 2000 }, (res) => {
			res.resume();
			resolve(res.statusCode);
		});
		req.on('error', () => resolve(0));
		req.on('timeout', () => req.destroy());
	});
}

// ---------- instances ----------

/**
 * A fresh n8n user folder (own sqlite database), optionally with a package tarball
 * installed as a community package. `env` is added to every n8n process (e.g. NODE_EXTRA_CA_CERTS).
 * `userFolder`: an existing folder to use (and keep) instead of a fresh temporary one.
 */
async function createInstance({
	tarball,
	env: extraEnv = {},
	keep = false,
	userFolder: given,
} = {}) {
	const n8n = ensureN8n();
	const userFolder = given ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	if (given) keep = true;
	const env = cleanEnv({
		PATH: `${n8n.binDir}${path.delimiter}${process.env.PATH}`, // n8n runs npm/node itself: Node 24 first
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		// quiet and offline
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		...extraEnv,
		// `.localhost` names resolve to 127.0.0.1 in every n8n process (RFC 6761; glibc here does not), so a
		// discovered V2-looking emulator host such as fninvocations.localhost:<port> is reachable.
		NODE_OPTIONS: [
			extraEnv.NODE_OPTIONS ?? process.env.NODE_OPTIONS,
			`--require "${LOCALHOST_NAMES}"`,
		]
			.filter(Boolean)
			.join(' '),
	});
	const pkg = tarball ? installTarball(userFolder, tarball, env) : null;
	let fileNo = 0;
	let server = null;
	// Every n8n process (execute, import, start) opens a task-runner broker port (default 5679): give each its own,
	// so instances, and a running `n8n start` plus `n8n execute` in one instance, never collide.
	const brokerPort = async () => String(extraEnv.N8N_RUNNERS_BROKER_PORT || (await freePort()));

	const instance = {
		userFolder,
		env,
		package: pkg,
		n8n,

		/** Runs any n8n CLI command in this instance: { code, stdout, stderr, durationMs }. */
		async run(args, { env: more = {}, timeoutMs } = {}) {
			const procEnv = { ...env, N8N_RUNNERS_BROKER_PORT: await brokerPort(), ...more };
			return runProcess(n8n.nodeBin, [n8n.n8nBin, ...args], {
				env: procEnv,
				cwd: userFolder,
				timeoutMs,
			});
		},

		async importFile(kind, data) {
			const file = path.join(userFolder, `import-${kind}-${++fileNo}.json`);
			// Credentials are imported in plain text: the file lives only as long as the import, readable by us alone.
			fs.writeFileSync(file, JSON.stringify(data, null, 2), { mode: 0o600 });
			const r = await instance
				.run([`import:${kind}`, `--input=${file}`])
				.finally(() => fs.rmSync(file, { force: true }));
			if (r.code !== 0) {
				throw new Error(
					`n8n import:${kind} failed (exit ${r.code}):\n${tail(r.stdout, 30)}\n${tail(r.stderr, 30)}`,
				);
			}
			return r;
		},

		/** creds: [{ id, name, type, data: { ...plain values } }]; n8n encrypts `data` with the instance key. */
		importCredentials(creds) {
			return instance.importFile('credentials', creds);
		},

		/** One workflow object (id of at most 21 characters, started by a Manual Trigger) or an array of them. */
		importWorkflow(workflow) {
			for (const wf of [].concat(workflow)) {
				if (!wf.id || String(wf.id).length > 21)
					throw new Error(`workflow id must be set and at most 21 characters: ${wf.id}`);
			}
			return instance.importFile('workflow', workflow);
		},

		/**
		 * `n8n execute --id=<id> --rawOutput`. Resolves (never rejects on a workflow failure) to
		 * { code, ok, run, runData, resultData, logs, stdout, stderr, durationMs }; print formatResult(result) on failure.
		 */
		async execute(workflowId, { env: more = {}, timeoutMs } = {}) {
			const r = await instance.run(['execute', `--id=${workflowId}`, '--rawOutput'], {
				env: { N8N_LOG_LEVEL: 'info', N8N_LOG_FORMAT: 'json', ...more },
				timeoutMs,
			});
			let { run, logs } = parseRun(`${r.stdout}\n${r.stderr}`);
			if (!run) {
				// When a workflow fails its checks before running (e.g. "node has issues: parameter X is required"),
				// `n8n execute` only logs "No active execution found"; the real error is in the stored execution.
				try {
					const stored = instance.lastExecution(workflowId, {
						since: new Date(Date.now() - r.durationMs - 1000),
					});
					if (stored)
						run = {
							data: stored.data,
							status: stored.status,
							executionId: stored.id,
							fromDatabase: true,
						};
				} catch (e) {
					r.stderr += `\n[harness] could not read the stored execution: ${e.message}\n`;
				}
			}
			const resultData = run ? run.data.resultData : null;
			// n8n 2.41.1 on Node 24 now and then dies of SIGSEGV in its teardown after printing a finished run
			// (seen in ~1 of 15-40 runs, also without this package): a finished, successful run still counts.
			const crashedAtExit =
				r.code === 'signal SIGSEGV' && run?.finished === true && run?.status === 'success';
			if (crashedAtExit)
				r.stderr += '\n[harness] n8n execute crashed at exit after a finished, successful run\n';
			const ok = (r.code === 0 || crashedAtExit) && !!run && !resultData.error;
			return { ...r, ok, run, runData: resultData ? resultData.runData : null, resultData, logs };
		},

		/**
		 * The newest execution of a workflow stored in this instance's database (optionally created at or after
		 * `since`, a Date): { id, status, finished, mode, data } with data = IRunExecutionData, or null.
		 */
		lastExecution(workflowId, { since = new Date(0) } = {}) {
			const db = path.join(userFolder, '.n8n', 'database.sqlite');
			if (!fs.existsSync(db)) return null;
			const sqliteTime = since.toISOString().replace('T', ' ').replace('Z', '');
			const flatted = path.join(n8n.dir, 'node_modules', 'flatted');
			const out = execOk(n8n.nodeBin, [
				'--no-warnings',
				'-e',
				READ_EXECUTION,
				db,
				flatted,
				workflowId,
				sqliteTime,
			]);
			return JSON.parse(out);
		},

		/**
		 * `n8n start` (or `n8n worker`, whose health server then listens on `port`) on loopback; resolves once its
		 * readiness check answers. Logs go to <userFolder>/n8n-<command>.log.
		 */
		async start({
			command = 'start',
			args = [],
			port = 5678,
			env: more = {},
			timeoutMs = 90000,
		} = {}) {
			if (server) throw new Error('already started');
			const logFile = path.join(userFolder, `n8n-${command}.log`);
			const out = fs.openSync(logFile, 'a');
			const listen =
				command === 'worker'
					? {
							QUEUE_HEALTH_CHECK_ACTIVE: 'true',
							QUEUE_HEALTH_CHECK_PORT: String(port),
							N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
						}
					: { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' };
			const child = spawn(n8n.nodeBin, [n8n.n8nBin, command, ...args], {
				env: {
					...env,
					...listen,
					N8N_RUNNERS_BROKER_PORT: await brokerPort(),
					...more,
				},
				cwd: userFolder,
				detached: true,
				stdio: ['ignore', out, out],
			});
			fs.closeSync(out);
			let exited = null;
			child.on('exit', (code, signal) => (exited = { code, signal }));
			server = { child, port, logFile, url: `http://127.0.0.1:${port}` };
			const t0 = Date.now();
			while (Date.now() - t0 < timeoutMs) {
				if (exited) break;
				// Every path answers 200 "starting up" while n8n migrates: only its readiness check means ready.
				if ((await httpStatus(`${server.url}/healthz/readiness`)) === 200)
					return { url: server.url, logFile, startMs: Date.now() - t0 };
				await new Promise((r) => setTimeout(r, 250));
			}
			const log = fs.readFileSync(logFile, 'utf8');
			await instance.stop();
			throw new Error(
				`n8n ${command} ${exited ? `exited (${JSON.stringify(exited)})` : `not healthy after ${timeoutMs} ms`}:\n${tail(log, 40)}`,
			);
		},

		/** The running `n8n start`/`worker` process (for its pid), or null. */
		get server() {
			return server;
		},

		/** Stops `n8n start`/`worker` (SIGTERM, then SIGKILL after 20 s), or kills it at once with `signal`. */
		async stop({ signal = 'SIGTERM' } = {}) {
			if (!server) return;
			const { child } = server;
			server = null;
			if (child.exitCode !== null || child.signalCode !== null) return;
			const done = new Promise((r) => child.once('exit', r));
			killGroup(child, signal);
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 20000);
			await done;
			clearTimeout(timer);
		},

		/** Stops the server and removes the user folder (unless keep, e.g. to look at a failure). */
		async cleanup() {
			await instance.stop();
			if (!keep) fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
	return instance;
}

/** The Manual Trigger node every headless workflow here starts with (`n8n execute` needs one). */
function manualTrigger({ id = 'start', name = 'Start', position = [0, 0] } = {}) {
	return {
		id,
		name,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position,
		parameters: {},
	};
}

module.exports = {
	TEST_ENCRYPTION_KEY,
	manualTrigger,
	ensureN8n,
	packPackage,
	removePacked,
	installTarball,
	createInstance,
	parseRun,
	nodeOutput,
	nodeItems,
	formatResult,
	freePort,
	isPortFree,
};

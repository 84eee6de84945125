'use strict';
// Processes: `n8n execute` with memory sampling of its process tree, child runs of floor.js, and a look at
// other n8n processes on the machine (contention).

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const harness = require('../../tools/n8n/harness');

/** pid -> ppid for every process, from /proc/<pid>/stat. */
function processTable() {
	const table = new Map();
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			table.set(Number(name), ppid);
		} catch {
			/* gone */
		}
	}
	return table;
}

function descendants(rootPid, table = processTable()) {
	const out = new Set([rootPid]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const [pid, ppid] of table) {
			if (!out.has(pid) && out.has(ppid)) {
				out.add(pid);
				grew = true;
			}
		}
	}
	return out;
}

function memoryKb(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const field = (key) =>
			Number((new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status) || [])[1] || 0);
		return { hwm: field('VmHWM'), rss: field('VmRSS') };
	} catch {
		return null;
	}
}

/** n8n processes on the machine that are not ours (what `ps aux | grep -c "[n]8n"` shows, minus this bench). */
function otherN8nProcesses() {
	const table = processTable();
	const ours = descendants(process.pid, table);
	const others = [];
	for (const pid of table.keys()) {
		if (ours.has(pid)) continue;
		let cmd;
		try {
			cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
		} catch {
			continue;
		}
		if (/n8n/.test(cmd)) others.push({ pid, cmd: cmd.slice(0, 160) });
	}
	return others;
}

/**
 * `n8n execute --id=<id> --rawOutput` in an instance (what harness.execute does), but with our own spawn so that the
 * process tree's memory can be sampled (every `sampleMs`) and stdout can go to a file instead of memory.
 * Resolves to {code, durationMs, stdout?, stderr, run, runData, resultData, memory: {mainHwmKb, treeRssPeakKb,
 * perPidHwmKb}}.
 */
async function executeN8n(
	instance,
	workflowId,
	{ env = {}, timeoutMs = 900000, sampleMs = 100, stdoutFile, parse = true } = {},
) {
	const procEnv = {
		...instance.env,
		N8N_RUNNERS_BROKER_PORT: String(await harness.freePort()),
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_FORMAT: 'json',
		...env,
	};
	const t0 = Date.now();
	const child = spawn(
		instance.n8n.nodeBin,
		[instance.n8n.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'],
		{
			env: procEnv,
			cwd: instance.userFolder,
			detached: true,
			stdio: ['ignore', stdoutFile ? fs.openSync(stdoutFile, 'w') : 'pipe', 'pipe'],
		},
	);
	const chunks = [];
	let stderr = '';
	if (child.stdout) child.stdout.on('data', (d) => chunks.push(d));
	child.stderr.on('data', (d) => (stderr += d));

	const perPid = new Map(); // pid -> max VmHWM kB
	let treeRssPeakKb = 0;
	const sample = () => {
		let sum = 0;
		for (const pid of descendants(child.pid)) {
			const m = memoryKb(pid);
			if (!m) continue;
			sum += m.rss;
			perPid.set(pid, Math.max(perPid.get(pid) || 0, m.hwm));
		}
		treeRssPeakKb = Math.max(treeRssPeakKb, sum);
	};
	const sampler = sampleMs ? setInterval(sample, sampleMs) : null;
	const killer = setTimeout(() => {
		stderr += `\n[bench] timed out after ${timeoutMs} ms, killed\n`;
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}, timeoutMs);
	const { code, signal } = await new Promise((resolve) =>
		child.on('close', (c, s) => resolve({ code: c, signal: s })),
	);
	clearTimeout(killer);
	if (sampler) clearInterval(sampler);
	const durationMs = Date.now() - t0;
	const stdout = Buffer.concat(chunks).toString('utf8');
	const result = {
		code: code === null ? `signal ${signal}` : code,
		durationMs,
		stderr,
		stdout: stdoutFile ? undefined : stdout,
		memory: {
			mainHwmKb: perPid.get(child.pid) || 0,
			treeRssPeakKb,
			perPidHwmKb: Object.fromEntries(perPid),
		},
		pid: child.pid,
		run: null,
		runData: null,
		resultData: null,
	};
	if (parse && !stdoutFile) {
		const { run, logs } = harness.parseRun(`${stdout}\n${stderr}`);
		result.run = run;
		result.logs = logs;
		result.resultData = run ? run.data.resultData : null;
		result.runData = result.resultData ? result.resultData.runData : null;
	}
	return result;
}

/** Runs floor.js (B or C) under the given Node binary; resolves to its JSON answer. */
function runFloor(nodeBin, options, env = {}, nodeArgs = []) {
	return new Promise((resolve, reject) => {
		const child = spawn(
			nodeBin,
			[...nodeArgs, path.join(__dirname, 'floor.js'), JSON.stringify(options)],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
				env: { ...process.env, ...env },
			},
		);
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('close', (code) => {
			if (code !== 0) return reject(new Error(`floor.js exited ${code}: ${err}`));
			try {
				resolve(JSON.parse(out.trim().split('\n').pop()));
			} catch (error) {
				reject(new Error(`floor.js answered ${out}: ${error.message}`));
			}
		});
	});
}

module.exports = { executeN8n, runFloor, otherN8nProcesses, descendants };

'use strict';

/**
 * Redis and PostgreSQL for n8n's queue mode, from Debian's packages (installed with apt-get when missing),
 * each on a free loopback port with its data in a temp folder, stopped (whole process group) at the end.
 * PostgreSQL refuses to run as root: as root it runs as the `postgres` user the Debian package creates.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { freePort } = require('../../tools/n8n/harness');

const PG_DATABASE = 'n8n';
const PG_USER = 'n8n';

function sh(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
	if (r.status !== 0)
		throw new Error(
			`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`,
		);
	return r.stdout;
}

function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return null;
	const versions = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : null;
}

const hasRedis = () => spawnSync('redis-server', ['--version']).status === 0;

/** apt-get install what is missing (Debian's redis-server and postgresql); returns what it installed. */
function ensureServicePackages(log = () => {}) {
	const missing = [];
	if (!hasRedis()) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	if (!missing.length) return [];
	if (process.getuid && process.getuid() !== 0) {
		throw new Error(
			`queue mode needs ${missing.join(' and ')} (Debian packages); install them: apt-get install -y ${missing.join(' ')}`,
		);
	}
	log(`installing ${missing.join(', ')} from Debian's packages`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	sh('apt-get', ['update', '-qq'], { env });
	// Debian's postinst scripts start the packages' own services; policy-rc.d (exit 101) tells them not to, so the
	// install leaves nothing running (our servers run from temp folders).
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !fs.existsSync(policy);
	if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
	try {
		sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
	} finally {
		if (ownPolicy) fs.rmSync(policy, { force: true });
	}
	if (!hasRedis() || !postgresBinDir())
		throw new Error(`apt-get installed ${missing.join(', ')}, but the servers are still not found`);
	return missing;
}

/**
 * Every process group the queue suite starts, until stopped: if a run is cut short (a timeout in the middle of the
 * start-up, Ctrl-C), whatever is left is killed when the test process exits, so no server outlives it.
 */
const trackedGroups = new Set();
function killTrackedGroups() {
	for (const pgid of trackedGroups) {
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
	trackedGroups.clear();
}
process.once('exit', killTrackedGroups);

/** A long-running server in its own process group, its output in logFile; stop() ends the group. */
function startServer(cmd, args, { logFile, cwd }) {
	const out = fs.openSync(logFile, 'a');
	const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	trackedGroups.add(child.pid);
	let exited = null;
	const exit = new Promise((resolve) =>
		child.once('exit', (code, signal) => {
			trackedGroups.delete(child.pid);
			resolve((exited = { code, signal }));
		}),
	);
	return {
		child,
		exited: () => exited,
		async stop() {
			if (exited) return;
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				return;
			}
			const timer = setTimeout(() => {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					/* gone */
				}
			}, 10000);
			await exit;
			clearTimeout(timer);
		},
	};
}

async function waitUntil(check, { what, server, logFile, timeoutMs = 30000 }) {
	const t0 = Date.now();
	while (Date.now() - t0 < timeoutMs) {
		if (server.exited()) break;
		if (check()) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	const log = fs.existsSync(logFile)
		? fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-20).join('\n')
		: '';
	throw new Error(
		`${what} did not start${server.exited() ? ` (exited ${JSON.stringify(server.exited())})` : ''}:\n${log}`,
	);
}

async function startRedis(dir) {
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const server = startServer(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--protected-mode',
			'yes',
		],
		{ logFile, cwd: dir },
	);
	const ping = () =>
		spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], {
			encoding: 'utf8',
		}).stdout.trim() === 'PONG';
	await waitUntil(ping, { what: 'redis-server', server, logFile });
	return { port, pid: server.child.pid, stop: server.stop };
}

async function startPostgres(dir) {
	const bin = postgresBinDir();
	const port = await freePort();
	const dataDir = path.join(dir, 'pgdata');
	const logFile = path.join(dir, 'postgres.log');
	const asRoot = process.getuid && process.getuid() === 0;
	// As root: the folders belong to `postgres`, and the server runs as that user.
	const as = (cmd, args) =>
		asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
	fs.mkdirSync(dataDir, { mode: 0o700 });
	if (asRoot) sh('chown', ['-R', 'postgres:postgres', dir]);
	sh(
		...as(path.join(bin, 'initdb'), [
			'-D',
			dataDir,
			'-U',
			PG_USER,
			'-A',
			'trust',
			'-E',
			'UTF8',
			'--no-sync',
		]),
	);
	const server = startServer(
		...as(path.join(bin, 'postgres'), [
			'-D',
			dataDir,
			'-p',
			String(port),
			'-k',
			dir,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
		]),
		{ logFile, cwd: dir },
	);
	const ready = () =>
		spawnSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]).status === 0;
	await waitUntil(ready, { what: 'postgres', server, logFile });
	sh(path.join(bin, 'createdb'), [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		PG_USER,
		PG_DATABASE,
	]);
	return { port, pid: server.child.pid, database: PG_DATABASE, user: PG_USER, stop: server.stop };
}

/** Redis and PostgreSQL on loopback, data in one temp folder; `stop()` ends both and removes the folder. */
async function startServices(log) {
	ensureServicePackages(log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-services-'));
	fs.chmodSync(dir, 0o755);
	const started = [];
	const stop = async () => {
		for (const service of started.reverse()) await service.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		const redis = await startRedis(dir);
		started.push(redis);
		const postgres = await startPostgres(dir);
		started.push(postgres);
		return {
			redis,
			postgres,
			/** What every n8n process of the cluster gets. */
			n8nEnv: {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(postgres.port),
				DB_POSTGRESDB_DATABASE: postgres.database,
				DB_POSTGRESDB_USER: postgres.user,
				DB_POSTGRESDB_PASSWORD: '',
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startServices, ensureServicePackages, trackedGroups, killTrackedGroups };

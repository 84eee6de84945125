'use strict';
// Builds and packs the package in a private staging folder (tsc --outDir there, icons copied as gulp does), so the
// bench never cleans or rewrites the repository's dist/ that other sessions may be packing or running at the same
// time (harness.packPackage runs `gulp clean` on it). Returns the tarball path.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');

function sh(cmd, args, cwd) {
	const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
	if (r.status !== 0)
		throw new Error(
			`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`,
		);
	return r.stdout;
}

function copyIcons(dir, stage) {
	for (const entry of fs.readdirSync(path.join(REPO, dir), {
		withFileTypes: true,
		recursive: true,
	})) {
		if (!entry.isFile() || !/\.(png|svg)$/.test(entry.name)) continue;
		const from = path.join(entry.parentPath || entry.path, entry.name);
		const to = path.join(stage, 'dist', path.relative(REPO, from));
		fs.mkdirSync(path.dirname(to), { recursive: true });
		fs.copyFileSync(from, to);
	}
}

function packPrivately() {
	const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-stage-'));
	for (const file of ['package.json', 'README.md', 'LICENSE']) {
		if (fs.existsSync(path.join(REPO, file)))
			fs.copyFileSync(path.join(REPO, file), path.join(stage, file));
	}
	sh(
		process.execPath,
		[
			path.join(REPO, 'node_modules/typescript/bin/tsc'),
			'-p',
			'tsconfig.json',
			'--outDir',
			path.join(stage, 'dist'),
		],
		REPO,
	);
	copyIcons('nodes', stage);
	copyIcons('credentials', stage);
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-pack-'));
	process.once('exit', () => fs.rmSync(dest, { recursive: true, force: true }));
	const [info] = JSON.parse(
		sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], stage),
	);
	fs.rmSync(stage, { recursive: true, force: true });
	return path.join(dest, info.filename);
}

module.exports = { packPrivately };

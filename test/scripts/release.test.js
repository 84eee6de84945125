'use strict';

/** `npm run release -- --dry-run`: says the next version and its changelog entry, and changes nothing. */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');

test('a dry run prints the next version and the Unreleased entries under it, and writes nothing', () => {
	const before = [read('package.json'), read('CHANGELOG.md')];
	const version = JSON.parse(before[0]).version;
	const out = execFileSync(process.execPath, ['scripts/release.mjs', '--dry-run'], {
		cwd: root,
		encoding: 'utf8',
	});
	expect(out).toMatch(new RegExp(`^next version: \\d+\\.\\d+\\.\\d+`, 'm'));
	expect(out).toMatch(/^## \[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}$/m);
	const unreleased = /## \[Unreleased\]\n([\s\S]*?)(?=\n## \[|$)/.exec(before[1])[1].trim();
	expect(out).toContain(unreleased.split('\n')[0]);
	expect(out).toContain('dry run: nothing written');
	expect([read('package.json'), read('CHANGELOG.md')]).toEqual(before);
	expect(out).toContain(version.split('.')[0]);
});

test('an unknown bump is refused', () => {
	let failure;
	try {
		execFileSync(process.execPath, ['scripts/release.mjs', 'huge', '--dry-run'], {
			cwd: root,
			stdio: 'pipe',
		});
	} catch (error) {
		failure = error;
	}
	expect(failure.status).toBe(1);
	expect(String(failure.stderr)).toContain('unknown bump "huge"');
});

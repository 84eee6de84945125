// Prepares a release: the version in package.json, CHANGELOG.md's Unreleased section under that version and
// today's date, a commit and a tag. Pushing the tag runs .github/workflows/publish.yml, which publishes to npm
// with provenance. Nothing is pushed from here.
//
//   npm run release -- [patch|minor|major] [--dry-run]
//
// The first release is the version already in package.json (no tag of it exists yet); later ones bump it.
// --dry-run prints the next version and its changelog entry and changes nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const bump = args.find((arg) => !arg.startsWith('--')) ?? 'patch';
const git = (...gitArgs) => execFileSync('git', gitArgs, { cwd: root, encoding: 'utf8' }).trim();

function fail(message) {
	console.error(`release: ${message}`);
	process.exit(1);
}

if (!['patch', 'minor', 'major'].includes(bump))
	fail(`unknown bump "${bump}" (patch, minor or major)`);

const packagePath = path.join(root, 'package.json');
const changelogPath = path.join(root, 'CHANGELOG.md');
const pkg = JSON.parse(readFileSync(packagePath, 'utf8'));
const changelog = readFileSync(changelogPath, 'utf8');

function nextVersion(current) {
	const tagged = git('tag', '--list', current) === current;
	if (!tagged) return current; // not released yet: this is its release
	const [major, minor, patch] = current.split('.').map(Number);
	if (bump === 'major') return `${major + 1}.0.0`;
	if (bump === 'minor') return `${major}.${minor + 1}.0`;
	return `${major}.${minor}.${patch + 1}`;
}

const UNRELEASED = /^## \[Unreleased\]\n([\s\S]*?)(?=^## \[|(?![\s\S]))/m;
const unreleased = UNRELEASED.exec(changelog);
if (!unreleased || unreleased[1].trim() === '')
	fail('CHANGELOG.md has no entries under "## [Unreleased]"');

const version = nextVersion(pkg.version);
const date = new Date().toISOString().slice(0, 10);
const entry = `## [${version}] - ${date}\n${unreleased[1]}`;
const released = changelog.replace(UNRELEASED, `## [Unreleased]\n\n${entry}`);

console.log(
	`next version: ${version}${version === pkg.version ? ' (the first release of this version)' : ` (was ${pkg.version})`}`,
);
console.log(`\n${entry.trim()}\n`);
if (dryRun) {
	console.log('dry run: nothing written, committed, tagged or pushed');
	process.exit(0);
}

if (git('status', '--porcelain') !== '')
	fail('the working tree has changes: commit or stash them first');
if (git('tag', '--list', version) === version) fail(`tag ${version} exists already`);
writeFileSync(packagePath, `${JSON.stringify({ ...pkg, version }, null, '\t')}\n`);
writeFileSync(changelogPath, released);
execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], {
	cwd: root,
	stdio: 'inherit',
});
git('add', 'package.json', 'package-lock.json', 'CHANGELOG.md');
git('commit', '-m', `Release ${version}`);
git('tag', version);
console.log(
	`committed and tagged ${version}. Push both to publish: git push && git push origin ${version}`,
);

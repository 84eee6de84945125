// Runs n8n's verification scanner (@n8n/scan-community-package) on this package without publishing it:
// the scanner's two legs, on the source (nodes/, credentials/, package.json) and on the packed tarball.
// The published scanner fetches both from npm and GitHub; only that download step is replaced here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(tmpdir(), 'lpf-scan-'));
try {
	execFileSync('npm', ['pack', '--pack-destination', work], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
	execFileSync('tar', ['xzf', path.join(work, tarball), '-C', work]);
	const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	const packed = await analyzePackage(path.join(work, 'package'), ['**/*.js', 'package.json']);
	for (const [leg, result] of [
		['source', source],
		[`tarball ${tarball}`, packed],
	]) {
		console.log(
			`${result.passed ? 'passed' : 'FAILED'}: scanner rules on the ${leg}${result.message ? ` (${result.message})` : ''}`,
		);
		if (result.details) console.log(result.details);
	}
	process.exitCode = source.passed && packed.passed ? 0 : 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}

#!/usr/bin/env node
'use strict';
/**
 * `npm run docs:reliability -- <log>`: puts the fault matrix a `npm run test:faults` run printed (its output saved
 * in <log>, e.g. `npm run test:faults 2>&1 | tee faults.log`) into the README's Reliability section, with ports
 * replaced by PORT and the date of the run. test/docs/readme.test.js fails while the README's rows differ from the
 * rows test/faults/matrix.faults.js defines, so a row added there is a row to bring here with this script.
 */
const fs = require('fs');
const path = require('path');
const prettier = require('prettier');

const README = path.resolve(__dirname, '..', 'README.md');
const TITLE = 'Fault matrix (20 items per row, real n8n, LivePerson emulator)';

/** The matrix's table lines from a run's output: the header, the rule and one line per row. */
function matrixTable(log) {
	const lines = log.split('\n');
	const start = lines.lastIndexOf(TITLE);
	if (start < 0)
		throw new Error(`no "${TITLE}" in the log: is it the output of npm run test:faults?`);
	const table = [];
	for (const line of lines.slice(start + 1)) {
		if (line.startsWith('|')) table.push(line.trimEnd());
		else if (table.length) break;
	}
	if (table.length < 3) throw new Error('the matrix in the log has no rows');
	return table.map((line) => line.replace(/\b(127\.0\.0\.1|localhost):\d+/g, '$1:PORT'));
}

/** The README with its Reliability table replaced (the first table after the heading) and the run's date. */
function withTable(readme, table, date) {
	const lines = readme.split('\n');
	const heading = lines.indexOf('## Reliability');
	const first = lines.findIndex((line, i) => i > heading && line.startsWith('| fault'));
	if (heading < 0 || first < 0) throw new Error('README.md has no Reliability table');
	let end = first;
	while (lines[end]?.startsWith('|')) end++;
	lines.splice(first, end - first, ...table);
	return lines
		.join('\n')
		.replace(/(the table the run\s+printed on )\d{4}-\d{2}-\d{2}/, `$1${date}`);
}

async function main() {
	const [logFile] = process.argv.slice(2);
	if (!logFile)
		throw new Error('usage: npm run docs:reliability -- <output of npm run test:faults>');
	const table = matrixTable(fs.readFileSync(logFile, 'utf8'));
	const date = fs.statSync(logFile).mtime.toISOString().slice(0, 10);
	const text = withTable(fs.readFileSync(README, 'utf8'), table, date);
	const options = (await prettier.resolveConfig(README)) ?? {};
	fs.writeFileSync(README, await prettier.format(text, { ...options, filepath: README }));
	process.stdout.write(
		`README.md: Reliability table of ${table.length - 2} rows from ${logFile} (${date})\n`,
	);
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	});
}

module.exports = { matrixTable, withTable };

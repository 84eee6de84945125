'use strict';

/** The README's batch-aware functions are the files the emulator runs, word for word. */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

test.each(['batch-aware.v1.js', 'batch-aware.v2.js'])(
	'README shows examples/functions/%s as it is',
	(file) => {
		const code = fs.readFileSync(path.join(ROOT, 'examples/functions', file), 'utf8').trimEnd();
		expect(readme).toContain(`\`examples/functions/${file}\``);
		expect(readme).toContain(`\`\`\`js\n${code}\n\`\`\``);
	},
);

/** The rows test/faults/matrix.faults.js defines, read without running them (its jest calls are set aside). */
function faultMatrixRows() {
	const saved = { test: global.test, beforeAll: global.beforeAll, afterAll: global.afterAll };
	Object.assign(global, { test: () => {}, beforeAll: () => {}, afterAll: () => {} });
	try {
		return require('../faults/matrix.faults.js').definitions;
	} finally {
		Object.assign(global, saved);
	}
}

/** The README's Reliability table as [fault, expected, observed, pass] cells per row. */
function reliabilityRows() {
	const section = readme.slice(readme.indexOf('## Reliability'), readme.indexOf('## Performance'));
	return section
		.split('\n')
		.filter(
			(line) => line.startsWith('| ') && !line.startsWith('| fault') && !line.startsWith('| -'),
		)
		.map((line) =>
			line
				.slice(2, -2)
				.replace(/\\\|/g, '\u0000')
				.split(' | ')
				.map((cell) => cell.trim().replace(/\u0000/g, '|')),
		);
}

test("README's Reliability table has the fault matrix's rows, in order, each as the run printed it (PASS)", () => {
	const defined = faultMatrixRows().map((row) => [row.fault, row.expected]);
	const shown = reliabilityRows();
	expect(defined.length).toBeGreaterThan(0);
	// A row added to or changed in the matrix: run npm run test:faults and npm run docs:reliability (README Development).
	expect(shown.map(([fault, expected]) => [fault, expected])).toEqual(defined);
	expect(shown.filter((cells) => cells[3] !== 'PASS')).toEqual([]);
	expect(shown.filter((cells) => !cells[2])).toEqual([]);
});

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

'use strict';

const fs = require('fs');

/**
 * Ends every jest run with the plain line "N passed, N failed" (jest's totals across all suites),
 * which CI reads. A suite that fails to load counts as one failure, so it can't pass silently.
 * With JEST_SUMMARY_FILE set it also appends the totals there, for .ci/run to add up several runs.
 */
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const passed = results.numPassedTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		process.stdout.write(`${passed} passed, ${failed} failed\n`);
		if (process.env.JEST_SUMMARY_FILE) {
			fs.appendFileSync(process.env.JEST_SUMMARY_FILE, `${passed} ${failed}\n`);
		}
	}
}

module.exports = SummaryReporter;

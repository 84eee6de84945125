'use strict';

/**
 * The node keeps what one n8n process may share between executions (discovered hosts for 10
 * minutes, a token until it nears expiry) in memory. Tests that count Domain API and token requests
 * must each start as a new process would: each test here runs a day after the previous one, by a
 * fake Date only (timers, ticks and I/O stay real). The emulator reads the same Date, so tokens it
 * issues during a test are as fresh as ever.
 */
const DAY_MS = 24 * 3600 * 1000;
const REAL_TIMERS = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
];

let shift = 0;

function eachTestAsANewProcess() {
	beforeEach(() => {
		shift += DAY_MS;
		jest.useFakeTimers({ doNotFake: REAL_TIMERS, advanceTimers: true, now: Date.now() + shift });
	});
	afterEach(() => jest.useRealTimers());
}

/** Moves the fake Date on within a test (e.g. past the 10 minutes discovered hosts are kept). */
function later(ms) {
	jest.setSystemTime(Date.now() + ms);
}

module.exports = { eachTestAsANewProcess, later };

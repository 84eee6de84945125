'use strict';

/**
 * A fake clock for the protocol core: sleeping moves time forward at once and records the delay;
 * request ids are numbered so tests can name them.
 */
function fakeEnvironment(random = 0.5) {
	let now = 1_700_000_000_000;
	let ids = 0;
	const sleeps = [];
	return {
		sleeps,
		sleep: async (ms) => {
			sleeps.push(ms);
			now += ms;
		},
		now: () => now,
		random: () => random,
		newRequestId: () => `req-${++ids}`,
	};
}

module.exports = { fakeEnvironment };

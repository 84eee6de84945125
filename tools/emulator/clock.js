'use strict';
// The emulator's notion of "now", used for token iat/exp when issuing and for the expiry check when verifying.
// Tests move it forward with advance() to expire tokens without sleeping. It only shifts the emulator's view:
// the client under test keeps the real clock, which is exactly the "server thinks the token expired" situation.

function createClock() {
	let offsetMs = 0;
	return {
		/** Current emulator time in epoch milliseconds. */
		now: () => Date.now() + offsetMs,
		/** Current emulator time in whole epoch seconds (JWT NumericDate). */
		nowSeconds: () => Math.floor((Date.now() + offsetMs) / 1000),
		/** Move the emulator clock forward (or back, with a negative value) by this many seconds. */
		advance(seconds) {
			offsetMs += Number(seconds) * 1000;
		},
		/** Back to the real clock. */
		reset() {
			offsetMs = 0;
		},
		get offsetSeconds() {
			return offsetMs / 1000;
		},
	};
}

module.exports = { createClock };

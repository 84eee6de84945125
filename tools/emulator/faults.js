'use strict';
// Fault injection: tests register faults that replace or disturb the normal answer of matching requests.
// The first registered fault that matches and still has uses left applies; at most one fault per request.
//
// Action types and whether the normal handling (for the gateway: the function) still runs:
//   status       answer { status, headers?, body? } instead        → does NOT run
//   delay        wait ms, then normal handling                      → runs (after the delay)
//   reset-before destroy the socket, no answer                      → does NOT run
//   reset-after  normal handling, then destroy the socket           → runs
//   hang         normal handling, never answer (until client/stop)  → runs
//   raw          normal handling, then answer a non-JSON body       → runs
//   empty        normal handling, then answer an empty body         → runs
//   status-after normal handling, then answer { status, headers?, body? } instead → runs
//   trickle      normal handling, then the answer (or its headers) a few bytes at a time → runs
//   flood        normal handling, then a JSON answer of `bytes` bytes, streamed  → runs

const ACTIONS = new Set([
	'status',
	'status-after',
	'delay',
	'reset-before',
	'reset-after',
	'hang',
	'raw',
	'empty',
	'trickle',
	'flood',
]);
const SERVICES = new Set(['csds', 'sentinel', 'faasGW', 'faasUI']);

function validate(spec) {
	if (!spec || typeof spec !== 'object') throw new TypeError('fault(spec): spec must be an object');
	if (spec.service !== undefined && !SERVICES.has(spec.service)) {
		throw new TypeError(
			`fault: unknown service "${spec.service}" (use ${[...SERVICES].join(', ')})`,
		);
	}
	const action = spec.action;
	if (!action || !ACTIONS.has(action.type)) {
		throw new TypeError(`fault: action.type must be one of ${[...ACTIONS].join(', ')}`);
	}
	if (
		(action.type === 'status' || action.type === 'status-after') &&
		!Number.isInteger(action.status)
	) {
		throw new TypeError('fault: a status action needs an integer status');
	}
	if (action.type === 'delay' && !(action.ms >= 0))
		throw new TypeError('fault: a delay action needs ms >= 0');
	if (action.type === 'flood' && !(action.bytes >= 2))
		throw new TypeError('fault: a flood action needs bytes >= 2');
}

function matches(fault, entry) {
	if (fault.service && fault.service !== entry.service) return false;
	const m = fault.match || {};
	if (m.method && String(m.method).toUpperCase() !== entry.method) return false;
	if (m.pathIncludes && !entry.path.includes(m.pathIncludes)) return false;
	if (
		m.uuid &&
		!entry.path.includes(`/lambdas/${m.uuid}/`) &&
		!entry.path.includes(`/functions/${m.uuid}`)
	) {
		return false;
	}
	return true;
}

function createFaults() {
	let faults = [];

	return {
		/** Registers a fault; returns a handle { hits, remaining, remove() }. */
		add(spec) {
			validate(spec);
			const fault = {
				service: spec.service,
				match: spec.match,
				action: { ...spec.action },
				remaining: spec.times === undefined ? Infinity : spec.times,
				hits: 0,
			};
			faults.push(fault);
			return {
				get hits() {
					return fault.hits;
				},
				get remaining() {
					return fault.remaining;
				},
				remove() {
					faults = faults.filter((f) => f !== fault);
				},
			};
		},
		/** Finds (and consumes one use of) the fault for this request, or returns null. */
		take(entry) {
			const fault = faults.find((f) => f.remaining > 0 && matches(f, entry));
			if (!fault) return null;
			fault.remaining -= 1;
			fault.hits += 1;
			return fault.action;
		},
		clear() {
			faults = [];
		},
	};
}

module.exports = { createFaults };

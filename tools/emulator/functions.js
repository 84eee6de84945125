'use strict';
// The account's functions: what the gateway invokes and the UI lists.
// Only deployed functions can be invoked; any other state answers 404 like an unknown UUID (reference §7).

// LivePerson's UI shows "Productive" for a deployed function and "Modified" for a deployed one whose code was
// edited since; both still run. Draft/Undeployed/Failed/etc. are not invocable.
const DEPLOYED_STATES = new Set(['Productive', 'Modified']);

function normalizeFunction(fn, defaultTimestamp) {
	if (!fn || typeof fn !== 'object') throw new TypeError('function definition must be an object');
	if (typeof fn.uuid !== 'string' || fn.uuid === '')
		throw new TypeError('function definition needs a uuid string');
	if (fn.handler !== undefined && typeof fn.handler !== 'function') {
		throw new TypeError(`function ${fn.uuid}: handler must be a function`);
	}
	return {
		uuid: fn.uuid,
		name: fn.name === undefined ? fn.uuid : String(fn.name),
		description: fn.description === undefined ? '' : fn.description,
		state: fn.state === undefined ? 'Productive' : fn.state,
		eventId: fn.eventId === undefined ? null : fn.eventId,
		version: fn.version === undefined ? 1 : fn.version,
		createdAt: fn.createdAt || defaultTimestamp,
		updatedAt: fn.updatedAt || fn.createdAt || defaultTimestamp,
		latencyMs: fn.latencyMs || 0,
		// Reference §7: a function runs at most 30 s; past that the platform reports a function failure (901).
		timeoutMs: fn.timeoutMs === undefined ? 30000 : fn.timeoutMs,
		// No handler: the function runs and returns nothing (empty 200 body).
		handler: fn.handler || (async () => undefined),
	};
}

function createRegistry(initial) {
	const startedAt = new Date().toISOString();
	const byUuid = new Map(); // insertion order = listing order = event invocation order

	const registry = {
		add(fn) {
			const normalized = normalizeFunction(fn, startedAt);
			byUuid.set(normalized.uuid, normalized); // same uuid again replaces the definition
			return normalized;
		},
		remove: (uuid) => byUuid.delete(uuid),
		get: (uuid) => byUuid.get(uuid),
		list: () => [...byUuid.values()],
		isDeployed: (fn) => Boolean(fn) && DEPLOYED_STATES.has(fn.state),
		/** The deployed function with this uuid, or undefined (unknown and not-deployed look the same). */
		invocable(uuid) {
			const fn = byUuid.get(uuid);
			return registry.isDeployed(fn) ? fn : undefined;
		},
		boundTo: (eventId) =>
			[...byUuid.values()].filter((fn) => fn.eventId === eventId && registry.isDeployed(fn)),
	};
	for (const fn of initial || []) registry.add(fn);
	return registry;
}

/** The listing item for a function: what faasUI returns (reference §6). */
function toListItem(fn) {
	const { uuid, name, description, state, eventId, version, createdAt, updatedAt } = fn;
	return { uuid, name, description, state, eventId, version, createdAt, updatedAt };
}

module.exports = { createRegistry, toListItem, DEPLOYED_STATES };

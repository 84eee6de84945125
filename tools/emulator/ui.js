'use strict';
// faasUI, the function listing (reference §6).
//   GET /api/account/{acc}/lambdas/?state=Productive&state=Draft&userId=...&v=1        (V1)
//   GET /api/account/{acc}/functions?state=...&userId=...&functionName=...            (V2)
// → [{uuid, name, description, state, eventId, version, createdAt, updatedAt}]
// The path decides the error body shape (V1 path → V1 shape), independent of the gateway's platform setting.
// Whether app tokens may list is unknown in reality: option listingAllowedFor 'all' (default) or 'user-only'
// (app tokens from the client credentials grant get 403).
// Filters: `state` (repeatable; none → every state), `functionName` (case-insensitive substring; on both paths).

const { json, platformError, CODES } = require('./respond');
const { toListItem } = require('./functions');

const V1_LIST = /^\/api\/account\/([^/]+)\/lambdas\/?$/;
const V2_LIST = /^\/api\/account\/([^/]+)\/functions\/?$/;

const versionOf = (entry) => (V2_LIST.test(entry.path) ? 'v2' : 'v1');

const error = (state, entry, status, kind, message) =>
	platformError(versionOf(entry), status, CODES[kind] || CODES.internal, message);

const asList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

async function handle({ state, entry }) {
	const m = V1_LIST.exec(entry.path) || V2_LIST.exec(entry.path);
	if (!m)
		return error(state, entry, 404, 'routeNotFound', `no such faasUI resource: ${entry.path}`);
	if (entry.method !== 'GET')
		return error(state, entry, 405, 'methodNotAllowed', `${entry.method} not allowed`);

	const account = decodeURIComponent(m[1]);
	const auth = await state.tokens.check(entry.headers.authorization, account);
	if (!auth.ok) return error(state, entry, 401, 'unauthorized', auth.reason);
	if (auth.kind === 'app' && state.options.listingAllowedFor === 'user-only') {
		return error(state, entry, 403, 'forbidden', 'listing functions requires a user login');
	}

	const states = asList(entry.query.state).filter((s) => s !== '');
	const nameFilter = asList(entry.query.functionName)[0];
	const items = state.functions
		.list()
		.filter((fn) => states.length === 0 || states.includes(fn.state))
		.filter((fn) => !nameFilter || fn.name.toLowerCase().includes(String(nameFilter).toLowerCase()))
		.map(toListItem);
	return json(200, items);
}

module.exports = { name: 'faasUI', handle, error };

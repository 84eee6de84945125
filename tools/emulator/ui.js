'use strict';
// faasUI, the function listing (reference §6).
//   GET /api/account/{acc}/lambdas/?state=Productive&state=Draft&userId=...&v=1        (V1)
//   GET /api/account/{acc}/functions?state=...&userId=...&functionName=...            (V2)
// → [{uuid, name, description, state, eventId, version, createdAt, updatedAt}]
// Only the path of the faasUI host's flavour is served (platform.js: a V2-looking host serves `functions`, any
// other `lambdas/`), the way LivePerson's client picks the path from that host (baseClient.js getLambdas); the other
// path is 404. The error body shape is the flavour's.
// Whether app tokens may list is unknown in reality (reference §6; LivePerson's client lists with a user login):
// option listingAllowedFor 'user-only' (default: app tokens from the client credentials grant get 403) or 'all'.
// Filters: `state` (repeatable; none → every state), `functionName` (case-insensitive substring; on both paths).

const { json, platformError, CODES } = require('./respond');
const { toListItem } = require('./functions');

const V1_LIST = /^\/api\/account\/([^/]+)\/lambdas\/?$/;
const V2_LIST = /^\/api\/account\/([^/]+)\/functions\/?$/;

const error = (state, entry, status, kind, message) =>
	platformError(state.platformOf('faasUI'), status, CODES[kind] || CODES.internal, message);

const asList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

async function handle({ state, entry }) {
	const m = (state.platformOf('faasUI') === 'v2' ? V2_LIST : V1_LIST).exec(entry.path);
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

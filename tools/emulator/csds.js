'use strict';
// CSDS, LivePerson's Domain API (reference §1): tells a client which host serves each service for an account.
//   GET /api/account/{accountId}/service/{serviceName}/baseURI.json?version=1.0  → {"service","account","baseURI"}
//   GET /api/account/{accountId}/service/baseURI.json?version=1.0                → {"baseURIs":[...]}
// No authentication. baseURI is a bare host (no scheme, no path): "127.0.0.1:<port of that service>" here,
// unless a test overrides it (serviceHosts / setServiceHost) to check how a client treats a bad discovered host.
// The `version` query parameter is recorded but not enforced (what CSDS does without it is not documented).

const { json } = require('./respond');

const ONE = /^\/api\/account\/([^/]+)\/service\/([^/]+)\/baseURI\.json$/;
const ALL = /^\/api\/account\/([^/]+)\/service\/baseURI\.json$/;

function record(state, service, account) {
	return { service, account, baseURI: state.baseUriOf(service) };
}

// Error bodies of CSDS are not documented; only the statuses are (400 bad account, 404 unknown service).
const error = (state, entry, status, _kind, message) => json(status, { code: status, message });

function handle({ state, entry }) {
	const all = ALL.exec(entry.path);
	const one = all ? null : ONE.exec(entry.path);
	if (!all && !one)
		return error(state, entry, 404, 'route', `no such CSDS resource: ${entry.path}`);
	if (entry.method !== 'GET')
		return error(state, entry, 405, 'method', `${entry.method} not allowed`);

	const account = decodeURIComponent((all || one)[1]);
	if (account !== state.options.accountId)
		return error(state, entry, 400, 'account', `Bad account ${account}`);

	if (all) {
		return json(200, {
			baseURIs: state.knownServices().map((service) => record(state, service, account)),
		});
	}
	const service = decodeURIComponent(one[2]);
	if (!state.knownServices().includes(service)) {
		return error(
			state,
			entry,
			404,
			'service',
			`Service ${service} not found for account ${account}`,
		);
	}
	return json(200, record(state, service, account));
}

module.exports = { name: 'csds', handle, error };

'use strict';

/**
 * The node's two credentials filled in for an emulator, as a user would fill them in: the app
 * (client credentials, hosts discovered through the emulator's Domain API) and the user (OAuth2,
 * Sentinel at the emulator's host:port). `extra` overrides or adds fields.
 */
function appCredential(emu, extra = {}) {
	return {
		accountId: emu.accountId,
		clientId: emu.clients[0].clientId,
		clientSecret: emu.clients[0].clientSecret,
		hostMode: 'discover',
		domainApiUrl: emu.urls.csds,
		...extra,
	};
}

function userCredential(emu, extra = {}) {
	return {
		accountId: emu.accountId,
		sentinel: 'custom',
		sentinelHost: emu.hosts.sentinel,
		clientId: emu.clients[0].clientId,
		clientSecret: emu.clients[0].clientSecret,
		domainApiUrl: emu.urls.csds,
		...extra,
	};
}

module.exports = { appCredential, userCredential };

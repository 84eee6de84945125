'use strict';
// Which LivePerson Functions platform a host belongs to. There is no switch for it on LivePerson's side: a client
// tells V2 from V1 by the host name the Domain API hands out (reference §4 "The V2 platform": "LivePerson's client
// decides V1 vs V2 from the discovered gateway host (V2 hosts contain `fninvocations` or `functions`)";
// liveperson-functions-client 2.2.0, baseClient.js isV2Domain). The emulator follows the same rule for the hosts
// it hands out itself: faasGW for the gateway, faasUI for the listing.

const V2_HOST = /fninvocations|functions/i;

/** 'v2' for a V2-looking host name, else 'v1'. */
const platformOfHost = (host) => (V2_HOST.test(String(host)) ? 'v2' : 'v1');

/**
 * The V2-looking names the emulator hands out for `platform: 'v2'` / `setPlatform('v2')`, with the listener's port.
 * They are .localhost names (RFC 6761 §6.3: loopback) named in the emulator certificate; a process resolves them
 * with ./localhost-names.js (glibc does not).
 */
const V2_NAMES = Object.freeze({
	faasGW: 'fninvocations.localhost',
	faasUI: 'functions.localhost',
});

function checkPlatform(platform) {
	if (platform !== 'v1' && platform !== 'v2')
		throw new TypeError(`platform must be 'v1' or 'v2', got ${platform}`);
}

module.exports = { platformOfHost, V2_NAMES, checkPlatform };

'use strict';

/** Where the hosts of a credential come from: stored, configured, or the Domain API (shared per process). */
const {
	resolveHosts,
	DOMAINS_MAX_AGE_MS,
} = require('../../../../nodes/LivePersonFunction/transport/auth');
const {
	readCredentialSettings,
} = require('../../../../nodes/LivePersonFunction/transport/credentialSettings');
const { fakeHttp, json } = require('../../../helpers/fakeHttp');

const domainAnswer = (gateway) =>
	json(200, {
		baseURIs: [
			{ service: 'sentinel', account: '123456', baseURI: 'va.sentinel.liveperson.net' },
			{ service: 'faasGW', account: '123456', baseURI: gateway },
		],
	});

test('a credential without stored hosts never gets a shared discovery older than DOMAINS_MAX_AGE_MS, even when any stored age is accepted', async () => {
	// A fresh account per test run: the discovery cache is per process.
	const settings = readCredentialSettings({
		accountId: `acc${Date.now()}`,
		clientId: 'c',
		clientSecret: 's',
		hostMode: 'discover',
	});
	const t0 = 1_700_000_000_000;
	const first = fakeHttp(domainAnswer('va.faasgw.liveperson.net'));
	const one = await resolveHosts(first, settings, undefined, t0, Number.POSITIVE_INFINITY);
	expect(one.hosts.faasGW).toBe('va.faasgw.liveperson.net');

	// Within the age: the process's answer is shared, nothing is asked.
	const none = fakeHttp();
	const shared = await resolveHosts(none, settings, undefined, t0 + 1000, Infinity);
	expect(shared.hosts.faasGW).toBe('va.faasgw.liveperson.net');
	expect(none.requests).toHaveLength(0);

	// Past it: asked again, and the new answer is used.
	const later = fakeHttp(domainAnswer('va.fninvocations.liveperson.net'));
	const two = await resolveHosts(later, settings, undefined, t0 + DOMAINS_MAX_AGE_MS + 1, Infinity);
	expect(later.requests).toHaveLength(1);
	expect(two.hosts.faasGW).toBe('va.fninvocations.liveperson.net');
});

test('stored hosts for the same settings are used at any accepted age, without asking', async () => {
	const settings = readCredentialSettings({
		accountId: 'stored1',
		clientId: 'c',
		clientSecret: 's',
	});
	const stored = JSON.stringify({
		key: settings.hostsKey,
		discoveredAt: 0,
		hosts: { sentinel: 'a.example.com', faasGW: 'b.example.com' },
	});
	const none = fakeHttp();
	const { hosts } = await resolveHosts(none, settings, stored, 1e13, Infinity);
	expect(hosts.faasGW).toBe('b.example.com');
	expect(none.requests).toHaveLength(0);
});

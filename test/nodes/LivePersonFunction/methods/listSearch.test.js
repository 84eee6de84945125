'use strict';

const { NodeApiError } = require('n8n-workflow');
const { startEmulator } = require('../../../../tools/emulator');
const { appCredential } = require('../../../../tools/emulator/credentials');
const { searchFunctions } = require('../../../../nodes/LivePersonFunction/methods/listSearch');
const { createContext, credentialStore, leakedSecrets } = require('../../../helpers/n8nContext');

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const DRAFT = 'cccccccc-0000-4000-8000-000000000003';

let emu;
const seen = [];

afterEach(async () => {
	if (emu) {
		expect(leakedSecrets(emu, seen)).toEqual([]);
		await emu.stop();
		emu = undefined;
	}
});

async function search(options, filter, credential = {}) {
	emu = await startEmulator({
		functions: [
			{ uuid: A, name: 'greeting', description: 'Says hello' },
			{ uuid: B, name: 'order-total' },
			{ uuid: DRAFT, name: 'draft-one', state: 'Draft' },
		],
		...options,
	});
	const store = credentialStore(appCredential(emu, credential(emu)));
	const { context, close } = createContext({ emu, store, parameters: {} });
	try {
		const result = await searchFunctions.call(context, filter);
		seen.push(result);
		return result;
	} finally {
		close();
	}
}

test('lists the deployed functions by name, filtered by the search text', async () => {
	// Listing with the app credential's token is what this tests: the emulator must allow it (not its default).
	const all = await search({ listingAllowedFor: 'all' }, undefined, () => ({}));
	expect(all.results).toEqual([
		{ name: 'greeting', value: A, description: 'Says hello · Productive' },
		{ name: 'order-total', value: B, description: 'Productive' },
	]);
	const [listing] = emu.requestsOf('faasUI');
	expect(listing.path).toBe(`/api/account/${emu.accountId}/lambdas/`);
	expect(listing.query).toMatchObject({ v: '1', state: 'Productive' });
	expect(listing.headers.authorization).toMatch(/^Bearer /);
});

test('the search text filters', async () => {
	const found = await search({ listingAllowedFor: 'all' }, 'ORDER', () => ({}));
	expect(found.results.map((r) => r.value)).toEqual([B]);
});

test('a token that may not list functions (403): an error the editor shows in full, not a list entry', async () => {
	// The emulator's default: app tokens may not list (reference §6: unknown; LivePerson's client lists as a user).
	// A list entry would be clickable and replace a function already chosen; the editor shows an error's
	// message and description (a notice) in full instead, with nothing to pick.
	const error = await search({}, undefined, () => ({})).catch((e) => e);
	seen.push(error);
	expect(error).toBeInstanceOf(NodeApiError);
	expect(error.message).toBe('This credential may not list functions');
	expect(error.httpCode).toBe('403');
	expect(error.description).toMatch(/^Switch Function to "By ID" and paste the function's UUID/);
	expect(emu.requestsOf('faasUI').map((r) => r.status)).toEqual([403]);
});

test('without a Functions UI host (region or manual hosts) the error says so, nothing is asked', async () => {
	const error = await search({}, undefined, (e) => ({
		hostMode: 'manual',
		sentinelHost: e.hosts.sentinel,
		gatewayHost: e.hosts.faasGW,
	})).catch((e) => e);
	seen.push(error);
	expect(error).toBeInstanceOf(NodeApiError);
	expect(error.message).toBe('No Functions UI host is known for this credential');
	expect(error.description).toMatch(/"By ID"/);
	expect(emu.requestsOf('faasUI')).toHaveLength(0);
});

test('other failures are errors that say what happened', async () => {
	const error = await search({}, undefined, () => ({ clientSecret: 'wrong' })).catch((e) => e);
	expect(error.message).toMatch(/rejected the Client ID or Client Secret/);
	seen.push(error);
});

'use strict';

/**
 * Event → Invoke, Event → Is Implemented and Function → Get Many against the emulator, with the
 * client-credentials credential and with the OAuth2 (user) credential.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

const { NodeApiError } = require('n8n-workflow');
const { startEmulator } = require('../../../../../tools/emulator');
const { appCredential, userCredential } = require('../../../../../tools/emulator/credentials');
const {
	LivePersonFunction,
} = require('../../../../../nodes/LivePersonFunction/LivePersonFunction.node');
const { credentialStore, executeNode } = require('../../../../helpers/n8nContext');
const { leakedSecrets } = require('../../../../helpers/secrets');
const { userTokens } = require('../../../../helpers/userTokens');

const GREET = 'aaaa0000-0000-4000-8000-00000000000a';
const AUDIT = 'aaaa0000-0000-4000-8000-00000000000b';
const DRAFTED = 'aaaa0000-0000-4000-8000-00000000000c';
const OTHER = 'aaaa0000-0000-4000-8000-00000000000d';

const node = new LivePersonFunction();
let emu;
const seen = [];

/** The emulator's options: the same account, on V1 (the default) or on V2 (`platform: 'v2'`). */
const emulatorOptions = (extra = {}) => ({
	listingAllowedFor: 'user-only',
	functions: [
		{
			uuid: GREET,
			name: 'greet',
			eventId: 'conversational_command',
			handler: async (input, ctx) => ({
				hello: input.payload.name,
				userId: ctx.request.query.userId ?? null,
			}),
		},
		{
			uuid: AUDIT,
			name: 'audit',
			eventId: 'conversational_command',
			handler: async () => 'logged',
		},
		{
			uuid: DRAFTED,
			name: 'drafted',
			eventId: 'controllerbot_messaging_conversation_end',
			state: 'Draft',
		},
		{ uuid: OTHER, name: 'other-thing' },
	],
	...extra,
});

beforeAll(async () => {
	emu = await startEmulator(emulatorOptions());
});
afterAll(async () => {
	await emu.stop();
	expect(leakedSecrets(emu, seen)).toEqual([]);
});

let store;
let oauth2Store;
beforeEach(async () => {
	store = credentialStore(appCredential(emu));
	oauth2Store = {
		data: userCredential(emu, { userId: '', oauthTokenData: await userTokens(emu) }),
	};
	emu.clearLog();
});

/**
 * Runs `body` against a V2 account: another emulator (`platform: 'v2'`), whose Domain API hands out
 * the V2 host names fninvocations.localhost / functions.localhost, and fresh credentials for it.
 * Another emulator, not a switch on this one: the node keeps an account's discovered hosts in memory.
 */
async function onV2Account(body) {
	const v1 = { emu, store, oauth2Store };
	emu = await startEmulator(emulatorOptions({ platform: 'v2' }));
	store = credentialStore(appCredential(emu));
	oauth2Store = {
		data: userCredential(emu, { userId: '', oauthTokenData: await userTokens(emu) }),
	};
	try {
		await body();
		expect(leakedSecrets(emu, seen)).toEqual([]);
	} finally {
		await emu.stop();
		({ emu, store, oauth2Store } = v1);
	}
}

const run = (parameters, { items = [{ json: { name: 'Ada' } }], continueOnFail = false } = {}) =>
	executeNode(node, { emu, store, oauth2Store, parameters, items, continueOnFail }, seen);

const gateway = () => emu.requestsOf('faasGW');

describe('Event → Invoke', () => {
	const event = (options = {}, extra = {}) => ({
		resource: 'event',
		operation: 'invoke',
		eventId: 'conversational_command',
		options,
		...extra,
	});

	test('one item holding the list of results, paired with its input', async () => {
		const output = await run(event({ userId: 'bot-1' }), {
			items: [{ json: { name: 'Ada' } }, { json: { name: 'Bob' } }],
		});
		expect(output.map((o) => o.json)).toEqual([
			{ result: [{ hello: 'Ada', userId: 'bot-1' }, 'logged'] },
			{ result: [{ hello: 'Bob', userId: 'bot-1' }, 'logged'] },
		]);
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const [first] = gateway();
		expect(first.method).toBe('POST');
		expect(first.path).toBe(`/api/account/${emu.accountId}/events/conversational_command/invoke`);
		expect(first.query).toEqual({ v: '1', userId: 'bot-1' });
	});

	test('one item per function result, each paired with its input item', async () => {
		const output = await run(
			event({ eventOutput: 'split', output: 'addToInput', resultField: 'reply' }),
			{ items: [{ json: { name: 'Ada' } }, { json: { name: 'Bob' } }] },
		);
		expect(output.map((o) => [o.pairedItem.item, o.json.reply])).toEqual([
			[0, { hello: 'Ada', userId: null }],
			[0, 'logged'],
			[1, { hello: 'Bob', userId: null }],
			[1, 'logged'],
		]);
	});

	test('an event with no deployed function gives an empty list, and in split mode still one item', async () => {
		expect(
			(await run(event({}, { eventId: 'controllerbot_messaging_conversation_end' })))[0].json,
		).toEqual({ result: [] });
		expect(
			(
				await run(
					event({ eventOutput: 'split' }, { eventId: 'custom', customEventId: 'no_such_event' }),
				)
			)[0].json,
		).toEqual({ result: [] });
		expect(gateway()[1].path).toContain('/events/no_such_event/invoke');
	});

	test('V2 (picked by the node from the discovered gateway host): no v, LP-EventSource, skillId', async () => {
		await onV2Account(async () => {
			await run(event({ skillId: '3' }));
			expect(gateway()[0].headers.host).toBe(emu.baseUri('faasGW'));
			expect(gateway()[0].headers.host).toMatch(/^fninvocations\.localhost:/);
			expect(gateway()[0].query).toEqual({ skillId: '3' });
			expect(gateway()[0].headers['lp-eventsource']).toBe('n8n');
		});
	});

	test('a bad custom event id names the item and the field', async () => {
		const error = await run(event({}, { eventId: 'custom', customEventId: 'bad id!' })).catch(
			(e) => e,
		);
		expect(error.message).toBe('Item 0, field "Event ID": "bad id!" is not an event ID');
		expect(gateway()).toHaveLength(0);
	});

	test('with the OAuth2 credential the user id comes from the token', async () => {
		const output = await run({ authentication: 'oAuth2', ...event() });
		expect(output[0].json.result[0]).toEqual({ hello: 'Ada', userId: 'lp-user-1' });
		expect(gateway()[0].headers.authorization).toBe(
			`Bearer ${oauth2Store.data.oauthTokenData.access_token}`,
		);
		expect(emu.requestsOf('sentinel')).toHaveLength(0);
	});

	test('the OAuth2 credential discovers its gateway once for the executions of a process, not every time', async () => {
		const csdsBefore = emu.requestsOf('csds').length;
		const runs = [];
		for (let n = 0; n < 3; n++) runs.push(await run({ authentication: 'oAuth2', ...event() }));
		expect(runs.map((output) => output[0].json.result[0].hello)).toEqual(['Ada', 'Ada', 'Ada']);
		expect(emu.requestsOf('csds').length - csdsBefore).toBeLessThanOrEqual(1);
	});
});

describe('Event → Is Implemented', () => {
	test.each([
		[
			'conversational_command',
			'',
			{ eventId: 'conversational_command', skillId: null, implemented: true },
		],
		[
			'controllerbot_messaging_conversation_end',
			'9',
			{ eventId: 'controllerbot_messaging_conversation_end', skillId: '9', implemented: false },
		],
	])('%s', async (eventId, skillId, expected) => {
		const output = await run({
			resource: 'event',
			operation: 'isImplemented',
			eventId,
			options: { skillId },
		});
		expect(output.map((o) => o.json)).toEqual([expected]);
		expect(gateway()[0].method).toBe('GET');
		expect(gateway()[0].path).toBe(`/api/account/${emu.accountId}/events/${eventId}/isImplemented`);
	});

	test('nothing is cached: asking again asks LivePerson again', async () => {
		await run({ resource: 'event', operation: 'isImplemented', eventId: 'conversational_command' });
		await run({ resource: 'event', operation: 'isImplemented', eventId: 'conversational_command' });
		expect(gateway()).toHaveLength(2);
	});
});

describe('Function → Get Many', () => {
	const getMany = (extra = {}) => ({
		authentication: 'oAuth2',
		resource: 'function',
		operation: 'getMany',
		returnAll: true,
		...extra,
	});

	test('with the OAuth2 credential: every function, with filters and limit', async () => {
		const all = await run(getMany());
		expect(all.map((o) => o.json.uuid)).toEqual([GREET, AUDIT, DRAFTED, OTHER]);
		expect(all[0].json).toMatchObject({
			name: 'greet',
			state: 'Productive',
			eventId: 'conversational_command',
		});
		expect(all.every((o) => o.pairedItem.item === 0)).toBe(true);
		expect(emu.requestsOf('faasUI')[0]).toMatchObject({
			path: `/api/account/${emu.accountId}/lambdas/`,
			query: { v: '1', userId: 'lp-user-1' },
		});

		const productive = await run(getMany({ filters: { states: ['Productive'], name: 'E' } }));
		expect(productive.map((o) => o.json.name)).toEqual(['greet', 'other-thing']);
		expect(emu.requestsOf('faasUI')[1].query.state).toBe('Productive');

		const limited = await run(getMany({ returnAll: false, limit: 2 }));
		expect(limited).toHaveLength(2);
	});

	test('V2 (a V2 Functions UI host) lists at /functions with the name filter on the server', async () => {
		await onV2Account(async () => {
			// The OAuth2 credential's hosts are entered by hand: the V2 names the emulator hands out.
			oauth2Store.data.gatewayHost = emu.baseUri('faasGW');
			oauth2Store.data.uiHost = emu.baseUri('faasUI');
			expect(oauth2Store.data.uiHost).toMatch(/^functions\.localhost:/);
			const output = await run(getMany({ filters: { name: 'greet' } }));
			expect(output.map((o) => o.json.name)).toEqual(['greet']);
			expect(emu.requestsOf('faasUI')[0]).toMatchObject({
				path: `/api/account/${emu.accountId}/functions`,
				query: { functionName: 'greet' },
				headers: expect.objectContaining({ host: emu.baseUri('faasUI') }),
			});
			expect(emu.requestsOf('csds')).toHaveLength(0);
		});
	});

	test('with the client-credentials credential a 403 says so and points to the OAuth2 credential', async () => {
		const error = await run(getMany({ authentication: 'clientCredentials' })).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/refused the access token \(HTTP 403\)/);
		expect(error.description).toMatch(/may not list functions.*OAuth2 API credential/);
	});

	test("an expired user token is refreshed once (n8n's OAuth2 refresh) and the listing succeeds", async () => {
		emu.clock.advance(9 * 3600);
		try {
			const output = await run(getMany());
			expect(output).toHaveLength(4);
			expect(oauth2Store.refreshes).toBe(1);
			expect(emu.requestsOf('faasUI').map((r) => r.status)).toEqual([401, 200]);
		} finally {
			emu.clock.reset();
		}
	});
});

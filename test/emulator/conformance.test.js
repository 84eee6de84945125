'use strict';

/**
 * The emulator, checked by LivePerson's own client.
 *
 * Every test of this project stands on the emulator (tools/emulator), which the node's authors wrote from the
 * documentation. LivePerson publishes a Node client that knows the real protocol, `liveperson-functions-client`
 * (devDependency, pinned 2.2.0). Here that client drives the emulator through every call it offers: discovery, token,
 * token reuse, V1 and V2 invoke, event invoke, is implemented, listing (both paths), 404, 901 and a wrong secret.
 * Each test checks what the client got AND what the emulator logged.
 *
 * The client only talks to LivePerson's real host names on default ports (CSDS: http://adminlogin.liveperson.net,
 * port 80, csdsClient.js; every other host from the CSDS answer, https on 443, clientConfig.js). routeHosts() sends
 * those connections to the emulator's listeners inside this jest process only; the emulator hands out LivePerson-like
 * host names (setServiceHost) and serves CSDS over plain HTTP too (csdsPlainHttp).
 *
 * Where the client and the reference disagree, the reference decides (the seed pages first); each such test names the
 * line. "reference" = ../shared/reference/liveperson-functions-api.md, "seed 001" = ../shared/reference/seeds/
 * 001_f8e516b912037803.txt (External Invocations: Client Credentials).
 */
const { Client } = require('liveperson-functions-client');
const { CsdsClient } = require('liveperson-functions-client/build/src/helper/csdsClient');
const { decodeJwt, decodeProtectedHeader } = require('jose');
const { startEmulator } = require('../../tools/emulator');
const { routeHosts } = require('../helpers/routeHosts');

const CLIENT_VERSION = require('liveperson-functions-client/package.json').version;

/** The client's user agent: baseClient.js sends `faas-client-js@2.0.0` (its own constant, not the package version). */
const USER_AGENT = 'faas-client-js@2.0.0';

// LivePerson's hosts. CSDS: csdsClient.js getCsdsDomain for an account id without a QA/alpha prefix. Sentinel and
// gateway: reference §1 (lines 18-23) and seed 001 (lines 37-53). No Functions UI host and no V2 host is published
// (reference §4 line 70, nodes/.../hosts.ts): the faasUI and V2 names below are invented, V2-looking or not by the
// client's own rule (baseClient.js isV2Domain: the host contains `fninvocations` or `functions`).
const HOST = {
	csds: 'adminlogin.liveperson.net',
	sentinel: 'va.sentinel.liveperson.net',
	faasGW: 'va.faasgw.liveperson.net',
	faasUI: 'va.faasui.liveperson.net',
	faasGWv2: 'va.fninvocations.liveperson.net',
	faasUIv2: 'va.functions.liveperson.net',
};

const UUID = {
	echo: 'c0f0a000-0000-4000-8000-000000000001',
	fail: 'c0f0a000-0000-4000-8000-000000000002',
	runtime: 'c0f0a000-0000-4000-8000-000000000003',
	slow: 'c0f0a000-0000-4000-8000-000000000004',
	draft: 'c0f0a000-0000-4000-8000-000000000005',
	ev1: 'c0f0a000-0000-4000-8000-000000000006',
	ev2: 'c0f0a000-0000-4000-8000-000000000007',
};
const EVENT = 'conversational_command'; // an event id LivePerson uses (reference §5 line 78)
const SOURCE = 'conformance-suite';

const functions = () => [
	{ uuid: UUID.echo, name: 'echo', handler: async (input) => ({ input }) },
	{
		uuid: UUID.fail,
		name: 'fail',
		handler: async () => {
			throw new Error('boom');
		},
	},
	{
		uuid: UUID.runtime,
		name: 'runtime',
		// A failure the platform names in V1 words (reference §7 line 107: runtime-exception).
		handler: async () => {
			throw {
				errorCode: 'com.liveperson.faas.handler.runtime-exception',
				message: 'x is undefined',
			};
		},
	},
	{ uuid: UUID.slow, name: 'slow', latencyMs: 200, timeoutMs: 20, handler: async () => 'late' },
	{ uuid: UUID.draft, name: 'draft', state: 'Draft' },
	{ uuid: UUID.ev1, name: 'event one', eventId: EVENT, handler: async (i) => ({ one: i.payload }) },
	{ uuid: UUID.ev2, name: 'event two', eventId: EVENT, handler: async () => 'two' },
];

let emu;
let restoreHosts;

beforeAll(async () => {
	emu = await startEmulator({ csdsPlainHttp: true, functions: functions() });
	const port = (service) => Number(emu.hosts[service].split(':')[1]);
	const tlsTo = (service) => ({ port: port(service), tls: true });
	restoreHosts = routeHosts(
		{
			[`${HOST.csds}:80`]: { port: port('csdsHttp'), tls: false },
			[`${HOST.sentinel}:443`]: tlsTo('sentinel'),
			[`${HOST.faasGW}:443`]: tlsTo('faasGW'),
			[`${HOST.faasGWv2}:443`]: tlsTo('faasGW'),
			[`${HOST.faasUI}:443`]: tlsTo('faasUI'),
			[`${HOST.faasUIv2}:443`]: tlsTo('faasUI'),
		},
		{ ca: emu.caPem },
	);
});

afterAll(async () => {
	if (restoreHosts) {
		expect(restoreHosts.refused).toEqual([]); // the client tried no host outside the map
		restoreHosts();
	}
	if (emu) await emu.stop();
});

/** The hosts CSDS hands out: a V1 account (LivePerson's published names) or a V2 one. */
function account(platform) {
	emu.setServiceHost('sentinel', HOST.sentinel);
	emu.setServiceHost('faasGW', platform === 'v2' ? HOST.faasGWv2 : HOST.faasGW);
	emu.setServiceHost('faasUI', platform === 'v2' ? HOST.faasUIv2 : HOST.faasUI);
}

/** A fresh client (its own CSDS cache, token and is-implemented cache), authenticated as the app. */
function appClient(extra = {}) {
	const [{ clientId, clientSecret }] = emu.clients;
	return new Client({
		accountId: emu.accountId,
		authStrategy: { clientId, clientSecret },
		...extra,
	});
}

/** A client that lists with a user login: its authStrategy returns the header (client README "Getting a list"). */
async function userClient() {
	const token = await emu.issueToken({ kind: 'user', userId: 'lp-user-1' });
	return new Client({ accountId: emu.accountId, authStrategy: async () => `Bearer ${token}` });
}

/** Names along a VError cause chain (the client wraps every failure). */
function errorNames(error) {
	const names = [];
	for (let e = error; e; e = e.jse_cause) names.push(e.name);
	return names;
}

const gateway = () => emu.requestsOf('faasGW');
const ui = () => emu.requestsOf('faasUI');
const tokenRequests = () => emu.requestsOf('sentinel');

beforeEach(() => {
	emu.clearLog();
	emu.resetCounters();
});

test(`the client under test is liveperson-functions-client ${CLIENT_VERSION}`, () => {
	expect(CLIENT_VERSION).toBe('2.2.0');
});

describe('a V1 account (LivePerson published host names)', () => {
	beforeAll(() => account('v1'));

	test('discovery: one GET of all services over plain HTTP; the answer names sentinel, faasGW and faasUI', async () => {
		const csds = new CsdsClient();
		expect(await csds.get(emu.accountId, 'faasGW')).toBe(HOST.faasGW);
		const domains = await csds.getCachedDomains(emu.accountId);
		expect(domains).toEqual([
			{ service: 'sentinel', account: emu.accountId, baseURI: HOST.sentinel },
			{ service: 'faasGW', account: emu.accountId, baseURI: HOST.faasGW },
			{ service: 'faasUI', account: emu.accountId, baseURI: HOST.faasUI },
		]);
		// reference §1 line 14: GET {csds}/api/account/{accountId}/service/baseURI.json?version=1.0
		expect(emu.requestsOf('csds')).toEqual([
			expect.objectContaining({
				scheme: 'http',
				method: 'GET',
				path: `/api/account/${emu.accountId}/service/baseURI.json`,
				query: { version: '1.0' },
				headers: expect.objectContaining({ host: HOST.csds }),
				status: 200,
			}),
		]);
		expect(emu.platform).toBe('v1');
	});

	test('token: client credentials in the form body at /app/token?v=2.0; an RS256 JWT whose exp the client reads', async () => {
		const client = appClient();
		const header = await client.getAuthorizationHeader();
		const token = header.replace(/^Bearer /, '');
		expect(header).toBe(`Bearer ${token}`);
		expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
		const claims = decodeJwt(token);
		// reference §2 lines 36-38: exp - iat = 3600 in the docs' example; aud, azp, scope, iss.
		expect(claims).toMatchObject({
			aud: emu.accountId,
			azp: emu.clients[0].clientId,
			scope: 'faas.lambda.invoke',
			iss: 'Sentinel',
		});
		expect(claims.exp - claims.iat).toBe(3600);
		// reference §2 lines 28-31 and seed 001 lines 86-98 (Client Authentication: body, scope empty).
		expect(tokenRequests()).toEqual([
			expect.objectContaining({
				scheme: 'https',
				method: 'POST',
				path: `/sentinel/api/account/${emu.accountId}/app/token`,
				query: { v: '2.0' },
				body: {
					grant_type: 'client_credentials',
					client_id: emu.clients[0].clientId,
					client_secret: emu.clients[0].clientSecret,
					scope: '',
				},
				headers: expect.objectContaining({
					host: HOST.sentinel,
					'content-type': expect.stringContaining('application/x-www-form-urlencoded'),
				}),
				status: 200,
			}),
		]);
		expect(tokenRequests()[0].headers.authorization).toBeUndefined();
		expect(emu.tokensIssued).toBe(1);
	});

	test('token reuse: later calls carry the same token, no second token request', async () => {
		const client = appClient();
		const body = { headers: [], payload: {} };
		await client.invoke({ lambdaUuid: UUID.echo, lpEventSource: SOURCE, body });
		await client.invoke({ lambdaUuid: UUID.echo, lpEventSource: SOURCE, body });
		expect(emu.tokensIssued).toBe(1);
		expect(tokenRequests()).toHaveLength(1);
		const [first, second] = gateway();
		expect(first.headers.authorization).toMatch(/^Bearer \S+$/);
		expect(second.headers.authorization).toBe(first.headers.authorization);
		expect(emu.requestsOf('csds')).toHaveLength(1); // discovery cached too (reference §1 line 25)
	});

	test('V1 invoke by UUID: v=1 and externalSystem in the query, X-Request-ID, {timestamp, headers, payload}', async () => {
		const response = await appClient().invoke({
			lambdaUuid: UUID.echo,
			lpEventSource: SOURCE,
			requestId: 'req-1',
			body: { headers: [{ key: 'k', value: 'v' }], payload: { name: 'Ada' } },
		});
		expect(response).toMatchObject({ ok: true, status: 200 });
		expect(response.body.input).toEqual({
			timestamp: expect.any(Number),
			headers: [{ key: 'k', value: 'v' }],
			payload: { name: 'Ada' },
		});
		// reference §4 lines 54-61: the path, v=1; the Node client sends skillId= and externalSystem= and X-Request-ID.
		const [entry] = gateway();
		expect(entry).toMatchObject({
			method: 'POST',
			path: `/api/account/${emu.accountId}/lambdas/${UUID.echo}/invoke`,
			query: { v: '1', skillId: '', externalSystem: SOURCE },
			headers: expect.objectContaining({
				host: HOST.faasGW,
				'content-type': 'application/json',
				'user-agent': USER_AGENT,
				'x-request-id': 'req-1',
				authorization: expect.stringMatching(/^Bearer /),
			}),
			body: response.body.input,
			status: 200,
		});
		expect(entry.headers['lp-eventsource']).toBeUndefined();
		expect(emu.runCount(UUID.echo)).toBe(1);
	});

	test('an invoke body without headers (the client types them optional) runs; the function gets []', async () => {
		// Not refused: no document says `headers` is required (reference §4 lines 58-63 describe the field; seed 001
		// lines 127-131 show it in the one example) and LivePerson's client leaves it out (apiSpec InvocationDomain
		// `headers?`). Only a present `headers` must be the documented list of {key, value}.
		const response = await appClient().invoke({
			lambdaUuid: UUID.echo,
			lpEventSource: SOURCE,
			body: { payload: { n: 1 } },
		});
		expect(response).toMatchObject({ ok: true, status: 200 });
		expect(response.body.input).toEqual({
			timestamp: expect.any(Number),
			headers: [],
			payload: { n: 1 },
		});
		expect(gateway()[0].body).toEqual({ timestamp: expect.any(Number), payload: { n: 1 } });
		expect(gateway()[0].status).toBe(200);
	});

	test('event invoke: every deployed bound function, a list of results, skillId in the query', async () => {
		const response = await appClient().invoke({
			eventId: EVENT,
			skillId: '7',
			lpEventSource: SOURCE,
			body: { headers: [], payload: 3 },
		});
		expect(response).toMatchObject({ ok: true, status: 200, body: [{ one: 3 }, 'two'] });
		// reference §5 lines 74, 77.
		expect(gateway()).toEqual([
			expect.objectContaining({
				method: 'POST',
				path: `/api/account/${emu.accountId}/events/${EVENT}/invoke`,
				query: { v: '1', skillId: '7', externalSystem: SOURCE },
				status: 200,
			}),
		]);
	});

	test('is implemented: GET with v=1, {"implemented": bool}', async () => {
		const client = appClient();
		expect(await client.isImplemented({ eventId: EVENT, skillId: '7' })).toBe(true);
		expect(await client.isImplemented({ eventId: 'nobody_listens' })).toBe(false);
		// reference §5 line 75.
		expect(gateway()).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: `/api/account/${emu.accountId}/events/${EVENT}/isImplemented`,
				query: { v: '1', skillId: '7', externalSystem: 'Unknown' },
				rawBody: '',
				status: 200,
			}),
			expect.objectContaining({
				path: `/api/account/${emu.accountId}/events/nobody_listens/isImplemented`,
				status: 200,
			}),
		]);
	});

	test('404: an unknown UUID → V1 body {errorCode es.missinglambda, errorMsg, errorLogs}; not a function failure', async () => {
		const response = await appClient().invoke({
			lambdaUuid: 'no-such-function',
			lpEventSource: SOURCE,
			body: { headers: [], payload: {} },
		});
		// reference §7 line 97.
		expect(response).toMatchObject({
			ok: false,
			status: 404,
			body: {
				errorCode: 'com.liveperson.faas.es.missinglambda',
				errorMsg: expect.any(String),
				errorLogs: [],
			},
		});
		const strict = appClient({ failOnErrorStatusCode: true });
		const error = await strict
			.invoke({ lambdaUuid: UUID.draft, lpEventSource: SOURCE, body: { headers: [], payload: {} } })
			.catch((e) => e);
		expect(errorNames(error)[0]).toBe('FaaSInvokeError'); // a not-deployed function looks the same
		expect(gateway().map((r) => r.status)).toEqual([404, 404]);
		expect(emu.runCount(UUID.draft)).toBe(0);
	});

	test('901: a failing function → V1 custom-failure body, which the client names FaaSLambdaError', async () => {
		const response = await appClient().invoke({
			lambdaUuid: UUID.fail,
			lpEventSource: SOURCE,
			body: { headers: [], payload: {} },
		});
		// reference §7 line 104.
		expect(response).toMatchObject({
			ok: false,
			status: 901,
			body: {
				errorCode: 'com.liveperson.faas.handler.custom-failure',
				errorMsg: 'boom',
				errorLogs: [],
			},
		});
		const error = await appClient({ failOnErrorStatusCode: true })
			.invoke({ lambdaUuid: UUID.fail, lpEventSource: SOURCE, body: { headers: [], payload: {} } })
			.catch((e) => e);
		expect(errorNames(error)[0]).toBe('FaaSLambdaError');
		expect(gateway().map((r) => r.status)).toEqual([901, 901]);
		expect(emu.runCount(UUID.fail)).toBe(2);
	});

	test('901: past the time limit → executiontime-exceeded', async () => {
		const response = await appClient().invoke({
			lambdaUuid: UUID.slow,
			lpEventSource: SOURCE,
			body: { headers: [], payload: {} },
		});
		// reference §7 line 107.
		expect(response).toMatchObject({
			ok: false,
			status: 901,
			body: { errorCode: 'com.liveperson.faas.handler.executiontime-exceeded' },
		});
	});

	test('a wrong client secret: Sentinel 401 invalid_client, the client fails, the gateway hears nothing', async () => {
		const client = new Client({
			accountId: emu.accountId,
			authStrategy: { clientId: emu.clients[0].clientId, clientSecret: 'not-the-secret' },
		});
		const error = await client
			.invoke({ lambdaUuid: UUID.echo, lpEventSource: SOURCE, body: { headers: [], payload: {} } })
			.catch((e) => e);
		expect(errorNames(error)).toContain('FaaSAppJWTAuthenticationError');
		expect(tokenRequests().map((r) => [r.path, r.status])).toEqual([
			[`/sentinel/api/account/${emu.accountId}/app/token`, 401],
		]);
		expect(gateway()).toEqual([]);
		expect(emu.tokensIssued).toBe(0);
	});

	test('listing with the app token: refused (403) by default, as listing needs a user login', async () => {
		// reference §6 lines 86-88: unknown whether an app token may list; LivePerson's client lists with a user login
		// (its README: "You have to use your own authentication method when fetching lambdas"). The cautious default.
		const response = await appClient().getLambdas({ userId: 'lp-user-1' });
		expect(response).toMatchObject({
			ok: false,
			status: 403,
			body: { errorCode: expect.any(String), errorMsg: expect.any(String) },
		});
		expect(ui()).toEqual([
			expect.objectContaining({
				path: `/api/account/${emu.accountId}/lambdas/`,
				headers: expect.objectContaining({ host: HOST.faasUI }),
				status: 403,
			}),
		]);
	});

	test('listing with a user login: the V1 path lambdas/ with v=1, repeated state, userId', async () => {
		const client = await userClient();
		const response = await client.getLambdas({
			state: ['Productive', 'Draft'],
			userId: 'lp-user-1',
		});
		expect(response).toMatchObject({ ok: true, status: 200 });
		expect(response.body.map((fn) => fn.uuid)).toEqual(Object.values(UUID));
		expect(Object.keys(response.body[0]).sort()).toEqual(
			[
				'createdAt',
				'description',
				'eventId',
				'name',
				'state',
				'updatedAt',
				'uuid',
				'version',
			].sort(),
		);
		// reference §6 line 83.
		expect(ui()).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: `/api/account/${emu.accountId}/lambdas/`,
				query: {
					eventId: '',
					state: ['Productive', 'Draft'],
					externalSystem: '',
					userId: 'lp-user-1',
					v: '1',
				},
				status: 200,
			}),
		]);
		expect(emu.listingPlatform).toBe('v1');
	});

	test('the V2 listing path (getFunctions) on a V1 Functions UI host: not served (404)', async () => {
		// LivePerson's client picks the listing path from the UI host (getLambdas → isV2Domain(faasUI host)); the
		// emulator serves only the path of its UI host's flavour.
		const client = await userClient();
		const response = await client.getFunctions({ state: ['Productive'] });
		expect(response).toMatchObject({ ok: false, status: 404 });
		expect(ui().map((r) => [r.path, r.status])).toEqual([
			[`/api/account/${emu.accountId}/functions`, 404],
		]);
	});
});

describe('a V2 account (gateway host with `fninvocations`, UI host with `functions`)', () => {
	beforeAll(() => account('v2'));
	afterAll(() => account('v1'));

	test('the emulator is V2 because of the host it hands out', () => {
		expect(emu.baseUri('faasGW')).toBe(HOST.faasGWv2);
		expect(emu.platform).toBe('v2');
		expect(emu.listingPlatform).toBe('v2');
	});

	test('V2 invoke: no v or externalSystem, LP-EventSource header, skillId only when given', async () => {
		const client = appClient();
		const body = { headers: [{ key: 'k', value: 'v' }], payload: { x: 1 } };
		const plain = await client.invoke({ lambdaUuid: UUID.echo, lpEventSource: SOURCE, body });
		const withSkill = await client.invoke({
			lambdaUuid: UUID.echo,
			lpEventSource: SOURCE,
			skillId: '5',
			body,
		});
		for (const response of [plain, withSkill]) {
			expect(response).toMatchObject({ ok: true, status: 200 });
			expect(response.body.input).toEqual({ timestamp: expect.any(Number), ...body });
		}
		// reference §4 lines 68-70.
		expect(
			gateway().map((r) => [r.path, r.query, r.headers['lp-eventsource'], r.headers.host]),
		).toEqual([
			[`/api/account/${emu.accountId}/lambdas/${UUID.echo}/invoke`, {}, SOURCE, HOST.faasGWv2],
			[
				`/api/account/${emu.accountId}/lambdas/${UUID.echo}/invoke`,
				{ skillId: '5' },
				SOURCE,
				HOST.faasGWv2,
			],
		]);
		expect(gateway().map((r) => r.status)).toEqual([200, 200]);
	});

	test('V2 event invoke', async () => {
		const response = await appClient().invoke({
			eventId: EVENT,
			lpEventSource: SOURCE,
			body: { headers: [], payload: 4 },
		});
		expect(response).toMatchObject({ ok: true, status: 200, body: [{ one: 4 }, 'two'] });
		expect(gateway()).toEqual([
			expect.objectContaining({
				path: `/api/account/${emu.accountId}/events/${EVENT}/invoke`,
				query: {},
				headers: expect.objectContaining({ 'lp-eventsource': SOURCE }),
				status: 200,
			}),
		]);
	});

	test('V2 is implemented: the client sends no LP-EventSource and no v, and is answered', async () => {
		const client = appClient();
		expect(await client.isImplemented({ eventId: EVENT, skillId: '9' })).toBe(true);
		const [entry] = gateway();
		expect(entry).toMatchObject({
			method: 'GET',
			path: `/api/account/${emu.accountId}/events/${EVENT}/isImplemented`,
			query: { skillId: '9' },
			status: 200,
		});
		expect(entry.headers['lp-eventsource']).toBeUndefined();
	});

	test('V2 404: {code com.liveperson.faas.function.not-found, message}', async () => {
		const response = await appClient().invoke({
			lambdaUuid: 'no-such-function',
			lpEventSource: SOURCE,
			body: { headers: [], payload: {} },
		});
		// reference §7 line 97.
		expect(response).toMatchObject({ ok: false, status: 404 });
		expect(response.body).toEqual({
			code: 'com.liveperson.faas.function.not-found',
			message: expect.any(String),
		});
	});

	test('V2 901: {code threw-error, message}; FaaSLambdaError; v1CompError maps it to custom-failure', async () => {
		const response = await appClient().invoke({
			lambdaUuid: UUID.fail,
			lpEventSource: SOURCE,
			body: { headers: [], payload: {} },
		});
		// reference §7 line 105.
		expect(response).toMatchObject({ ok: false, status: 901 });
		expect(response.body).toEqual({
			code: 'com.customer.faas.function.threw-error',
			message: 'boom',
		});
		const error = await appClient({ failOnErrorStatusCode: true })
			.invoke({ lambdaUuid: UUID.fail, lpEventSource: SOURCE, body: { headers: [], payload: {} } })
			.catch((e) => e);
		expect(errorNames(error)[0]).toBe('FaaSLambdaError');
		const mapped = await appClient().invoke({
			lambdaUuid: UUID.fail,
			lpEventSource: SOURCE,
			v1CompError: true,
			body: { headers: [], payload: {} },
		});
		expect(mapped.body).toEqual({
			errorCode: 'com.liveperson.faas.handler.custom-failure',
			errorMsg: 'boom',
		});
		expect(gateway().map((r) => r.status)).toEqual([901, 901, 901]);
	});

	test('V2 901 of a failure named in V1 words: the V2 body has the V2 code (com.customer.faas.function.*)', async () => {
		const response = await appClient().invoke({
			lambdaUuid: UUID.runtime,
			lpEventSource: SOURCE,
			body: { headers: [], payload: {} },
		});
		// reference §7 lines 106-108: runtime-exception is V2's js-runtime-error.
		expect(response.body).toEqual({
			code: 'com.customer.faas.function.js-runtime-error',
			message: 'x is undefined',
		});
		const mapped = await appClient().invoke({
			lambdaUuid: UUID.runtime,
			lpEventSource: SOURCE,
			v1CompError: true,
			body: { headers: [], payload: {} },
		});
		expect(mapped.body.errorCode).toBe('com.liveperson.faas.handler.runtime-exception');
	});

	test('V2 past the time limit: execution-exceeded (the client maps it to V1 words with a stray tab; the reference has none)', async () => {
		const response = await appClient().invoke({
			lambdaUuid: UUID.slow,
			lpEventSource: SOURCE,
			body: { headers: [], payload: {} },
		});
		// reference §7 line 108.
		expect(response.body).toEqual({
			code: 'com.customer.faas.function.execution-exceeded',
			message: expect.any(String),
		});
		// Disagreement: the client's mapV2ErrorCodeToV1 answers 'com.liveperson.faas.handler.executiontime-exceeded\t'.
		// The reference (§7 line 107, `executiontime-exceeded`) decides: the emulator's V1 code has no tab (checked in
		// the V1 test above); this line only records what the client does.
		const mapped = await appClient().invoke({
			lambdaUuid: UUID.slow,
			lpEventSource: SOURCE,
			v1CompError: true,
			body: { headers: [], payload: {} },
		});
		expect(mapped.body.errorCode).toBe('com.liveperson.faas.handler.executiontime-exceeded\t');
	});

	test('listing on a V2 UI host: the client picks the functions path (no v), with a user login', async () => {
		const client = await userClient();
		const lambdas = await client.getLambdas({ state: 'Productive' });
		const functionsList = await client.getFunctions({
			state: ['Productive'],
			functionName: 'event',
		});
		expect(lambdas).toMatchObject({ ok: true, status: 200 });
		expect(lambdas.body.map((fn) => fn.name)).toEqual([
			'echo',
			'fail',
			'runtime',
			'slow',
			'event one',
			'event two',
		]);
		expect(functionsList.body.map((fn) => fn.name)).toEqual(['event one', 'event two']);
		// reference §6 line 84.
		expect(ui().map((r) => [r.path, r.query, r.headers.host, r.status])).toEqual([
			[
				`/api/account/${emu.accountId}/functions`,
				{ eventId: '', state: 'Productive', userId: '', functionName: '' },
				HOST.faasUIv2,
				200,
			],
			[
				`/api/account/${emu.accountId}/functions`,
				{ eventId: '', state: 'Productive', userId: '', functionName: 'event' },
				HOST.faasUIv2,
				200,
			],
		]);
	});

	test('listing on a V2 UI host with the app token: refused (403), in V2 words', async () => {
		const response = await appClient().getLambdas({});
		expect(response).toMatchObject({ ok: false, status: 403 });
		expect(response.body).toEqual({ code: expect.any(String), message: expect.any(String) });
		expect(ui().map((r) => r.status)).toEqual([403]);
	});
});

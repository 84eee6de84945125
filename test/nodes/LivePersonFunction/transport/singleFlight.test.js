'use strict';

const { SingleFlight } = require('../../../../nodes/LivePersonFunction/transport/singleFlight');
const { preAuthenticate } = require('../../../../nodes/LivePersonFunction/transport/auth');

/** An unsigned JWT-shaped token with these claims (the node reads claims, it never checks signatures). */
const jwt = (claims) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const { fakeHttp, json } = require('../../../helpers/fakeHttp');

const always = () => true;

describe('SingleFlight', () => {
	test('concurrent callers share one producer; a settled answer is reused while reusable', async () => {
		const flight = new SingleFlight(new Map());
		let produced = 0;
		let release;
		const produce = () => new Promise((resolve) => (release = () => resolve(++produced)));
		const first = flight.run('k', 0, always, produce);
		const second = flight.run('k', 0, always, produce);
		release();
		expect(await Promise.all([first, second])).toEqual([1, 1]);
		expect(await flight.run('k', 1, always, async () => ++produced)).toBe(1);
		expect(
			await flight.run(
				'k',
				2,
				() => false,
				async () => ++produced,
			),
		).toBe(2);
		expect(flight.settled('k')).toBe(2);
	});

	test('a failure is forgotten: the next caller produces again', async () => {
		const flight = new SingleFlight(new Map());
		await expect(
			flight.run('k', 0, always, async () => Promise.reject(new Error('down'))),
		).rejects.toThrow('down');
		expect(flight.settled('k')).toBeUndefined();
		expect(await flight.run('k', 1, always, async () => 'up')).toBe('up');
	});

	test('a Map store keeps at most maxKeys keys, the oldest go first', async () => {
		const flight = new SingleFlight(new Map(), 3);
		for (const key of ['a', 'b', 'c', 'd'])
			await flight.run(key, 0, always, async () => key.toUpperCase());
		expect(['a', 'b', 'c', 'd'].map((key) => flight.settled(key))).toEqual([
			undefined,
			'B',
			'C',
			'D',
		]);
		let asked = 0;
		expect(await flight.run('a', 1, always, async () => `A${++asked}`)).toBe('A1');
		expect(flight.settled('b')).toBeUndefined();
	});

	test('a producer that never settles is not joined after the settle deadline: the next caller produces anew', async () => {
		const flight = new SingleFlight(new Map(), 100, 1000);
		const stuck = flight.run('k', 0, always, () => new Promise(() => undefined));
		let produced = 0;
		const joined = flight.run('k', 999, always, async () => ++produced);
		expect(await flight.run('k', 1000, always, async () => ++produced)).toBe(1);
		expect(flight.settled('k')).toBe(1);
		expect(produced).toBe(1);
		for (const never of [stuck, joined]) never.catch(() => undefined);
	});

	test('with failureReuseMs, a failure is the answer for that long (one execution does not ask again per item)', async () => {
		const flight = new SingleFlight(new WeakMap(), 100, 120_000, 30_000);
		const execution = {};
		let asked = 0;
		const fail = async () => {
			asked += 1;
			throw new Error('Sentinel did not answer');
		};
		await expect(flight.run(execution, 0, always, fail)).rejects.toThrow('Sentinel did not answer');
		await expect(flight.run(execution, 29_999, always, fail)).rejects.toThrow(
			'Sentinel did not answer',
		);
		expect(asked).toBe(1);
		await expect(flight.run(execution, 30_000, always, fail)).rejects.toThrow();
		expect(asked).toBe(2);
	});

	test('a WeakMap store (one per execution) is never swept, only dropped with its keys', async () => {
		const flight = new SingleFlight(new WeakMap(), 1);
		const one = {};
		const two = {};
		await flight.run(one, 0, always, async () => 1);
		await flight.run(two, 0, always, async () => 2);
		expect([flight.settled(one), flight.settled(two)]).toEqual([1, 2]);
	});
});

describe('tokens shared by a process', () => {
	// Manual hosts: no discovery, so every request is a token request. Plain tokens carry no `exp`.
	const credential = (accessToken) => ({
		accountId: '424242',
		clientId: 'client',
		clientSecret: 'secret',
		hostMode: 'manual',
		sentinelHost: 'sentinel.example',
		gatewayHost: 'gateway.example',
		accessToken,
	});
	const tokens = (count, prefix) =>
		Array.from({ length: count }, (_, i) => json(200, { access_token: `${prefix}-${i + 1}` }));

	test('a late 401 with a token this process replaced gets the newest one; past the last 20 replaced it is renewed', async () => {
		const http = fakeHttp(...tokens(23, 'superseded-test'));
		const at = Date.now() + 3_650 * 24 * 3600 * 1000; // a time no other test of this process uses
		const first = await preAuthenticate(http, credential(''), at);
		expect(first.accessToken).toBe('superseded-test-1');
		let held = first.accessToken;
		for (let renewal = 1; renewal <= 21; renewal++) {
			held = (await preAuthenticate(http, credential(held), at)).accessToken;
		}
		expect(held).toBe('superseded-test-22');
		expect(http.requests).toHaveLength(22);

		// The second token was replaced 20 renewals ago: still known, answered without a request.
		const late = await preAuthenticate(http, credential('superseded-test-2'), at);
		expect(late.accessToken).toBe('superseded-test-22');
		expect(http.requests).toHaveLength(22);
		// The first one fell off the list: it may be revoked, so it is renewed, not answered.
		const oldest = await preAuthenticate(http, credential('superseded-test-1'), at);
		expect(oldest.accessToken).toBe('superseded-test-23');
		expect(http.requests).toHaveLength(23);
	});

	test('a local clock ahead by more than the token lifetime still reuses a fresh token (expiry judged on Sentinel time)', async () => {
		const sentinelNow = Math.floor(Date.now() / 1000) + 7_300 * 24 * 3600; // a time no other test uses
		const token = (n) =>
			json(200, { access_token: jwt({ n, iat: sentinelNow, exp: sentinelNow + 3600 }) });
		const http = fakeHttp(token(1), token(2));
		const localAhead = (sentinelNow + 2 * 3600) * 1000; // two hours ahead, the token lives one
		const own = () => ({ ...credential(''), clientId: 'clock-ahead-client' }); // a credential no other test shares
		const first = await preAuthenticate(http, own(), localAhead);
		const second = await preAuthenticate(http, own(), localAhead + 60_000);
		expect(second.accessToken).toBe(first.accessToken);
		expect(http.requests).toHaveLength(1);
		expect(JSON.parse(first.accessTokenInfo).skewMs).toBe(2 * 3600 * 1000);
	});
});

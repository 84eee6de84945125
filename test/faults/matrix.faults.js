'use strict';

/**
 * The fault matrix: one row per LivePerson fault. Each row injects its fault into the emulator and runs a fixture
 * of workflows/ in real n8n (`n8n execute`): Manual trigger → 20 items → LivePerson Function (error output wired,
 * concurrency 5) → "Succeeded" / "Failed". Every row checks (matrix.js commonChecks): one output item per input
 * item, in order; no function ran twice unless the row opts in; no secret or token in outputs, errors or logs;
 * then its own expected outcome. The matrix is printed at the end; a failed row fails the run.
 */
const { startSuite } = require('./suite');
const {
	createMatrix,
	portSpy,
	uuidOf,
	range,
	sleep,
	list,
	itemsOfBatch,
	ITEMS,
	BATCH_UUID,
} = require('./matrix');

const matrix = createMatrix();
let suite;
let started = false;

beforeAll(async () => {
	suite = await startSuite();
	await matrix.setup(suite);
	started = true;
});

afterAll(async () => {
	process.stdout.write(matrix.render());
	if (suite) await suite.stop();
});

/** Every row's definition, in order: the README's Reliability table is checked against it (test/docs). */
const definitions = [];

/** One jest test per row: it fails when the row fails, after the row is recorded for the matrix. */
function row(definition) {
	definitions.push(definition);
	test(definition.fault, async () => {
		if (!started) throw new Error('the suite did not start');
		const record = await matrix.run(definition);
		expect(record.failures).toEqual([]);
	});
}

// ---------- helpers for rows ----------

const others = (items) => range(ITEMS).filter((n) => !items.includes(n));

/** A fault on the invocations of the given items only (each item has its own function), `times` per item. */
function faultItems(emu, items, action, times = 1) {
	for (const n of items)
		emu.fault({ service: 'faasGW', match: { uuid: uuidOf(n) }, times, action });
}

/** The given items, and only they, are on the error output with these error fields; how often each ran/was sent. */
function expectErrors(
	c,
	o,
	items,
	{ kind, httpStatus, attempts = 1, runs, invokes = attempts, mayHaveRun },
) {
	c.eq(o.errorItems(), items, 'items on the error output');
	const field = (name) => items.map((n) => o.errorOf(n)?.[name]);
	const same = (value) => items.map(() => value);
	c.eq(field('kind'), same(kind), 'error kind');
	if (httpStatus !== undefined) c.eq(field('httpStatus'), same(httpStatus), 'error httpStatus');
	if (mayHaveRun !== undefined) c.eq(field('mayHaveRun'), same(mayHaveRun), 'error mayHaveRun');
	c.eq(field('attempts'), same(attempts), 'attempts of the failed items (1 = not retried)');
	c.eq(
		items.map((n) => o.invokesOf(n).length),
		same(invokes),
		'invoke requests per failed item',
	);
	if (runs !== undefined)
		c.eq(
			items.map((n) => o.runs[n]),
			same(runs),
			'runs per failed item',
		);
	expectSucceeded(c, o, others(items));
}

/** The given items succeeded, each function ran exactly once. */
function expectSucceeded(c, o, items, { runs = 1 } = {}) {
	c.eq(o.mainItems(), items, 'items on the main output');
	c.eq(
		items.map((n) => o.runs[n]),
		items.map(() => runs),
		'runs per succeeded item',
	);
}

/** Every item on the error output (a failure before any invocation): the message of item 0, runs 0. */
function expectAllFailedWith(c, o, needle) {
	c.eq(o.errorItems(), range(ITEMS), 'every item on the error output');
	const messages = [...new Set(o.errors.map((item) => item.json.error?.message))];
	c.ok(
		messages.every((m) => typeof m === 'string' && m.includes(needle)),
		`error message names ${needle}`,
		JSON.stringify(messages),
	);
	c.eq(o.runs.filter((count) => count > 0).length, 0, 'no function ran');
	return `message: "${messages[0]}"`;
}

/** Milliseconds between the answer to one attempt and the arrival of the next, per item. */
function retryGaps(o, items) {
	return items.flatMap((n) => {
		const attempts = o.invokesOf(n);
		return attempts.slice(1).map((next, i) => next.startedAt - attempts[i].endedAt);
	});
}

const TARGETS = [2, 7, 12, 17];

// ---------- the rows ----------

row({
	fault: 'connection refused (nothing sent): gateway down, back up 1 s after the token',
	expected: 'refused attempts retried; all 20 succeed; each function ran once',
	credential: 'cold', // the token request is the signal that the first invocations are about to be refused
	async setup({ emu }) {
		await emu.setServiceDown('faasGW', true);
	},
	async during({ emu, note }, isFinished) {
		const t0 = Date.now();
		const tokenAnswered = () =>
			emu.requestsOf('sentinel').some((r) => r.path.endsWith('/app/token') && r.endedAt !== null);
		while (!tokenAnswered() && !isFinished() && Date.now() - t0 < 60000) await sleep(10);
		note.sawToken = tokenAnswered();
		await sleep(1000);
		await emu.setServiceDown('faasGW', false); // bounded: at most ~61 s after the run started
	},
	check(c, o, { note }) {
		expectSucceeded(c, o, range(ITEMS));
		c.ok(note.sawToken, 'the token request came before the gateway came back');
		const retried = range(ITEMS).filter((n) => o.attemptsOf(n) > 1);
		c.ok(
			retried.length > 0,
			'some attempts were refused, then retried',
			'no item needed more than one attempt',
		);
		c.eq(
			o.invokes.length,
			ITEMS,
			'the gateway saw one invocation per item (refused ones never arrived)',
		);
		return `refused then retried: items ${list(retried)}`;
	},
});

row({
	fault: '429 with Retry-After: 1 (items 3, 8, 13; twice each)',
	expected: 'all succeed after retries (>= 1 s apart); each function ran once',
	setup: ({ emu }) =>
		faultItems(
			emu,
			[3, 8, 13],
			{
				type: 'status',
				status: 429,
				headers: { 'Retry-After': '1' },
				body: { errorCode: 'com.liveperson.faas.throttled', errorMsg: 'Too many requests' },
			},
			2,
		),
	check(c, o) {
		expectSucceeded(c, o, range(ITEMS));
		c.eq([3, 8, 13].map(o.attemptsOf), [3, 3, 3], 'attempts of the throttled items');
		const gaps = retryGaps(o, [3, 8, 13]);
		c.ok(
			gaps.length === 6 && Math.min(...gaps) >= 990,
			'Retry-After honoured (>= 1 s between attempts)',
			gaps.join(','),
		);
		return `retry gaps ${Math.min(...gaps)}-${Math.max(...gaps)} ms`;
	},
});

row({
	fault: '429 without Retry-After (items 3, 8, 13; twice each)',
	expected: 'all succeed after backoff; each function ran once',
	setup: ({ emu }) => faultItems(emu, [3, 8, 13], { type: 'status', status: 429 }, 2),
	check(c, o) {
		expectSucceeded(c, o, range(ITEMS));
		c.eq([3, 8, 13].map(o.attemptsOf), [3, 3, 3], 'attempts of the throttled items');
		const gaps = retryGaps(o, [3, 8, 13]);
		c.ok(
			gaps.length === 6 && Math.min(...gaps) >= 240,
			'backoff between attempts (>= 250 ms)',
			gaps.join(','),
		);
		return `retry gaps ${Math.min(...gaps)}-${Math.max(...gaps)} ms`;
	},
});

row({
	fault: '503 with Retry-After: 1 (items 4, 9, 14, 19; once each)',
	expected: 'all succeed after a retry; each function ran once',
	setup: ({ emu }) =>
		faultItems(emu, [4, 9, 14, 19], {
			type: 'status',
			status: 503,
			headers: { 'Retry-After': '1' },
			body: { errorCode: 'com.liveperson.faas.unavailable', errorMsg: 'Service unavailable' },
		}),
	check(c, o) {
		expectSucceeded(c, o, range(ITEMS));
		c.eq([4, 9, 14, 19].map(o.attemptsOf), [2, 2, 2, 2], 'attempts of the 503 items');
	},
});

row({
	fault: 'bare 503 after the function ran (status-after, no Retry-After; items 4, 9, 14, 19)',
	expected: 'error output, kind unavailable, mayHaveRun, not retried, ran once',
	setup: ({ emu }) => faultItems(emu, [4, 9, 14, 19], { type: 'status-after', status: 503 }),
	check(c, o) {
		expectErrors(c, o, [4, 9, 14, 19], {
			kind: 'unavailable',
			httpStatus: 503,
			mayHaveRun: true,
			runs: 1,
		});
	},
});

row({
	fault:
		'connection reset before the function ran (reset-before: request read, socket reset; items 2, 7, 12, 17)',
	expected:
		'error output, kind transport (may have run: the client cannot tell), not retried, ran 0 times',
	setup: ({ emu }) => faultItems(emu, TARGETS, { type: 'reset-before' }),
	check(c, o) {
		expectErrors(c, o, TARGETS, { kind: 'transport', mayHaveRun: true, runs: 0 });
	},
});

row({
	fault: 'connection reset after the function ran (reset-after; items 2, 7, 12, 17)',
	expected: 'error output, kind transport, mayHaveRun, not retried, ran once',
	setup: ({ emu }) => faultItems(emu, TARGETS, { type: 'reset-after' }),
	check(c, o) {
		expectErrors(c, o, TARGETS, { kind: 'transport', mayHaveRun: true, runs: 1 });
	},
});

row({
	fault: 'reset-after, opted in (retryWhenMayHaveRun; items 2, 7, 12, 17 once)',
	expected: 'opted in: retried, all succeed; the reset items ran twice',
	workflow: 'twenty-opt-in',
	optIn: true,
	setup: ({ emu }) => faultItems(emu, TARGETS, { type: 'reset-after' }),
	check(c, o) {
		c.eq(o.mainItems(), range(ITEMS), 'items on the main output');
		c.eq(
			o.runs,
			range(ITEMS).map((n) => (TARGETS.includes(n) ? 2 : 1)),
			'runs per item (2 for the reset items)',
		);
		c.eq(
			TARGETS.map(o.attemptsOf),
			TARGETS.map(() => 2),
			'attempts of the reset items',
		);
	},
});

row({
	fault: 'timeout: no answer (hang; items 1, 6), node timeout 2000 ms',
	expected: 'error output, kind timeout, not retried, ran once',
	workflow: 'twenty-timeout',
	setup: ({ emu }) => faultItems(emu, [1, 6], { type: 'hang' }),
	check(c, o) {
		expectErrors(c, o, [1, 6], { kind: 'timeout', mayHaveRun: true, runs: 1 });
		const waited = [1, 6]
			.map((n) => o.invokesOf(n)[0])
			.map((r) => (r && r.endedAt ? r.endedAt - r.startedAt : null));
		c.ok(
			waited.every((ms) => ms !== null && ms >= 1500 && ms < 10000),
			'the client gave up after about 2 s',
			waited.join(','),
		);
		return `gave up after ${waited.join('/')} ms`;
	},
});

/** How long the client kept each request open (until it answered or the client hung up), in ms. */
const heldOpen = (requests) =>
	requests.map((r) => (r && r.endedAt ? r.endedAt - r.startedAt : null));

row({
	fault:
		'trickling answer: the body one byte every 200 ms, never ending (items 1, 6), node timeout 2000 ms',
	expected:
		'error output, kind timeout, ran once, not retried; the client hangs up after about 2 s',
	workflow: 'twenty-timeout',
	setup: ({ emu }) => faultItems(emu, [1, 6], { type: 'trickle', everyMs: 200, endless: true }),
	check(c, o) {
		expectErrors(c, o, [1, 6], { kind: 'timeout', mayHaveRun: true, runs: 1 });
		const held = heldOpen([1, 6].map((n) => o.invokesOf(n)[0]));
		c.ok(
			held.every((ms) => ms !== null && ms >= 1500 && ms < 6000),
			'the client hung up after about 2 s (the whole answer has a deadline)',
			held.join(','),
		);
		c.ok(
			[1, 6].every((n) => o.invokesOf(n)[0]?.trickle?.written > 0),
			'the answer had started to arrive',
		);
		return `hung up after ${held.join('/')} ms`;
	},
});

row({
	fault:
		"trickling token answer: Sentinel sends the credential's token one byte every 200 ms, never ending (cold credential)",
	expected:
		'every item on the error output, a timeout naming Sentinel; each token request ends at the 15 s deadline; nothing invoked',
	credential: 'cold',
	setup({ emu, note }) {
		emu.fault({
			service: 'sentinel',
			match: { pathIncludes: '/app/token' },
			action: { type: 'trickle', everyMs: 200, endless: true },
		});
		note.t0 = Date.now();
	},
	async during({ note }, isFinished) {
		while (!isFinished() && Date.now() - note.t0 < 120000) await sleep(50);
		note.ms = Date.now() - note.t0;
	},
	check(c, o, { note }) {
		const text = expectAllFailedWith(c, o, 'Sentinel');
		c.eq([...new Set(o.errors.map((item) => item.json.error?.kind))], ['timeout'], 'error kind');
		c.eq(o.invokes.length, 0, 'invoke requests');
		const held = heldOpen(o.tokenRequests);
		c.ok(
			held.length >= 1 && held.every((ms) => ms !== null && ms >= 14000 && ms < 20000),
			'each token request ended at the 15 s deadline',
			held.join(','),
		);
		c.ok(note.ms < 60000, 'the execution ended within a minute', String(note.ms));
		return `${text}; ${o.tokenRequests.length} token request(s), held ${held.join('/')} ms; execution ${note.ms} ms`;
	},
});

row({
	fault: 'oversized answer: 40 MB of JSON (flood; items 2, 7)',
	expected:
		'error output, kind bad-answer (more than 16 MB, not read), ran once, not retried; reading stopped early',
	setup: ({ emu }) => faultItems(emu, [2, 7], { type: 'flood', bytes: 40 * 1024 * 1024 }),
	check(c, o) {
		expectErrors(c, o, [2, 7], { kind: 'bad-answer', mayHaveRun: true, runs: 1 });
		c.ok(
			[2, 7].every((n) => /more than 16 MB, which is not read/.test(o.errorOf(n)?.message)),
			'the error says the answer is larger than 16 MB',
			o.errorOf(2)?.message,
		);
		const written = [2, 7].map((n) => o.invokesOf(n)[0]?.flood?.written ?? null);
		c.ok(
			written.every((bytes) => bytes !== null && bytes < 30 * 1024 * 1024),
			'n8n stopped reading: the emulator could not write the whole 40 MB',
			written.join(','),
		);
		return `bytes written before n8n hung up: ${written.join('/')}`;
	},
});

for (const [status, body] of [
	[500, { errorCode: 'com.liveperson.faas.internal', errorMsg: 'Internal error' }],
	[502, '<html><body>Bad Gateway</body></html>'],
	[504, undefined],
]) {
	row({
		fault: `HTTP ${status} (items 2, 7, 12, 17; once each)`,
		expected: 'error output, kind platform, not retried (a retry would have succeeded)',
		setup: ({ emu }) => faultItems(emu, TARGETS, { type: 'status', status, body }),
		check(c, o) {
			expectErrors(c, o, TARGETS, {
				kind: 'platform',
				httpStatus: status,
				mayHaveRun: true,
				runs: 0,
			});
		},
	});
}

row({
	fault: 'token expired between executions (emulator clock +3700 s, warm credential)',
	expected: 'renewed once (one token request); all succeed; each function ran once',
	credential: 'warm',
	setup: ({ emu }) => emu.clock.advance(3700),
	check(c, o) {
		expectSucceeded(c, o, range(ITEMS));
		c.eq(o.tokenRequests.length, 1, 'token requests');
		const refused = o.invokes.filter((r) => r.status === 401).length;
		c.ok(refused >= 1, 'the stored token was refused (401) first', `${refused} answers 401`);
		return `${refused} invocation(s) answered 401, then one renewal`;
	},
});

row({
	fault: 'tokens revoked before the run (warm credential)',
	expected: 'exactly one token request; all succeed; each function ran once',
	credential: 'warm',
	setup: ({ emu }) => emu.revokeTokens(),
	check(c, o) {
		expectSucceeded(c, o, range(ITEMS));
		c.eq(o.tokenRequests.length, 1, 'token requests');
		const refused = o.invokes.filter((r) => r.status === 401).length;
		c.ok(refused >= 1, 'the revoked token was refused (401) first', `${refused} answers 401`);
		return `${refused} invocation(s) answered 401, then one renewal`;
	},
});

row({
	fault: 'CSDS (Domain API) down, warm credential (hosts stored)',
	expected: 'all succeed; zero CSDS requests (connection attempts counted on its port)',
	credential: 'warm',
	async setup({ emu, defer, note }) {
		await emu.setServiceDown('csds', true);
		note.spy = await portSpy(emu.hosts.csds);
		defer(() => note.spy.close());
	},
	check(c, o, { note }) {
		expectSucceeded(c, o, range(ITEMS));
		c.eq(note.spy.connections, 0, 'connections to the Domain API port');
		c.eq(o.csdsRequests.length, 0, 'CSDS requests');
		return `connections to the CSDS port: ${note.spy.connections}`;
	},
});

row({
	fault: '200 with a non-JSON body (raw; items 2, 7, 12, 17)',
	expected: 'error output, kind bad-answer, ran once, not retried',
	setup: ({ emu }) =>
		faultItems(emu, TARGETS, { type: 'raw', body: '<html>oops</html>', contentType: 'text/html' }),
	check(c, o) {
		expectErrors(c, o, TARGETS, { kind: 'bad-answer', httpStatus: 200, runs: 1 });
	},
});

row({
	fault: '200 with an empty body (empty; items 2, 7, 12, 17)',
	expected: 'success with result null; ran once',
	setup: ({ emu }) => faultItems(emu, TARGETS, { type: 'empty' }),
	check(c, o) {
		expectSucceeded(c, o, range(ITEMS));
		c.eq(
			TARGETS.map((n) => o.mainOf(n)?.result),
			TARGETS.map(() => null),
			'result of the empty answers',
		);
		c.eq(
			TARGETS.map((n) => 'result' in (o.mainOf(n) ?? {})),
			TARGETS.map(() => true),
			'result field present',
		);
	},
});

/** The items' functions throw: LivePerson answers 901 with its code and the function's message. */
const throwing = (emu) => {
	for (const n of [5, 10, 15]) {
		emu.addFunction({
			uuid: uuidOf(n),
			name: `item-${n}`,
			handler: async () => {
				throw new Error(`item ${n}: the function threw`);
			},
		});
	}
};

function expectFunctionFailure(c, o, code) {
	expectErrors(c, o, [5, 10, 15], {
		kind: 'function-failure',
		httpStatus: 901,
		mayHaveRun: true,
		runs: 1,
	});
	c.eq(
		[5, 10, 15].map((n) => o.errorOf(n)?.code),
		[code, code, code],
		"LivePerson's error code",
	);
	c.eq(
		[5, 10, 15].map((n) => o.errorOf(n)?.errorMessage),
		[5, 10, 15].map((n) => `item ${n}: the function threw`),
		"the function's message (errorMessage)",
	);
	c.eq(
		[5, 10, 15].map((n) => o.errorOf(n)?.message),
		[5, 10, 15].map((n) => `item ${n}: the function threw`),
		'the error message',
	);
	return `code ${o.errorOf(5)?.code}, message "${o.errorOf(5)?.message}"`;
}

row({
	fault: '901 function failure, V1 (items 5, 10, 15 throw)',
	expected: "error output, kind function-failure, LivePerson's code and the function's message",
	setup: ({ emu }) => throwing(emu),
	check: (c, o) => expectFunctionFailure(c, o, 'com.liveperson.faas.handler.custom-failure'),
});

row({
	fault: '901 function failure, V2 (emulator V2, node platform V2; items 5, 10, 15 throw)',
	expected: "error output, kind function-failure, LivePerson's V2 code and the function's message",
	workflow: 'twenty-v2',
	setup({ emu }) {
		emu.setPlatform('v2');
		throwing(emu);
	},
	check(c, o) {
		const text = expectFunctionFailure(c, o, 'com.customer.faas.function.threw-error');
		c.ok(
			o.invokes.every((r) => r.headers['lp-eventsource'] === 'n8n' && r.query.v === undefined),
			'V2 requests (LP-EventSource, no v=1)',
		);
		return text;
	},
});

row({
	fault: '404 not deployed (items 2, 7, 12, 17: Draft functions)',
	expected: 'error output, kind not-found, not retried, ran 0 times',
	setup({ emu }) {
		for (const n of TARGETS)
			emu.addFunction({
				uuid: uuidOf(n),
				name: `item-${n}`,
				state: 'Draft',
				handler: async () => ({ n }),
			});
	},
	check(c, o) {
		expectErrors(c, o, TARGETS, { kind: 'not-found', httpStatus: 404, runs: 0 });
	},
});

row({
	fault: '413 payload too large (items 2, 7, 12, 17)',
	expected: 'error output, kind bad-request, not retried, ran 0 times',
	setup: ({ emu }) =>
		faultItems(emu, TARGETS, {
			type: 'status',
			status: 413,
			body: {
				errorCode: 'com.liveperson.faas.payload-too-large',
				errorMsg: 'request body too large',
			},
		}),
	check(c, o) {
		expectErrors(c, o, TARGETS, { kind: 'bad-request', httpStatus: 413, runs: 0 });
	},
});

row({
	fault: 'Sentinel down, cold credential',
	expected:
		'every item on the error output, message naming Sentinel, not retried per item; nothing invoked',
	credential: 'cold',
	setup: ({ emu }) => emu.setServiceDown('sentinel', true),
	check(c, o) {
		const text = expectAllFailedWith(c, o, 'Sentinel');
		c.eq(o.invokes.length, 0, 'invoke requests');
		c.eq([...new Set(o.errors.map((item) => item.json.error?.attempts))], [1], 'attempts per item');
		return text;
	},
});

row({
	fault: 'CSDS (Domain API) down, cold credential',
	expected: 'every item on the error output, message naming the Domain API; nothing else asked',
	credential: 'cold',
	setup: ({ emu }) => emu.setServiceDown('csds', true),
	check(c, o) {
		const text = expectAllFailedWith(c, o, 'Domain API');
		c.eq(
			{ token: o.tokenRequests.length, invoke: o.invokes.length },
			{ token: 0, invoke: 0 },
			'requests after the failed discovery',
		);
		return text;
	},
});

/** The token may only go to Sentinel's token endpoint (as a grant) and the credential's own gateway/UI hosts. */
function expectNoTokenSent(c, emu) {
	const carrying = emu.requests.filter((r) => r.service !== 'sentinel' && r.headers.authorization);
	c.eq(
		carrying.map((r) => `${r.service} ${r.path}`),
		[],
		'requests carrying Authorization',
	);
	c.eq(emu.requestsOf('faasGW').length, 0, 'requests to the gateway port');
	return `requests carrying Authorization: ${carrying.length}; to the gateway port: ${emu.requestsOf('faasGW').length}`;
}

for (const [label, host] of [
	['with a scheme', (emu) => `https://${emu.hosts.faasGW}`],
	['with a path', (emu) => `${emu.hosts.faasGW}/steal`],
]) {
	row({
		fault: `discovered gateway host ${label} (CSDS answers faasGW = "${label === 'with a scheme' ? 'https://127.0.0.1:PORT' : '127.0.0.1:PORT/steal'}"), cold`,
		expected:
			'rejected: every item on the error output ("not a bare host name"); the token never sent but to Sentinel',
		credential: 'cold',
		setup: ({ emu }) => emu.setServiceHost('faasGW', host(emu)),
		check(c, o, { emu }) {
			const text = expectAllFailedWith(c, o, 'not a bare host name');
			return `${text}; ${expectNoTokenSent(c, emu)}`;
		},
	});
}

row({
	fault: 'manual hosts (Sentinel and gateway by hand), CSDS down',
	expected: 'all succeed; zero CSDS requests (connection attempts counted on its port)',
	credential: {
		manual: (emu) => ({
			hostMode: 'manual',
			sentinelHost: emu.hosts.sentinel,
			gatewayHost: emu.hosts.faasGW,
		}),
	},
	async setup({ emu, defer, note }) {
		await emu.setServiceDown('csds', true);
		note.spy = await portSpy(emu.hosts.csds);
		defer(() => note.spy.close());
	},
	check(c, o, { note }) {
		expectSucceeded(c, o, range(ITEMS));
		c.eq(note.spy.connections, 0, 'connections to the Domain API port');
		c.eq(o.tokenRequests.length, 1, 'token requests');
		return `connections to the CSDS port: ${note.spy.connections}`;
	},
});

// ---------- hostile networks and input ----------

for (const [service, name, needle] of [
	['csds', 'Domain API', 'No answer from the LivePerson Domain API at'],
	[
		'sentinel',
		'Sentinel (token request)',
		"No answer from LivePerson's authorization server (Sentinel) at",
	],
]) {
	row({
		fault: `${name} accepts the connection and never answers (hang), cold credential`,
		expected:
			'every item on the error output within the 15 s limit of a credential step; nothing invoked',
		credential: 'cold',
		setup: ({ emu }) => emu.fault({ service, action: { type: 'hang' } }),
		check(c, o) {
			const text = expectAllFailedWith(c, o, needle);
			c.eq(o.invokes.length, 0, 'invoke requests');
			c.ok(
				o.tokenRequests.length <= 1,
				'at most one token request (not one per wave of items)',
				String(o.tokenRequests.length),
			);
			const ms = o.result.durationMs ?? null;
			return `${text}${ms === null ? '' : `; run took ${ms} ms`}`;
		},
	});
}

row({
	fault: 'gateway 307 to another host (items 2, 7, 12, 17), Location = the Domain API port /steal',
	expected:
		'error output, kind redirect, not retried, ran 0 times; no token or payload sent elsewhere',
	setup: ({ emu }) =>
		faultItems(emu, TARGETS, {
			type: 'status',
			status: 307,
			headers: { Location: `${emu.urls.csds}/steal` },
		}),
	check(c, o, { emu }) {
		expectErrors(c, o, TARGETS, { kind: 'redirect', httpStatus: 307, mayHaveRun: false, runs: 0 });
		const followed = emu.requestsOf('csds').filter((r) => r.path.includes('steal'));
		c.eq(followed.length, 0, 'requests that followed the redirect');
		const carrying = emu.requests.filter(
			(r) => r.service !== 'faasGW' && r.service !== 'sentinel' && r.headers.authorization,
		);
		c.eq(carrying.length, 0, 'requests carrying Authorization outside the gateway');
		return `followed: ${followed.length}; Authorization outside the gateway: ${carrying.length}`;
	},
});

row({
	fault:
		'Timeout = {{ -1 }} and Concurrency = {{ 1e9 }} from expressions; items 1, 6 never answered (hang)',
	expected:
		'bounded: items 1, 6 time out after the 1 s minimum (never hang), the rest succeed, at most 50 in flight',
	workflow: 'twenty-expressions',
	setup: ({ emu }) => faultItems(emu, [1, 6], { type: 'hang' }),
	check(c, o, { emu }) {
		expectErrors(c, o, [1, 6], { kind: 'timeout', mayHaveRun: true, runs: 1 });
		const waited = [1, 6]
			.map((n) => o.invokesOf(n)[0])
			.map((r) => (r && r.endedAt ? r.endedAt - r.startedAt : null));
		// The 1 s deadline counts from before the connection is made, so under load the emulator sees less of
		// it; a timeout of -1 taken as is would end at once.
		c.ok(
			waited.every((ms) => ms !== null && ms >= 100 && ms < 5000),
			'gave up after about 1 s (not at once, not 35 s, not never)',
			waited.join(','),
		);
		c.ok(
			emu.gatewayMaxInFlight <= 50,
			'at most 50 invocations in flight',
			String(emu.gatewayMaxInFlight),
		);
		return `gave up after ${waited.join('/')} ms; max in flight ${emu.gatewayMaxInFlight}`;
	},
});

row({
	fault: 'OAuth2: user token and refresh token revoked (refresh answered 400 invalid_grant)',
	expected:
		'every item on the error output, "connected again", kind auth, step token, not retried; nothing ran',
	workflow: 'twenty-oauth2',
	leavesTokensRevoked: true, // every token of the emulator, the app credential's too
	setup({ emu }) {
		emu.revokeTokens();
		emu.revokeRefreshTokens();
	},
	check(c, o, { emu }) {
		const text = expectAllFailedWith(c, o, 'the credential must be connected again');
		c.eq(
			[...new Set(o.errors.map((item) => `${item.json.error?.kind}/${item.json.error?.step}`))],
			['auth/token'],
			'kind/step',
		);
		c.eq([...new Set(o.errors.map((item) => item.json.error?.attempts))], [1], 'attempts per item');
		c.eq(o.runs.filter((count) => count > 0).length, 0, 'functions that ran');
		const refreshes = emu
			.requestsOf('sentinel')
			.filter((r) => r.body?.grant_type === 'refresh_token').length;
		c.ok(
			refreshes >= 1 && refreshes <= ITEMS,
			'at most one refused refresh per item (no retry rounds)',
			String(refreshes),
		);
		return `${text}; refresh requests ${refreshes}`;
	},
});

// ---------- batches (twenty-batch: one batch-aware function, 5 items per call, 2 calls at a time) ----------

/** A fault on the next batch call (whichever of the two first calls arrives first). */
const faultNextBatch = (emu, action, times = 1) =>
	emu.fault({ service: 'faasGW', match: { uuid: BATCH_UUID }, times, action });

/** The items of the batch call the fault hit, from the emulator's log. */
const faultedBatch = (o) => itemsOfBatch(o.invokes.find((r) => r.fault) ?? {});

/** Whole-batch failure: every item of the batch fails with the batch named; the other 3 batches succeed. */
function expectBatchFailed(c, o, failure) {
	const items = faultedBatch(o);
	c.eq(items.length, 5, 'the faulted call carried 5 items');
	expectErrors(c, o, items, failure);
	const range = `${items[0]}–${items[items.length - 1]}`;
	const messages = [...new Set(items.map((n) => o.errorOf(n)?.message))];
	c.ok(
		messages.length === 1 && messages[0]?.startsWith(`The batch of items ${range} (5 items): `),
		'every error names the batch',
		JSON.stringify(messages),
	);
	c.eq(
		[...new Set(items.map((n) => JSON.stringify(o.errorOf(n)?.batch)))],
		[JSON.stringify({ firstItem: items[0], lastItem: items[4], size: 5 })],
		'error.batch',
	);
	return `batch ${range} failed: "${messages[0]}"; calls ${o.batchCalls}`;
}

row({
	fault: 'batch: 504 after the function ran (status-after; one call of 5 items)',
	expected:
		'that batch on the error output, kind platform 504, mayHaveRun, not re-sent; 3 batches fine',
	workflow: 'twenty-batch',
	setup: ({ emu }) => faultNextBatch(emu, { type: 'status-after', status: 504 }),
	check(c, o) {
		c.eq(o.batchCalls, 4, 'batch calls (runs of the function)');
		return expectBatchFailed(c, o, {
			kind: 'platform',
			httpStatus: 504,
			mayHaveRun: true,
			runs: 1,
		});
	},
});

row({
	fault: 'batch: connection reset after the function ran (reset-after; one call)',
	expected:
		'that batch on the error output, kind transport, mayHaveRun, not re-sent; 3 batches fine',
	workflow: 'twenty-batch',
	setup: ({ emu }) => faultNextBatch(emu, { type: 'reset-after' }),
	check(c, o) {
		c.eq(o.batchCalls, 4, 'batch calls (runs of the function)');
		return expectBatchFailed(c, o, { kind: 'transport', mayHaveRun: true, runs: 1 });
	},
});

row({
	fault: 'batch: 413 payload too large (one call)',
	expected: 'that batch on the error output, kind bad-request 413, did not run; 3 batches fine',
	workflow: 'twenty-batch',
	setup: ({ emu }) =>
		faultNextBatch(emu, {
			type: 'status',
			status: 413,
			body: { errorCode: 'com.liveperson.faas.payload-too-large', errorMsg: 'Too large' },
		}),
	check(c, o) {
		c.eq(o.batchCalls, 3, 'batch calls (runs of the function)');
		return expectBatchFailed(c, o, { kind: 'bad-request', httpStatus: 413, runs: 0 });
	},
});

row({
	fault: 'batch: answer one result short (the first call to run answers 4 results for 5 items)',
	expected:
		'that batch on the error output, kind bad-answer naming both lengths, ran once; 3 batches fine',
	workflow: 'twenty-batch',
	setup: ({ batch }) => batch.answers.push('short'),
	check(c, o) {
		c.eq(o.batchCalls, 4, 'batch calls (runs of the function)');
		const broken = o.errors.map((item) => item.json.error?.batch?.firstItem);
		const first = broken[0];
		const items = range(5).map((i) => first + i);
		expectErrors(c, o, items, { kind: 'bad-answer', mayHaveRun: true, runs: 1 });
		const message = o.errorOf(first)?.message ?? '';
		c.ok(
			message.endsWith('The function answered a batch of 5 items with 4 results'),
			'the error names both lengths',
			message,
		);
		return `batch ${first}–${first + 4}: "${message}"`;
	},
});

row({
	fault: 'batch: the function fails one element (item 7)',
	expected:
		'item 7 alone on the error output with the function’s message, kind function-failure; all ran once',
	workflow: 'twenty-batch',
	setup: ({ batch }) => batch.failures.add(7),
	check(c, o) {
		c.eq(o.batchCalls, 4, 'batch calls (runs of the function)');
		expectErrors(c, o, [7], { kind: 'function-failure', mayHaveRun: true, runs: 1 });
		c.eq(o.errorOf(7)?.message, 'item 7 failed', 'the function’s message');
		return `item 7: "${o.errorOf(7)?.message}"`;
	},
});

row({
	fault: 'batch: 429 with Retry-After: 1 (one call, once)',
	expected: 'the batch is sent again after >= 1 s; all succeed; each item ran once',
	workflow: 'twenty-batch',
	setup: ({ emu }) =>
		faultNextBatch(emu, { type: 'status', status: 429, headers: { 'Retry-After': '1' } }),
	check(c, o) {
		const items = faultedBatch(o);
		expectSucceeded(c, o, range(ITEMS));
		c.eq(o.batchCalls, 4, 'batch calls (runs of the function)');
		c.eq(
			items.map(o.attemptsOf),
			items.map(() => 2),
			'attempts of the throttled batch’s items',
		);
		const gaps = retryGaps(o, items.slice(0, 1));
		c.ok(gaps.length === 1 && gaps[0] >= 990, 'Retry-After honoured', gaps.join(','));
		return `batch ${items[0]}–${items[4]} retried after ${gaps[0]} ms`;
	},
});

module.exports = { definitions };

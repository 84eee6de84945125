'use strict';

/**
 * Hostile networks, round 2 (issue 20), against the emulator through the fake of n8n's context:
 * answers that trickle (body or headers), answers that weigh too much or nest too deep, a batch
 * header smuggled into an ordinary call, a cancel during a retry wait, an https address that answers
 * plain HTTP, and a batch element that says "error": null. Nothing here may hang: each call ends
 * within its deadline, and every output, error and log line is scanned for the secret and tokens.
 */
// n8n's sleep as it is, and a word when a wait starts: the retry-wait test cancels on that event.
const { EventEmitter } = require('events');
const waits = new EventEmitter();
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return {
		...actual,
		sleep: (ms, signal) => {
			waits.emit('wait', ms);
			return actual.sleep(ms, signal);
		},
	};
});

const http = require('http');
const { startEmulator } = require('../../../tools/emulator');
const { appCredential } = require('../../../tools/emulator/credentials');
const { LivePersonFunction } = require('../../../nodes/LivePersonFunction/LivePersonFunction.node');
const {
	cleanEmulator,
	credentialStore,
	leakedSecrets,
	nodeRunner,
} = require('../../helpers/n8nContext');
const { eachTestAsANewProcess } = require('../../helpers/freshProcess');

const ECHO = '11111111-1111-4111-8111-111111111111';
const ELEMENTS = '22222222-2222-4222-8222-222222222222';

eachTestAsANewProcess();

const node = new LivePersonFunction();
let emu;
let elements = [];
const seen = [];

beforeAll(async () => {
	emu = await startEmulator({
		functions: [
			{
				uuid: ECHO,
				name: 'echo',
				eventId: 'conversational_command',
				handler: async (input) => ({ payload: input.payload }),
			},
			// A batch function whose answer each test chooses.
			{ uuid: ELEMENTS, name: 'elements', handler: async () => elements },
		],
	});
});

afterAll(async () => {
	await emu.stop();
	expect(leakedSecrets(emu, seen)).toEqual([]);
});

let store;
beforeEach(() => {
	store = credentialStore(appCredential(emu));
	cleanEmulator(emu);
});

const fn = (uuid) => ({ mode: 'id', value: uuid });
const run = nodeRunner(node, seen, () => ({ emu, store }));
const invokes = () => emu.requestsOf('faasGW').filter((r) => r.path.endsWith('/invoke'));

/** Resolves once the emulator saw the client close the request's connection (at most 2 s later). */
async function closed(entry) {
	const until = performance.now() + 2000;
	while (entry.outcome !== 'client-closed' && performance.now() < until)
		await new Promise((resolve) => setImmediate(resolve));
}

/** Runs `work` and says how long it took, in ms (on the real clock: Date is faked here, see freshProcess). */
async function timed(work) {
	const started = performance.now();
	const value = await work();
	return { value, ms: Math.round(performance.now() - started) };
}

describe('1. a deadline no answer can outlast', () => {
	test.each([
		['a body that trickles one byte every 100 ms and never ends', { endless: true }],
		['header lines that trickle forever', { phase: 'headers' }],
	])('%s: Timeout 1000 ms ends in about 1 s, as a timeout of the step invoke', async (_, how) => {
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'trickle', everyMs: 100, ...how } });
		const { value: output, ms } = await timed(() =>
			run({ parameters: { functionId: fn(ECHO), options: { timeout: 1000 } } }),
		);
		expect(output).toHaveLength(1);
		expect(output[0].json.error).toMatchObject({
			kind: 'timeout',
			step: 'invoke',
			mayHaveRun: true,
			attempts: 1,
		});
		expect(output[0].json.error.message).toMatch(
			/^No answer from the LivePerson Functions gateway/,
		);
		expect(ms).toBeGreaterThanOrEqual(950);
		expect(ms).toBeLessThan(3000);
		expect(invokes()).toHaveLength(1);
		// And the connection is closed, not left to trickle on.
		await closed(invokes()[0]);
		expect(invokes()[0].outcome).toBe('client-closed');
	});

	test('a trickling answer that would end after the deadline does not end the call later', async () => {
		// 40 bytes at 100 ms each: 4 s, against a 1 s deadline.
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'trickle', everyMs: 100 } });
		const { value: output, ms } = await timed(() =>
			run({
				parameters: { functionId: fn(ECHO), options: { timeout: 1000 } },
				items: [{ json: { n: 1 } }],
			}),
		);
		expect(output[0].json.error).toMatchObject({ kind: 'timeout', step: 'invoke' });
		expect(ms).toBeLessThan(3000);
		// The client hung up: the emulator stopped writing before the answer was complete.
		const [entry] = invokes();
		expect(entry.trickle.ended).toBe(false);
	});

	test('a trickle within the deadline is read whole', async () => {
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'trickle', everyMs: 5, bytes: 4 } });
		const output = await run({
			parameters: { functionId: fn(ECHO), options: { timeout: 10000 } },
			items: [{ json: { n: 1 } }],
		});
		expect(output[0].json).toEqual({ payload: { n: 1 } });
		expect(invokes()[0].trickle.ended).toBe(true);
	});
});

describe("1. the credential's steps have deadlines too", () => {
	const https = require('https');
	const { n8nHttpClient } = require('../../../nodes/LivePersonFunction/transport/httpClient');
	const { discoverDomains } = require('../../../nodes/LivePersonFunction/protocol/discovery');
	const {
		requestClientCredentialsToken,
	} = require('../../../nodes/LivePersonFunction/protocol/token');
	const { makeHttpRequest } = require('../../helpers/n8nContext');
	let agent;
	let plainHttp;
	beforeEach(() => {
		agent = new https.Agent({ ca: emu.caPem });
		plainHttp = n8nHttpClient(makeHttpRequest(agent));
	});
	afterEach(() => agent.destroy());

	test.each([
		[
			'the Domain API',
			'csds',
			() =>
				discoverDomains(plainHttp, {
					domainApiUrl: emu.urls.csds,
					accountId: emu.accountId,
					timeoutMs: 1000,
				}),
		],
		[
			'Sentinel',
			'sentinel',
			() =>
				requestClientCredentialsToken(plainHttp, {
					hosts: { sentinel: emu.hosts.sentinel },
					accountId: emu.accountId,
					...emu.clients[0],
					timeoutMs: 1000,
				}),
		],
	])('%s trickling forever: a timeout of its step after 1 s', async (_, service, ask) => {
		emu.fault({ service, action: { type: 'trickle', everyMs: 100, endless: true } });
		const { value: error, ms } = await timed(() => ask().catch((e) => e));
		expect(error).toMatchObject({
			kind: 'timeout',
			step: service === 'csds' ? 'discovery' : 'token',
		});
		expect(`${error.message} ${error.description}`).not.toMatch(/function/);
		expect(ms).toBeLessThan(3000);
		seen.push(error);
	});
});

describe('2. a size no answer can exceed', () => {
	test("Sentinel's token answer of 100 KB is refused (64 KB at most), as a bad answer of the token step", async () => {
		emu.fault({ service: 'sentinel', action: { type: 'flood', bytes: 100 * 1024 } });
		const output = await run({ parameters: { functionId: fn(ECHO) } });
		expect(output[0].json.error).toMatchObject({
			kind: 'bad-answer',
			step: 'token',
			mayHaveRun: false,
		});
		expect(output[0].json.error.message).toMatch(/more than 64 KB/);
		expect(invokes()).toHaveLength(0);
	});

	test('a 40 MB answer stops being read past 16 MB (the default): a bad answer that ran', async () => {
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'flood', bytes: 40 * 1024 * 1024 } });
		const output = await run({ parameters: { functionId: fn(ECHO) } });
		expect(output[0].json.error).toMatchObject({
			kind: 'bad-answer',
			step: 'invoke',
			mayHaveRun: true,
			attempts: 1,
		});
		expect(output[0].json.error.message).toMatch(
			/answered with more than 16 MB, which is not read$/,
		);
		expect(output[0].json.error.description).toMatch(/Max Answer Size \(MB\)/);
		// Reading stopped: the emulator could not write the whole answer.
		expect(invokes()[0].flood.written).toBeLessThan(30 * 1024 * 1024);
	});

	test('Max Answer Size (MB) 1 refuses a 2 MB answer and takes a 0.5 MB one', async () => {
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'flood', bytes: 2 * 1024 * 1024 } });
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'flood', bytes: 512 * 1024 } });
		const output = await run({
			parameters: { functionId: fn(ECHO), options: { maxAnswerSize: 1, concurrency: 1 } },
			items: [{ json: {} }, { json: {} }],
		});
		expect(output[0].json.error.message).toMatch(/more than 1 MB/);
		// [0,0,…,0] of 512 KB: (512 KB - 1) / 2 zeros.
		expect(output[1].json.result).toHaveLength(Math.floor((512 * 1024 - 1) / 2));
	});

	test('Max Answer Size "big" stops the node naming the item and the field', async () => {
		const error = await run({
			parameters: { functionId: fn(ECHO), options: { maxAnswerSize: 'big' } },
			continueOnFail: false,
		}).catch((e) => e);
		expect(error.message).toBe('Item 0, field "Max Answer Size (MB)": "big" is not a number');
		expect(invokes()).toHaveLength(0);
	});

	test('a Domain API answer of 2 MB is refused at discovery, nothing invoked', async () => {
		emu.fault({ service: 'csds', action: { type: 'flood', bytes: 2 * 1024 * 1024 } });
		const output = await run({ parameters: { functionId: fn(ECHO) } });
		expect(output[0].json.error).toMatchObject({
			kind: 'bad-answer',
			step: 'discovery',
			mayHaveRun: false,
		});
		expect(output[0].json.error.message).toMatch(/more than 1 MB/);
		expect(invokes()).toHaveLength(0);
	});

	test('a batch element with a 5 MB message: the error item repeats only its first 1000 characters', async () => {
		const huge = 'x'.repeat(5 * 1024 * 1024);
		elements = [{ result: 1 }, { error: { message: huge, code: huge } }];
		const output = await run({
			parameters: {
				functionId: fn(ELEMENTS),
				options: { batching: { batch: { itemsPerCall: 2 } } },
			},
			items: [{ json: {} }, { json: {} }],
		});
		expect(output[0].json.result).toBe(1);
		const { error } = output[1].json;
		expect(error.kind).toBe('function-failure');
		expect(JSON.stringify(error).length).toBeLessThan(4000);
		expect(error.message).toMatch(/^x{1000}… \(5241880 more characters not shown\)$/);
	});
});

describe('3. the batch header cannot be smuggled into an ordinary call', () => {
	test.each([
		['Function → Invoke', { functionId: fn(ECHO) }],
		['Event → Invoke', { resource: 'event', eventId: 'conversational_command' }],
	])('%s refuses it in any letter case, from an item, nothing sent', async (_, parameters) => {
		const output = await run({
			parameters: {
				...parameters,
				headers: { header: (i, item) => [{ name: item.json.name, value: '1' }] },
			},
			items: [{ json: { name: 'x-n8n-BATCH' } }, { json: { name: ' X-N8N-Batch ' } }],
		});
		for (const [itemIndex, item] of output.entries()) {
			expect(item.json.error).toMatchObject({ kind: 'invalid-input', field: 'Headers', itemIndex });
			expect(item.json.error.message).toBe(
				`Item ${itemIndex}, field "Headers": The header X-N8N-Batch is set by the node for batch calls`,
			);
		}
		expect(emu.requestsOf('faasGW')).toHaveLength(0);
	});
});

describe('4. cancelling ends a retry wait', () => {
	test('cancelled during a 20 s Retry-After: back at once, cancelled and not sent again', async () => {
		const cancel = new AbortController();
		emu.fault({
			service: 'faasGW',
			action: { type: 'status', status: 429, headers: { 'Retry-After': '20' } },
		});
		// Cancelled once the node waits the 20 s the throttled answer asked for.
		const onWait = (ms) => ms >= 20000 && cancel.abort();
		waits.on('wait', onWait);
		try {
			const { value: output, ms } = await timed(() =>
				run({ parameters: { functionId: fn(ECHO) }, cancelSignal: cancel.signal }),
			);
			expect(output[0].json.error).toMatchObject({
				kind: 'cancelled',
				mayHaveRun: false,
				attempts: 1,
			});
			expect(output[0].json.error.message).toBe(
				'The execution was cancelled before this item was sent again',
			);
			expect(output[0].json.error.description).toMatch(/the function did not run/);
			expect(ms).toBeLessThan(5000);
		} finally {
			waits.off('wait', onWait);
		}
		expect(invokes()).toHaveLength(1);
	});
});

describe('5. an https address that answers plain HTTP', () => {
	let plain;
	beforeAll(async () => {
		plain = http.createServer((req, res) => res.end('plain'));
		await new Promise((resolve) => plain.listen(0, '127.0.0.1', resolve));
	});
	afterAll(() => new Promise((resolve) => plain.close(resolve)));

	test('could not connect securely: not sent, one attempt even with the opt-in', async () => {
		store = credentialStore(
			appCredential(emu, {
				hostMode: 'manual',
				sentinelHost: emu.hosts.sentinel,
				gatewayHost: `127.0.0.1:${plain.address().port}`,
				uiHost: '',
			}),
		);
		const output = await run({
			parameters: { functionId: fn(ECHO), options: { retryWhenMayHaveRun: true } },
		});
		expect(output[0].json.error).toMatchObject({
			kind: 'configuration',
			step: 'invoke',
			mayHaveRun: false,
			attempts: 1,
		});
		expect(output[0].json.error.message).toMatch(
			/^Could not connect securely to the LivePerson Functions gateway at 127\.0\.0\.1:\d+: the secure connection \(TLS\) could not be set up$/,
		);
		expect(output[0].json.error.description).toMatch(/plain HTTP instead of HTTPS/);
	});
});

describe('6. an answer nested deeper than any real one', () => {
	test('a 200 000-deep answer is a bad answer of the step invoke, not an item', async () => {
		const depth = 200000;
		emu.fault({
			service: 'faasGW',
			times: 1,
			action: { type: 'raw', body: `${'['.repeat(depth)}${']'.repeat(depth)}` },
		});
		const output = await run({ parameters: { functionId: fn(ECHO) } });
		expect(output[0].json.error).toMatchObject({
			kind: 'bad-answer',
			step: 'invoke',
			mayHaveRun: true,
		});
		expect(output[0].json.error.message).toMatch(/nested more than 200 levels deep/);
	});

	test('200 levels are fine, brackets inside strings do not count', async () => {
		const answer = `${'['.repeat(199)}{"text":"${'['.repeat(500)}\\"]"}${']'.repeat(199)}`;
		emu.fault({ service: 'faasGW', times: 1, action: { type: 'raw', body: answer } });
		const output = await run({ parameters: { functionId: fn(ECHO) } });
		expect(output[0].json.error).toBeUndefined();
		expect(JSON.stringify(output[0].json.result)).toBe(answer);
	});
});

describe('the batch contract: "error": null is no error', () => {
	test('{"result": 3, "error": null} is a result; {"error": null} alone breaks the contract', async () => {
		elements = [{ result: 3, error: null }, { error: null }];
		const output = await run({
			parameters: {
				functionId: fn(ELEMENTS),
				options: { batching: { batch: { itemsPerCall: 2 } } },
			},
			items: [{ json: {} }, { json: {} }],
		});
		expect(output[0].json).toEqual({ result: 3 });
		expect(output[1].json.error.message).toMatch(/has neither "result" nor "error"/);
	});
});

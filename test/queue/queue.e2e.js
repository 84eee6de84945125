'use strict';

/**
 * The node under n8n queue mode: Redis, PostgreSQL, a main instance and two workers (./cluster), executions
 * started by production webhooks as queue-mode users start them, results read back from the webhook answers and
 * from the executions n8n stored in PostgreSQL.
 */
const { startEmulator } = require('../../tools/emulator');
const { leakedSecrets } = require('../helpers/secrets');
const { startCluster } = require('./cluster');
const { killTrackedGroups } = require('./services');
const { webhookWorkflow, orders } = require('./workflow');
const { startScriptedModel } = require('../../tools/chatModel');
const { agentWorkflow, lpTool, openAiCredential } = require('../e2e/agentWorkflow');

const ECHO = '9e000000-0000-4000-8000-000000000001';
const SLOW = '9e000000-0000-4000-8000-000000000002';
const CLIENTS = [
	{ clientId: 'n8n-queue-client-a', clientSecret: 'queue-Client-Secret-A-0001' },
	{ clientId: 'n8n-queue-client-b', clientSecret: 'queue-Client-Secret-B-0002' },
];

let emu;
let model;
let cluster;
let groups = [];
const answers = []; // every webhook answer, checked for secrets at the end

const credential = (id, client) => ({
	id,
	name: id,
	type: 'livePersonFunctionsApi',
	data: { accountId: emu.accountId, ...client, hostMode: 'discover', domainApiUrl: emu.urls.csds },
});

const tokenRequests = (clientId) =>
	emu
		.requestsOf('sentinel')
		.filter(
			(r) => r.path.endsWith('/token') && (!clientId || (r.body && r.body.client_id === clientId)),
		);
/**
 * How many times each order's invocation reached the function: every gateway request not refused for its token,
 * including those whose caller died before the answer (a SIGKILLed worker).
 */
function runsPerOrder() {
	const runs = new Map();
	for (const r of emu.requestsOf('faasGW')) {
		if (r.status !== 401 && r.body && r.body.payload)
			runs.set(r.body.payload.id, (runs.get(r.body.payload.id) || 0) + 1);
	}
	return runs;
}

async function burst(webhookPath, prefix, calls, perCall, opts) {
	const sent = Array.from({ length: calls }, (_, b) => orders(`${prefix}${b}`, perCall));
	const got = await Promise.all(
		sent.map((batch) => cluster.webhook(webhookPath, { orders: batch }, opts)),
	);
	answers.push(...got);
	return { sent, got };
}

/** Every call answered 200 with one output per order, in order, each the function's answer for that order. */
function expectAllAnswered({ sent, got }) {
	got.forEach((answer, i) => {
		expect({ call: i, status: answer.status, error: answer.error }).toEqual({
			call: i,
			status: 200,
			error: undefined,
		});
		expect(answer.body).toEqual(sent[i].map((order) => ({ id: order.id })));
	});
}

/** Which workers ran the executions stored for a workflow since `afterId`. */
async function ownersOf(workflowId, afterId = 0) {
	const owner = cluster.workerOf();
	const executions = (await cluster.executions(workflowId)).filter((e) => Number(e.id) > afterId);
	return executions.map((e) => ({ id: e.id, status: e.status, worker: owner.get(e.id) }));
}
/**
 * The orders an execution received, wherever n8n keeps them in the stored execution: the Webhook node's output
 * once it ran, else the trigger data main stored with the execution before queueing it.
 */
function ordersOf(data) {
	if (!data) return [];
	const seen = new Set();
	const visit = (value) => {
		if (!value || typeof value !== 'object' || seen.has(value)) return undefined;
		seen.add(value);
		if (value.body && Array.isArray(value.body.orders)) return value.body.orders;
		for (const child of Object.values(value)) {
			const found = visit(child);
			if (found) return found;
		}
		return undefined;
	};
	return visit(data) || [];
}
const lastExecutionId = async (workflowId) =>
	Math.max(0, ...(await cluster.executions(workflowId)).map((e) => Number(e.id)));

beforeAll(async () => {
	emu = await startEmulator({
		clients: CLIENTS,
		functions: [
			{
				uuid: ECHO,
				name: 'echo',
				latencyMs: 100,
				handler: async (input) => ({ id: input.payload.id }),
			},
			{
				uuid: SLOW,
				name: 'slow',
				latencyMs: 1500,
				handler: async (input) => ({ id: input.payload.id }),
			},
		],
	});
	const a = credential('lpQueueA', CLIENTS[0]);
	const b = credential('lpQueueB', CLIENTS[1]);
	// The scripted model answers each conversation from its own question: several agents at once stay apart.
	model = await startScriptedModel({
		script: [
			(c) => ({ toolCalls: [{ name: 'Echo', arguments: { payload: { id: c.user[0] } } }] }),
			{ say: (c) => `${c.user[0]} -> ${c.results[0].json[0].id}` },
		],
	});
	cluster = await startCluster({
		emu,
		credentials: [a, b, openAiCredential(model.url)],
		workflows: [
			agentWorkflow({
				id: 'queueAgent',
				question: '={{ $json.body.question }}',
				trigger: {
					id: 'hook',
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					parameters: {
						httpMethod: 'POST',
						path: 'lp-agent',
						responseMode: 'lastNode',
						responseData: 'firstEntryJson',
						options: {},
					},
					webhookId: 'queueAgent-hook',
				},
				tools: [
					lpTool(
						'Echo',
						{
							resource: 'function',
							operation: 'invoke',
							functionId: { __rl: true, mode: 'id', value: ECHO },
							payloadMode: 'json',
							payloadJson: "={{ $fromAI('payload', 'What to echo', 'json') }}",
						},
						{ credential: a },
					),
				],
			}),
			webhookWorkflow({
				id: 'queueEchoA',
				webhookPath: 'lp-echo-a',
				functionUuid: ECHO,
				credential: a,
			}),
			webhookWorkflow({
				id: 'queueEchoB',
				webhookPath: 'lp-echo-b',
				functionUuid: ECHO,
				credential: b,
			}),
			webhookWorkflow({
				id: 'queueSlowA',
				webhookPath: 'lp-slow-a',
				functionUuid: SLOW,
				credential: a,
				concurrency: 2,
			}),
		],
		log: (msg) => process.stdout.write(`[queue] ${msg}\n`),
	});
	groups = cluster.pids();
}, 900000);

afterAll(async () => {
	// What the cluster produced, checked for secrets before it is removed: webhook answers, every log line of main
	// and workers, every execution stored in PostgreSQL.
	const produced = [...answers];
	if (model) {
		produced.push(model.receivedText());
		await model.stop();
	}
	if (cluster) {
		produced.push(...cluster.logs());
		for (const id of ['queueEchoA', 'queueEchoB', 'queueSlowA', 'queueAgent'])
			produced.push(JSON.stringify(await cluster.executions(id)));
		await cluster.stop();
	} else {
		killTrackedGroups(); // the start-up did not finish: end whatever it had started
	}
	if (emu) await emu.stop();
	const alive = () =>
		groups.filter((pgid) => {
			try {
				process.kill(-pgid, 0);
				return true;
			} catch {
				return false;
			}
		});
	// A server's helpers (PostgreSQL's background processes) end just after the server itself.
	for (const until = Date.now() + 15000; alive().length && Date.now() < until; )
		await new Promise((r) => setTimeout(r, 100));
	expect(alive()).toEqual([]);
	if (emu) expect(leakedSecrets(emu, produced)).toEqual([]);
});

test('a burst of webhook executions runs on both workers with the right outputs; the cluster asks for one token', async () => {
	// The first execution finds the credential cold: discovery and the token, stored encrypted in PostgreSQL.
	expectAllAnswered(await burst('lp-echo-a', 'warm', 1, 3));
	expectAllAnswered(await burst('lp-echo-a', 'a', 20, 6));

	const owners = await ownersOf('queueEchoA');
	process.stdout.write(
		`which worker ran which execution:\n${owners.map((o) => `  execution ${o.id}: ${o.worker} (${o.status})`).join('\n')}\n`,
	);
	expect(owners).toHaveLength(21);
	expect(owners.every((o) => o.status === 'success')).toBe(true);
	expect(new Set(owners.map((o) => o.worker))).toEqual(new Set(['worker-1', 'worker-2']));
	const tokens = tokenRequests().length;
	const discoveries = emu.requestsOf('csds').length;
	process.stdout.write(
		`21 executions: ${tokens} token request(s), ${discoveries} CSDS request(s)\n`,
	);
	expect(tokens).toBe(1);
	expect(discoveries).toBeLessThanOrEqual(2);
	const runs = runsPerOrder();
	expect([...runs.values()].every((n) => n === 1)).toBe(true);
	expect(runs.size).toBe(3 + 20 * 6);
});

test("the AI agent workflow on the workers: each agent's tool call runs the function, each answer goes back to its own agent", async () => {
	const questions = ['agent-1', 'agent-2', 'agent-3', 'agent-4'];
	const got = await Promise.all(
		questions.map((question) => cluster.webhook('lp-agent', { question })),
	);
	answers.push(...got);
	expect(got.map((answer) => [answer.status, answer.body])).toEqual(
		questions.map((question) => [200, { output: `${question} -> ${question}` }]),
	);
	const owners = await ownersOf('queueAgent');
	expect(owners).toHaveLength(4);
	expect(owners.every((o) => o.status === 'success' && /^worker-/.test(o.worker))).toBe(true);
	const results = model.toolResults().map((r) => r.json[0].id);
	expect(results.sort()).toEqual(questions);
	expect(model.toolDefinitions().map((t) => t.name)).toEqual(['Echo']);
});

test('a cold burst on a never-used credential asks for at most one token per worker, and every item succeeds', async () => {
	const since = await lastExecutionId('queueEchoB');
	expectAllAnswered(await burst('lp-echo-b', 'b', 16, 4));
	const workersUsed = new Set((await ownersOf('queueEchoB', since)).map((o) => o.worker));
	const requests = tokenRequests(CLIENTS[1].clientId).length;
	process.stdout.write(
		`cold burst of 16 executions on ${workersUsed.size} workers: ${requests} token request(s)\n`,
	);
	expect(requests).toBeGreaterThanOrEqual(1);
	expect(requests).toBeLessThanOrEqual(workersUsed.size);
});

test('after the tokens are revoked, the cluster renews and every execution succeeds', async () => {
	// Credential A: one token in the whole cluster. Credential B: the workers hold different tokens (its cold
	// burst above) and the database only the last one stored.
	emu.revokeTokens();
	emu.clearLog();
	const sinceA = await lastExecutionId('queueEchoA');
	const sinceB = await lastExecutionId('queueEchoB');
	const [a, b] = await Promise.all([
		burst('lp-echo-a', 'r', 12, 4),
		burst('lp-echo-b', 's', 12, 4),
	]);
	expectAllAnswered(a);
	expectAllAnswered(b);
	const owners = [
		...(await ownersOf('queueEchoA', sinceA)),
		...(await ownersOf('queueEchoB', sinceB)),
	];
	expect(owners).toHaveLength(24);
	expect(owners.every((o) => o.status === 'success')).toBe(true);
	const rejected = emu.requestsOf('faasGW').filter((r) => r.status === 401).length;
	const renewals = CLIENTS.map((client) => tokenRequests(client.clientId).length);
	process.stdout.write(
		`revocation: ${rejected} invocation(s) answered 401; token requests per credential: ${renewals.join(', ')}\n`,
	);
	expect(rejected).toBeGreaterThanOrEqual(1);
	for (const n of renewals) {
		expect(n).toBeGreaterThanOrEqual(1);
		expect(n).toBeLessThanOrEqual(2); // at most one renewal per worker
	}
	expect([...runsPerOrder().values()].every((n) => n === 1)).toBe(true);
});

test('a worker killed mid-run (SIGKILL): n8n reports its executions failed to their callers, nothing runs twice', async () => {
	emu.clearLog();
	const since = await lastExecutionId('queueSlowA');
	const [victim, survivor] = cluster.workers;
	// 8 executions of 4 orders, 1.5 s per invocation, 2 at a time: about 3 s each.
	const pending = burst('lp-slow-a', 'k', 8, 4, { timeoutMs: 180000 });
	const startedOnVictim = async () =>
		(await ownersOf('queueSlowA', since)).some((o) => o.worker === victim.role) &&
		emu.inFlight(SLOW) > 0;
	const t0 = Date.now();
	while (!(await startedOnVictim())) {
		if (Date.now() - t0 > 60000)
			throw new Error('no execution started on the first worker within 60 s');
		await new Promise((r) => setTimeout(r, 200));
	}
	await victim.stop({ signal: 'SIGKILL' });
	const { sent, got } = await pending;

	const executions = (await cluster.executions('queueSlowA')).filter((e) => Number(e.id) > since);
	const owner = cluster.workerOf();
	const runs = runsPerOrder();
	const rows = executions.map((e) => {
		const error = e.data && e.data.resultData.error;
		return {
			id: e.id,
			worker: owner.get(e.id) || 'none logged',
			status: e.status,
			error: error && error.message.split('.')[0],
			input: ordersOf(e.data).map((o) => o.id),
		};
	});
	const callRows = sent.map((batch, i) => ({
		call: i,
		answer: got[i].status,
		runs: batch.map((o) => runs.get(o.id) || 0),
	}));
	process.stdout.write(
		[
			`after SIGKILL of ${victim.role}, stored executions:`,
			...rows.map(
				(r) =>
					`  execution ${r.id} on ${r.worker}: ${r.status}${r.error ? ` (${r.error})` : ''}${r.input.length ? '' : ', input not kept'}`,
			),
			'webhook calls:',
			...callRows.map(
				(c) => `  call ${c.call}: HTTP ${c.answer}, function runs per order ${c.runs.join(',')}`,
			),
			'',
		].join('\n'),
	);

	// One stored execution per call; those n8n could not finish are on the dead worker (or were taken by it).
	expect(rows).toHaveLength(sent.length);
	const failed = rows.filter((r) => r.status !== 'success');
	expect(failed.length).toBeGreaterThanOrEqual(1);
	const batches = sent.map((batch) => batch.map((o) => o.id));
	for (const row of failed) {
		expect(['error', 'crashed']).toContain(row.status);
		expect(row.worker).not.toBe(survivor.role);
		// What the README says n8n 2.41.1 does: a failed (stalled) execution's stored data is replaced by the error,
		// a crashed one keeps the input it was queued with.
		if (row.status === 'error') expect(row.input).toEqual([]);
		else expect(batches).toContainEqual(row.input);
	}
	// No item is lost silently: every caller gets either all its outputs or n8n's failure answer.
	got.forEach((answer, i) => {
		if (answer.status === 200) expect(answer.body).toEqual(sent[i].map((o) => ({ id: o.id })));
		else expect({ call: i, status: answer.status }).toEqual({ call: i, status: 500 });
	});
	expect(got.filter((a) => a.status === 200)).toHaveLength(rows.length - failed.length);
	// Nothing ran twice: completed calls once per order; failed calls at most once (n8n does not re-run them).
	for (const c of callRows) {
		if (c.answer === 200) expect(c.runs).toEqual([1, 1, 1, 1]);
		else expect(c.runs.every((n) => n <= 1)).toBe(true);
	}

	// The cluster goes on with the surviving worker.
	const after = await lastExecutionId('queueSlowA');
	expectAllAnswered(await burst('lp-slow-a', 'z', 3, 2, { timeoutMs: 60000 }));
	expect((await ownersOf('queueSlowA', after)).every((o) => o.worker === survivor.role)).toBe(true);
});

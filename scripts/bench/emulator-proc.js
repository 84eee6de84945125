'use strict';
// The LivePerson emulator in its own process, so that neither the floor client (B/C) nor n8n shares an event loop
// with it. Driven over IPC by scripts/bench/run.js:
//   parent → {id, cmd: 'reset'}   clears the request log, the counters and the connection counts
//   parent → {id, cmd: 'stats'}   answers request counts per kind, max in flight, connections per service, ...
//   parent → {id, cmd: 'stop'}
// First message to the parent: {ready: true, info: {accountId, clientId, clientSecret, hosts, urls, caPath, uuids}}.

const https = require('node:https');
const path = require('node:path');

// Count TCP connections per server (keep-alive or not): wrap https.createServer before the emulator loads.
const connections = new Map(); // server -> count
const createServer = https.createServer;
https.createServer = function patched(...args) {
	const server = createServer.apply(this, args);
	connections.set(server, 0);
	server.on('connection', () => connections.set(server, connections.get(server) + 1));
	return server;
};

const { startEmulator } = require(path.resolve(__dirname, '../../tools/emulator'));

const UUIDS = {
	fast: 'b0000000-0000-4000-8000-000000000000', // 0 ms
	slow: 'b0000000-0000-4000-8000-000000000050', // 50 ms
	big: 'b0000000-0000-4000-8000-000000010240', // 0 ms, ~10 KB answer
};
const BLOB = 'x'.repeat(10 * 1024);

/**
 * A function that answers one item alone, or a batch of the node's batch contract (X-N8N-Batch header,
 * payload {items}) with one {result} per item. Its latency is per call, batch or not.
 */
function batchAware(uuid, name, latencyMs, one) {
	return {
		uuid,
		name,
		latencyMs,
		handler: async (input) => {
			const isBatch = (input.headers || []).some((h) => h && h.key === 'X-N8N-Batch');
			if (!isBatch) return one(input.payload);
			return input.payload.items.map((payload) => ({ result: one(payload) }));
		},
	};
}

function sumBy(list, key) {
	const out = {};
	for (const x of list) out[key(x)] = (out[key(x)] || 0) + 1;
	return out;
}

async function main() {
	const emu = await startEmulator({
		maxBodyBytes: 10_000_000,
		functions: [
			batchAware(UUIDS.fast, 'bench-0ms', 0, (payload) => ({ ok: true, n: payload && payload.n })),
			batchAware(UUIDS.slow, 'bench-50ms', 50, (payload) => ({
				ok: true,
				n: payload && payload.n,
			})),
			batchAware(UUIDS.big, 'bench-10kb', 0, (payload) => ({
				ok: true,
				n: payload && payload.n,
				blob: BLOB,
			})),
		],
	});
	const portToService = {};
	for (const [service, host] of Object.entries(emu.hosts))
		portToService[host.split(':').pop()] = service;
	const connectionsPerService = () => {
		const out = {};
		for (const [server, count] of connections) {
			const address = server.address();
			const service = address ? portToService[String(address.port)] : undefined;
			if (service) out[service] = (out[service] || 0) + count;
		}
		return out;
	};

	const stats = () => {
		const reqs = emu.requests;
		const isToken = (r) => r.service === 'sentinel' && /\/token$/.test(r.path);
		const isInvoke = (r) =>
			r.service === 'faasGW' && r.method === 'POST' && r.path.endsWith('/invoke');
		const invokes = reqs.filter(isInvoke);
		let first = Infinity;
		let last = -Infinity;
		for (const r of invokes) {
			first = Math.min(first, r.startedAt);
			last = Math.max(last, r.endedAt || r.startedAt);
		}
		return {
			total: reqs.length,
			csds: reqs.filter((r) => r.service === 'csds').length,
			token: reqs.filter(isToken).length,
			invoke: invokes.length,
			other: reqs.filter((r) => r.service !== 'csds' && !isToken(r) && !isInvoke(r)).length,
			invokeStatuses: sumBy(invokes, (r) => String(r.status)),
			tokenStatuses: sumBy(reqs.filter(isToken), (r) => String(r.status)),
			maxInFlight: emu.gatewayMaxInFlight,
			invokeSpanMs: invokes.length ? last - first : 0,
			connections: connectionsPerService(),
		};
	};

	process.on('message', async (msg) => {
		try {
			if (msg.cmd === 'reset') {
				emu.clearLog();
				emu.resetCounters();
				for (const server of connections.keys()) connections.set(server, 0);
				process.send({ id: msg.id, ok: true });
			} else if (msg.cmd === 'stats') {
				process.send({ id: msg.id, ok: true, value: stats() });
			} else if (msg.cmd === 'stop') {
				await emu.stop();
				process.send({ id: msg.id, ok: true });
				process.exit(0);
			}
		} catch (error) {
			process.send({ id: msg.id, ok: false, error: String(error && error.stack) });
		}
	});
	process.on('disconnect', () => emu.stop().finally(() => process.exit(0)));

	process.send({
		ready: true,
		info: {
			accountId: emu.accountId,
			clientId: emu.clients[0].clientId,
			clientSecret: emu.clients[0].clientSecret,
			hosts: emu.hosts,
			urls: emu.urls,
			caPath: emu.caPath,
			uuids: UUIDS,
		},
	});
}

main().catch((error) => {
	process.stderr.write(`${error.stack}\n`);
	process.exit(1);
});

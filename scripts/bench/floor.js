'use strict';
// B (the hand-written floor) and C (the sequential peer): plain axios with a keep-alive https.Agent trusting the
// emulator CA, the same invoke requests as the node sends. Run as a child process (under n8n's own Node binary, so
// both sides use the same Node), one measurement per process, like one `n8n execute` per measurement.
//   argv[2] = JSON {gatewayHost, sentinelHost, accountId, clientId, clientSecret, caPath, uuid, n, concurrency,
//                   sequential, fresh?, token?}
// Prints one JSON line: {wallMs, tokenMs, token, statuses, failures}.
// No token given ("cold"): the token is fetched once from Sentinel and that request is inside wallMs.

const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const axios = require(path.resolve(__dirname, '../../node_modules/axios'));

async function main() {
	const o = JSON.parse(process.argv[2]);
	const agent = new https.Agent({ keepAlive: true, ca: fs.readFileSync(o.caPath, 'utf8') });
	const http = axios.create({ httpsAgent: agent, validateStatus: () => true, timeout: 35000 });
	const url = `https://${o.gatewayHost}/api/account/${o.accountId}/lambdas/${o.uuid}/invoke?v=1`;
	const statuses = {};
	let failures = 0;

	const t0 = performance.now();
	let token = o.token;
	let tokenMs = 0;
	if (!token) {
		const form = new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: o.clientId,
			client_secret: o.clientSecret,
		});
		const r = await http.post(
			`https://${o.sentinelHost}/sentinel/api/account/${o.accountId}/app/token?v=2.0`,
			form.toString(),
			{
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			},
		);
		if (r.status !== 200)
			throw new Error(`token request: HTTP ${r.status} ${JSON.stringify(r.data)}`);
		token = r.data.access_token;
		tokenMs = performance.now() - t0;
	}
	const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
	// fresh: what n8n's request helper does: a new https.Agent (so a new TCP + TLS connection and TLS context) for
	// every request, the CA trusted through NODE_EXTRA_CA_CERTS rather than the agent.
	const agentFor = () => (o.fresh ? new https.Agent({ keepAlive: false }) : agent);
	const one = async (i) => {
		const r = await http.post(
			url,
			{ timestamp: Date.now(), headers: [], payload: { n: i } },
			{ headers, httpsAgent: agentFor() },
		);
		statuses[r.status] = (statuses[r.status] || 0) + 1;
		if (r.status !== 200) failures += 1;
	};

	if (o.sequential) {
		for (let i = 0; i < o.n; i++) await one(i);
	} else {
		let next = 0;
		const worker = async () => {
			while (next < o.n) await one(next++);
		};
		await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, o.n)) }, worker));
	}
	const wallMs = performance.now() - t0;
	agent.destroy();
	process.stdout.write(`${JSON.stringify({ wallMs, tokenMs, token, statuses, failures })}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack}\n`);
	process.exit(1);
});

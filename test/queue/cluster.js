'use strict';

/**
 * An n8n queue-mode cluster on loopback, as users run one: Redis and PostgreSQL (./services), one main instance
 * (`n8n start`, receives the webhooks) and two workers (`n8n worker`, run the executions), all with the same
 * encryption key, each with its own user folder where this package is installed the way n8n installs community
 * packages, and the LivePerson emulator they all talk to over HTTPS.
 */
const fs = require('fs');
const http = require('http');
const path = require('path');
const harness = require('../../tools/n8n/harness');
const { startServices, trackedGroups } = require('./services');

// n8n's defaults wait a minute for a dead worker's lock and three hours between recovery checks: shortened so
// that a killed worker's executions are noticed within seconds (the same settings users tune).
const QUEUE_SETTINGS = {
	QUEUE_WORKER_LOCK_DURATION: '4000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '1000',
	QUEUE_WORKER_STALLED_INTERVAL: '2000',
	N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.1',
	N8N_LOG_LEVEL: 'info',
};
const WORKER_CONCURRENCY = 5;

/** POST a JSON body; resolves { status, body } (never rejects on HTTP errors), or { status: 0, error } */
function postJson(url, body, { timeoutMs = 120000 } = {}) {
	return new Promise((resolve) => {
		const data = Buffer.from(JSON.stringify(body));
		const req = http.request(
			url,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json', 'content-length': data.length },
				timeout: timeoutMs,
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (d) => (text += d));
				res.on('end', () => {
					let parsed = text;
					try {
						parsed = JSON.parse(text);
					} catch {
						/* not JSON */
					}
					resolve({ status: res.statusCode, body: parsed });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', (error) => resolve({ status: 0, error: error.message }));
		req.end(data);
	});
}

async function startCluster({ emu, credentials, workflows, log = () => {} }) {
	const services = await startServices(log);
	const instances = [];
	const stop = async () => {
		for (const instance of instances.reverse()) await instance.cleanup();
		await services.stop();
	};
	try {
		const tarball = harness.packPackage(path.resolve(__dirname, '../..'));
		const env = {
			...services.n8nEnv,
			...QUEUE_SETTINGS,
			NODE_EXTRA_CA_CERTS: emu.caPath,
			NODE_ENV: 'production',
		};
		const create = async (role) => {
			const instance = await harness.createInstance({ tarball, env });
			instance.role = role;
			instances.push(instance);
			return instance;
		};
		let main;
		let workers;
		try {
			main = await create('main');
			workers = [await create('worker-1'), await create('worker-2')];
		} finally {
			harness.removePacked(tarball); // installed three times: nothing of it stays in the temp folder
		}

		// The shared database gets the credentials and workflows once (n8n encrypts them with the common key).
		await main.importCredentials(credentials);
		await main.importWorkflow(workflows);
		for (const workflow of workflows) {
			const r = await main.run(['publish:workflow', `--id=${workflow.id}`]);
			if (r.code !== 0)
				throw new Error(`publish:workflow ${workflow.id} failed:\n${r.stdout}\n${r.stderr}`);
		}
		// Tracked as soon as started (and forgotten when they exit), like the Redis and PostgreSQL servers.
		const track = (instance) => {
			const { child } = instance.server;
			trackedGroups.add(child.pid);
			child.once('exit', () => trackedGroups.delete(child.pid));
		};
		const port = await harness.freePort();
		await main.start({ port }).finally(() => main.server && track(main));
		for (const worker of workers) {
			await worker
				.start({
					command: 'worker',
					args: [`--concurrency=${WORKER_CONCURRENCY}`],
					port: await harness.freePort(),
				})
				.finally(() => worker.server && track(worker));
		}
		const baseUrl = `http://127.0.0.1:${port}`;
		const pg = require(path.join(main.n8n.dir, 'node_modules', 'pg'));
		const flatted = require(path.join(main.n8n.dir, 'node_modules', 'flatted'));
		const db = new pg.Client({
			host: '127.0.0.1',
			port: services.postgres.port,
			user: services.postgres.user,
			database: services.postgres.database,
		});
		await db.connect();

		return {
			main,
			workers,
			baseUrl,
			services,
			/** POST to a production webhook of the main instance. */
			webhook: (webhookPath, body, opts) =>
				postJson(`${baseUrl}/webhook/${webhookPath}`, body, opts),
			/** Which worker started which execution, from the workers' own log lines. */
			workerOf() {
				const owner = new Map();
				for (const worker of workers) {
					const text = fs.readFileSync(path.join(worker.userFolder, 'n8n-worker.log'), 'utf8');
					for (const m of text.matchAll(/Worker started execution (\d+)/g))
						owner.set(m[1], worker.role);
				}
				return owner;
			},
			/** Everything the n8n processes logged (main and workers). */
			logs: () =>
				instances
					.map((i) => path.join(i.userFolder, `n8n-${i.role === 'main' ? 'start' : 'worker'}.log`))
					.filter((f) => fs.existsSync(f))
					.map((f) => fs.readFileSync(f, 'utf8')),
			/** Executions of a workflow stored in PostgreSQL, with their run data: [{ id, status, finished, data }]. */
			async executions(workflowId) {
				const { rows } = await db.query(
					'SELECT e.id, e.status, e.finished, d.data FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = $1 ORDER BY e.id',
					[workflowId],
				);
				return rows.map((row) => ({
					...row,
					id: String(row.id),
					data: row.data ? flatted.parse(row.data) : null,
				}));
			},
			/** Every process the cluster started (n8n main, workers, Redis, PostgreSQL), for the "nothing left" check. */
			pids: () =>
				[
					...instances.map((i) => i.server && i.server.child.pid),
					services.redis.pid,
					services.postgres.pid,
				].filter(Boolean),
			async stop() {
				await db.end().catch(() => {});
				await stop();
			},
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startCluster, WORKER_CONCURRENCY };

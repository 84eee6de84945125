#!/usr/bin/env node
'use strict';
// Runs the emulator with the example functions until SIGINT/SIGTERM, for manual tries and for scripts:
//
//   node tools/emulator/cli.js [--http] [--port-file FILE] [--platform v1|v2] [--account ID]
//
// Prints ONE JSON line on stdout: {accountId, clientId, clientSecret, hosts, urls, caPath, functions, oauth2}
// (oauth2 = {authorizationUrl, accessTokenUrl, userId}: the authorization code grant, e.g. for n8n's OAuth2 credential)
// (also written to --port-file when given, so a script can wait for the file instead of parsing stdout).
// Point a client at it with: CSDS host = hosts.csds, and NODE_EXTRA_CA_CERTS=<caPath> unless --http.
// --platform v2: CSDS hands out fninvocations.localhost:<port> / functions.localhost:<port> (a V2 account, see
// README.md "Platform"); a client resolves them with `node --require tools/emulator/localhost-names.js`.

const fs = require('node:fs');
const { startEmulator } = require('./index');
const { exampleFunctions } = require('./examples');

function parseArgs(argv) {
	const args = { http: false, portFile: null, platform: 'v1', account: undefined };
	for (let i = 0; i < argv.length; i += 1) {
		const a = argv[i];
		if (a === '--http') args.http = true;
		else if (a === '--port-file') args.portFile = argv[++i];
		else if (a === '--platform') args.platform = argv[++i];
		else if (a === '--account') args.account = argv[++i];
		else if (a === '--help' || a === '-h') {
			process.stdout.write(
				'usage: node tools/emulator/cli.js [--http] [--port-file FILE] [--platform v1|v2] [--account ID]\n',
			);
			process.exit(0);
		} else {
			process.stderr.write(`unknown argument: ${a}\n`);
			process.exit(2);
		}
	}
	return args;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const emu = await startEmulator({
		tls: !args.http,
		platform: args.platform,
		accountId: args.account,
		functions: exampleFunctions(),
	});
	const info = {
		accountId: emu.accountId,
		clientId: emu.clients[0].clientId,
		clientSecret: emu.clients[0].clientSecret,
		hosts: emu.hosts,
		urls: emu.urls,
		caPath: emu.tls ? emu.caPath : null,
		functions: emu.listFunctions().map((f) => ({ uuid: f.uuid, name: f.name, eventId: f.eventId })),
		oauth2: {
			authorizationUrl: `${emu.urls.sentinel}/sentinel/api/account/${emu.accountId}/authorize?v=1.0`,
			accessTokenUrl: `${emu.urls.sentinel}/sentinel/api/account/${emu.accountId}/token?v=2.0`,
			userId: emu.authorizingUser && emu.authorizingUser.userId,
		},
	};
	const line = JSON.stringify(info);
	if (args.portFile) fs.writeFileSync(args.portFile, line + '\n');
	process.stdout.write(line + '\n');

	let stopping = false;
	const shutdown = async (signal) => {
		if (stopping) return;
		stopping = true;
		await emu.stop();
		process.stderr.write(`emulator stopped (${signal})\n`);
		process.exit(0);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
	process.stderr.write(`emulator failed to start: ${err && err.stack ? err.stack : err}\n`);
	process.exit(1);
});

'use strict';

/**
 * Sends connections for LivePerson's real host names to the emulator, inside THIS process only.
 *
 * LivePerson's Node client (liveperson-functions-client) only talks to real host names on default ports: CSDS at
 * http://adminlogin.liveperson.net (port 80), then https://<host from CSDS> (port 443). This patches the two
 * places a Node HTTP(S) request opens its socket, `http.Agent.prototype.createConnection` (plain HTTP; `net`'s own
 * function is captured by the agent at load time) and `tls.connect` (what `https.Agent` calls), so that a
 * connection to a routed `host:port` goes to 127.0.0.1:<emulator port> instead. TLS keeps its checks: the
 * emulator's CA is the only one trusted (`ca`) and its certificate is checked for the name `localhost`.
 * Connections to any other name except 127.0.0.1/localhost are refused, so nothing leaves the machine.
 * The Host header and the URL the client built stay as they were (the emulator logs them).
 *
 *   const restore = routeHosts({ 'adminlogin.liveperson.net:80': { port, tls: false }, ... }, { ca });
 *   ...; restore();
 */
const http = require('node:http');
const tls = require('node:tls');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function routeHosts(routes, { ca }) {
	const originalCreateConnection = http.Agent.prototype.createConnection;
	const originalTlsConnect = tls.connect;
	const refused = [];

	const lookUp = (options, secure, defaultPort) => {
		const host = String(options.host ?? options.hostname ?? 'localhost').toLowerCase();
		const port = Number(options.port || defaultPort);
		const route = routes[`${host}:${port}`];
		if (route) {
			if (route.tls !== secure) {
				throw new Error(`routeHosts: ${host}:${port} is routed for ${route.tls ? 'TLS' : 'plain'}`);
			}
			return route;
		}
		if (LOOPBACK.has(host)) return null;
		refused.push(`${host}:${port}`);
		throw new Error(`routeHosts: no route for ${host}:${port} (nothing leaves this process)`);
	};

	http.Agent.prototype.createConnection = function createConnection(options, callback) {
		const route = lookUp(options, false, 80);
		if (!route) return originalCreateConnection.call(this, options, callback);
		return originalCreateConnection.call(
			this,
			{ ...options, host: '127.0.0.1', port: route.port },
			callback,
		);
	};

	tls.connect = function connect(...args) {
		const options = args[0];
		if (!options || typeof options !== 'object') return originalTlsConnect.apply(this, args);
		const route = lookUp(options, true, 443);
		if (!route) return originalTlsConnect.apply(this, args);
		return originalTlsConnect.call(
			this,
			{ ...options, host: '127.0.0.1', port: route.port, servername: 'localhost', ca },
			...args.slice(1),
		);
	};

	const restore = () => {
		http.Agent.prototype.createConnection = originalCreateConnection;
		tls.connect = originalTlsConnect;
	};
	restore.refused = refused;
	return restore;
}

module.exports = { routeHosts };

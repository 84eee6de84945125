'use strict';
// One real HTTP(S) server per emulated LivePerson service, each on its own port of 127.0.0.1.
// A listener can go down (port closed → "connection refused") and come back up on the SAME port, so discovery
// answers stay valid. Every socket is tracked so that down/stop can destroy open (keep-alive, hanging)
// connections: server.close() alone waits for them and would keep jest alive.

const http = require('node:http');
const https = require('node:https');

class Listener {
	/**
	 * @param {object} o
	 * @param {string} o.name service name, for errors
	 * @param {{key: string, cert: string} | null} o.tls certificate and key, or null for plain HTTP
	 * @param {(req, res) => void} o.onRequest request handler
	 */
	constructor({ name, tls, onRequest }) {
		this.name = name;
		this.tls = tls;
		this.onRequest = onRequest;
		this.port = 0;
		this.server = null;
		this.sockets = new Set();
	}

	get isUp() {
		return this.server !== null;
	}

	/** Starts listening; the first start picks a free port, later starts reuse it. */
	async up() {
		if (this.server) return;
		const server = this.tls
			? https.createServer({ key: this.tls.key, cert: this.tls.cert }, this.onRequest)
			: http.createServer(this.onRequest);
		// Track the raw TCP sockets (for TLS the 'connection' socket carries the TLS socket).
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		// A client that refuses our certificate, or sends garbage, must not crash the test run.
		server.on('tlsClientError', () => {});
		server.on('clientError', (_err, socket) => socket.destroy());
		// Connections that are reused after an idle period are fine, but do not let Node's default
		// keep-alive timer delay shutdown: stop() destroys sockets anyway.
		server.keepAliveTimeout = 5000;
		await new Promise((resolve, reject) => {
			const onError = (err) => {
				server.removeListener('listening', onListening);
				reject(
					new Error(
						`emulator ${this.name}: cannot listen on 127.0.0.1:${this.port}: ${err.message}`,
					),
				);
			};
			const onListening = () => {
				server.removeListener('error', onError);
				resolve();
			};
			server.once('error', onError);
			server.once('listening', onListening);
			server.listen(this.port, '127.0.0.1');
		});
		this.port = server.address().port;
		this.server = server;
	}

	/** Stops listening and destroys every open connection; resolves once the server is fully closed. */
	async down() {
		const server = this.server;
		if (!server) return;
		this.server = null;
		const closed = new Promise((resolve) => server.close(() => resolve()));
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		await closed;
	}
}

/**
 * Aborts a connection without an HTTP answer. Sends a TCP RST when possible (the client sees ECONNRESET),
 * otherwise a plain close (the client sees "socket hang up", also code ECONNRESET in Node).
 */
function resetSocket(socket) {
	if (!socket || socket.destroyed) return;
	// A TLS socket has no TCP handle of its own; its underlying TCP socket is (undocumented) `_parent`.
	for (const candidate of [socket, socket._parent]) {
		try {
			if (candidate && typeof candidate.resetAndDestroy === 'function' && !candidate.destroyed) {
				candidate.resetAndDestroy();
				socket.destroy();
				return;
			}
		} catch {
			// not a TCP handle: try the next candidate, then fall back to a plain close
		}
	}
	socket.destroy();
}

module.exports = { Listener, resetSocket };

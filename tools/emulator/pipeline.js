'use strict';
// The life of one request, the same for every service:
//   log entry → read body (size-capped) → injected fault? → service handler → answer (or the fault's variant).
// Service modules only turn a parsed request into an answer description; everything observable (log, faults,
// in-flight tracking, sockets) is handled here once.

const { createEntry, parseBody } = require('./log');
const { resetSocket } = require('./listener');
const { text, json } = require('./respond');

/** Thrown into pending emulator timers when the emulator stops; means "abandon this request quietly". */
class StoppedError extends Error {
	constructor() {
		super('emulator stopped');
		this.name = 'StoppedError';
	}
}

/** Reads the body as UTF-8 text; beyond maxBytes it keeps draining (so the client can read our 413) but stores nothing. */
function readBody(req, maxBytes) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > maxBytes) tooLarge = true;
			if (!tooLarge) chunks.push(chunk);
		});
		req.on('end', () =>
			resolve({ rawBody: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge, size }),
		);
		req.on('error', reject);
		req.on('aborted', () => reject(new Error('client aborted')));
	});
}

/**
 * Builds the Node request listener for one service.
 * @param {object} state emulator state (log, faults, timers, options)
 * @param {object} service { name, handle(ctx) → answer, error(state, entry, status, kind, message) → answer, track? }
 */
function createRequestListener(state, service) {
	return (req, res) => {
		const url = new URL(req.url, 'http://emulator.invalid');
		const entry = createEntry(service.name, req, url);
		state.log.add(entry);
		// In-flight tracking (gateway invokes): release once our processing ended, or, for a hanging answer,
		// when the connection finally closes.
		const release = onceFn(service.track ? service.track(state, entry) : () => {});
		const socket = req.socket;

		const finish = (outcome, status = null) => {
			if (entry.endedAt === null || entry.outcome === 'hang') {
				entry.outcome = outcome;
				entry.status = status;
				entry.endedAt = Date.now();
			}
		};

		const send = (answer) => {
			// Fill the log BEFORE the bytes leave, so a test that awaits the response sees a complete entry.
			finish('answered', answer.status);
			if (res.destroyed || socket.destroyed) return;
			res.writeHead(answer.status, answer.headers || {});
			res.end(answer.body === undefined ? '' : answer.body);
		};

		const reset = () => {
			finish('reset');
			resetSocket(socket);
		};

		// Writes unless the client is gone; resolves once the bytes may go on (backpressure).
		const write = (chunk) =>
			new Promise((resolve) => {
				if (res.destroyed || socket.destroyed) return resolve(false);
				if (res.write(chunk)) return resolve(true);
				const settle = (more) => () => {
					res.off('drain', drained);
					res.off('close', closed);
					resolve(more);
				};
				const drained = settle(true);
				const closed = settle(false);
				res.once('drain', drained);
				res.once('close', closed);
			});
		const gone = () => res.destroyed || socket.destroyed;

		// A slow peer: the answer (or, with phase 'headers', its header lines) a few bytes at a time.
		// `endless` never finishes: only the client giving up (or stop()) ends it.
		const trickle = async (fault, answer) => {
			const everyMs = fault.everyMs ?? 200;
			const size = fault.bytes ?? 1;
			// The entry stays pending until the answer is complete; a client that gives up closes it.
			entry.trickle = { written: 0, ended: false };
			if (fault.phase === 'headers') {
				socket.write(`HTTP/1.1 ${answer.status} OK\r\n`);
				while (!gone()) {
					await state.sleep(everyMs);
					if (!gone()) socket.write(`X-Slow-${entry.trickle.written++}: a\r\n`);
				}
				return undefined;
			}
			res.writeHead(answer.status, answer.headers || {});
			const body = Buffer.from(answer.body === undefined ? '' : answer.body);
			for (let at = 0; (at < body.length || fault.endless) && !gone(); at += size) {
				await state.sleep(everyMs);
				const chunk = at < body.length ? body.subarray(at, at + size) : ' '.repeat(size);
				if (await write(chunk)) entry.trickle.written += chunk.length;
			}
			entry.trickle.ended = !gone();
			if (gone()) return undefined;
			finish('answered', answer.status);
			res.end();
			return undefined;
		};

		// An answer of `bytes` bytes of valid JSON (a list of zeros), streamed without being held.
		const flood = async (fault) => {
			entry.flood = { written: 0 };
			res.writeHead(fault.status || 200, { 'content-type': 'application/json' });
			const chunk = Buffer.from('0,'.repeat(32 * 1024));
			let left = Math.max(2, fault.bytes) - 2;
			if (!(await write('['))) return undefined;
			while (left > chunk.length && (await write(chunk))) {
				entry.flood.written += chunk.length;
				left -= chunk.length;
			}
			if (gone()) return undefined;
			await write(`${'0,'.repeat(Math.max(0, Math.floor((left - 2) / 2)))}0]`);
			finish('answered', fault.status || 200);
			res.end();
			return undefined;
		};

		res.on('close', () => {
			// Fires once the answer went out, or when the connection died (client gave up, reset, stop()).
			const wasHanging = entry.outcome === 'hang';
			if (wasHanging || entry.outcome === 'pending')
				finish(state.stopped ? 'stopped' : 'client-closed');
			// A request still being processed stays "in flight" until its processing ends (see finally below).
			if (wasHanging) release();
		});

		(async () => {
			const { rawBody, tooLarge } = await readBody(req, state.options.maxBodyBytes);
			entry.rawBody = rawBody;
			entry.bodyTooLarge = tooLarge;
			entry.body = parseBody(rawBody, entry.headers['content-type']);

			const fault = state.faults.take(entry);
			if (fault) entry.fault = fault.type;
			if (fault && fault.type === 'status') return send(faultStatusAnswer(fault));
			if (fault && fault.type === 'reset-before') return reset();
			if (fault && fault.type === 'delay') await state.sleep(fault.ms);

			const answer = tooLarge
				? service.error(
						state,
						entry,
						413,
						'tooLarge',
						`request body larger than ${state.options.maxBodyBytes} bytes`,
					)
				: await service.handle({ state, entry, url, req });

			if (!fault) return send(answer);
			switch (fault.type) {
				case 'reset-after':
					return reset();
				case 'hang':
					// Never answer: the client gives up (res 'close' then records 'client-closed') or stop() destroys it.
					if (entry.outcome === 'pending') entry.outcome = 'hang';
					return undefined;
				case 'raw':
					return send(
						text(
							fault.status || 200,
							fault.body === undefined ? 'not json' : fault.body,
							fault.contentType,
						),
					);
				case 'empty':
					return send({ status: fault.status || 200, headers: {}, body: '' });
				case 'status-after':
					// The function ran; then something on the way (a proxy, the platform) answers this status.
					return send(faultStatusAnswer(fault));
				case 'trickle':
					return await trickle(fault, answer);
				case 'flood':
					return await flood(fault);
				default:
					return send(answer);
			}
		})()
			.catch((err) => {
				if (err instanceof StoppedError || state.stopped) return finish('stopped');
				if (err && err.message === 'client aborted') return finish('client-closed');
				// A bug in the emulator or in a test's handler plumbing: answer 500 and keep the details visible.
				entry.emulatorError = err && err.stack ? err.stack : String(err);
				return send(
					json(500, { error: 'emulator internal error', message: String(err && err.message) }),
				);
			})
			.finally(() => {
				if (entry.outcome !== 'hang') release();
			});
	};
}

function faultStatusAnswer(action) {
	const headers = { ...(action.headers || {}) };
	let body = '';
	if (action.body !== undefined && action.body !== null) {
		if (typeof action.body === 'string') {
			body = action.body;
			if (!hasHeader(headers, 'content-type'))
				headers['content-type'] = 'text/plain; charset=utf-8';
		} else {
			body = JSON.stringify(action.body);
			if (!hasHeader(headers, 'content-type'))
				headers['content-type'] = 'application/json; charset=utf-8';
		}
	}
	return { status: action.status, headers, body };
}

const hasHeader = (headers, name) => Object.keys(headers).some((k) => k.toLowerCase() === name);

function onceFn(fn) {
	let done = false;
	return () => {
		if (done) return;
		done = true;
		fn();
	};
}

module.exports = { createRequestListener, StoppedError };

'use strict';
// Test emulator of LivePerson Functions' HTTP endpoints (see liveperson-functions-api.md in ../shared/reference/ beside the repository
// and README.md next to this file). Each LivePerson service gets its own real server on 127.0.0.1:
//   csds (Domain API) · sentinel (tokens) · faasGW (invocation gateway) · faasUI (function listing)
// HTTPS by default with the committed test CA (certs/), or plain HTTP with { tls: false }.
//
//   const { startEmulator } = require('./test/emulator');
//   const emu = await startEmulator({ functions: [{ uuid, name, handler: async (input) => ({ ok: true }) }] });
//   ... emu.hosts.csds, emu.caPem, emu.requests, emu.fault({...}) ...
//   await emu.stop();

const { loadCerts } = require('./certs');
const { createClock } = require('./clock');
const { createSigner } = require('./jwt');
const { createLog } = require('./log');
const { createFaults } = require('./faults');
const { createRegistry } = require('./functions');
const { createTokenStore } = require('./tokens');
const { createGrantStore } = require('./grants');
const { Listener } = require('./listener');
const { createRequestListener, StoppedError } = require('./pipeline');
const { raw } = require('./respond');
const { platformOfHost, V2_NAMES, checkPlatform } = require('./platform');
const csds = require('./csds');
const sentinel = require('./sentinel');
const gateway = require('./gateway');
const ui = require('./ui');

const SERVICE_MODULES = { csds, sentinel, faasGW: gateway, faasUI: ui };
const SERVICE_NAMES = Object.keys(SERVICE_MODULES);
const DISCOVERABLE = ['sentinel', 'faasGW', 'faasUI'];

const DEFAULT_CLIENT = Object.freeze({
	clientId: 'n8n-test-client',
	clientSecret: 's3cr3t-Client-Secret-Value-0001',
});

/** The Conversational Cloud user who approves authorization requests (authorization code grant). */
const DEFAULT_USER = Object.freeze({ userId: 'lp-user-1', login: 'agent@example.com' });

function normalizeClient(c) {
	const client = { clientId: c.clientId, clientSecret: c.clientSecret };
	if (c.redirectUris !== undefined) {
		if (!Array.isArray(c.redirectUris) || c.redirectUris.some((u) => typeof u !== 'string')) {
			throw new TypeError(`redirectUris of client ${c.clientId} must be an array of strings`);
		}
		client.redirectUris = [...c.redirectUris];
	}
	return client;
}

function normalizeUsers(users) {
	const list = users.map((u) => {
		if (!u || u.userId === undefined || u.userId === null || u.userId === '')
			throw new TypeError('every user needs a userId');
		return {
			userId: String(u.userId),
			login: u.login === undefined ? String(u.userId) : String(u.login),
			scope: u.scope === undefined ? 'faas.lambda.invoke' : String(u.scope),
		};
	});
	if (new Set(list.map((u) => u.userId)).size !== list.length)
		throw new TypeError('user ids must be unique');
	return list;
}

function normalizeOptions(options = {}) {
	const o = {
		accountId: String(options.accountId ?? '123456'),
		clients: (options.clients ?? [DEFAULT_CLIENT]).map(normalizeClient),
		tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
		tokenExpiresInField: Boolean(options.tokenExpiresInField),
		users: normalizeUsers(options.users ?? [DEFAULT_USER]),
		userTokenLifetimeSeconds: options.userTokenLifetimeSeconds ?? 28800,
		userTokenExpiresInField: Boolean(
			options.userTokenExpiresInField ?? options.tokenExpiresInField,
		),
		authorizationCodeLifetimeSeconds: options.authorizationCodeLifetimeSeconds ?? 60,
		refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds ?? null,
		platform: options.platform ?? 'v1',
		functions: options.functions ?? [],
		serviceHosts: { ...(options.serviceHosts ?? {}) },
		services: options.services ?? DISCOVERABLE,
		// Cautious default: whether an app token may list is unknown (reference §6), LivePerson's client lists with a
		// user login; so app tokens are refused unless a test says otherwise.
		listingAllowedFor: options.listingAllowedFor ?? 'user-only',
		maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
		tls: options.tls !== false,
		csdsPlainHttp: Boolean(options.csdsPlainHttp),
	};
	checkPlatform(o.platform);
	if (!['all', 'user-only'].includes(o.listingAllowedFor)) {
		throw new TypeError(
			`listingAllowedFor must be 'all' or 'user-only', got ${o.listingAllowedFor}`,
		);
	}
	return o;
}

function checkService(service) {
	if (!SERVICE_NAMES.includes(service)) {
		throw new TypeError(`unknown service "${service}" (use ${SERVICE_NAMES.join(', ')})`);
	}
}

/** Timers that stop() can cancel, so a stopped emulator never keeps the process (or jest) alive. */
function createTimers(state) {
	const pending = new Set();
	function timer(ms) {
		let item;
		const promise = new Promise((resolve, reject) => {
			item = { reject, handle: setTimeout(() => (pending.delete(item), resolve()), ms) };
			pending.add(item);
		});
		promise.catch(() => {}); // a cancelled-by-stop timer nobody awaits must not be an unhandled rejection
		return {
			promise,
			cancel() {
				clearTimeout(item.handle);
				pending.delete(item);
			},
		};
	}
	return {
		timer,
		sleep: (ms) => (state.stopped ? Promise.reject(new StoppedError()) : timer(ms).promise),
		cancelAll() {
			for (const item of pending) {
				clearTimeout(item.handle);
				item.reject(new StoppedError());
			}
			pending.clear();
		},
	};
}

function createCounters() {
	return {
		tokensIssued: 0,
		userTokensIssued: 0,
		refreshes: 0,
		runs: new Map(),
		inFlight: new Map(),
		maxInFlight: new Map(),
		gatewayInFlight: 0,
		gatewayMaxInFlight: 0,
	};
}

/**
 * Starts the emulator. Resolves once every listener is accepting connections.
 * @param {object} [options] see README.md
 */
async function startEmulator(options) {
	const opts = normalizeOptions(options);
	const certs = loadCerts();

	const state = {
		options: opts,
		// 'v2': faasGW/faasUI are handed out under V2-looking names (platform.js) unless overridden.
		v2Names: opts.platform === 'v2',
		clients: opts.clients,
		clock: createClock(),
		signer: await createSigner(),
		log: createLog(),
		faults: createFaults(),
		functions: createRegistry(opts.functions),
		counters: createCounters(),
		stopped: false,
		listeners: {},
		known: new Set(opts.services),
		hostOverrides: { ...opts.serviceHosts },
		// CSDS lists the three discoverable services first (stable order), then any other known name that has a host.
		knownServices: () =>
			[...new Set([...DISCOVERABLE, ...state.known])].filter(
				(s) => state.known.has(s) && (s in state.listeners || s in state.hostOverrides),
			),
		baseUriOf: (service) => {
			if (service in state.hostOverrides) return state.hostOverrides[service];
			const name = state.v2Names && V2_NAMES[service] ? V2_NAMES[service] : '127.0.0.1';
			return `${name}:${state.listeners[service].port}`;
		},
		// The platform follows the host CSDS hands out, as LivePerson's client decides (platform.js):
		// the gateway's from the faasGW host, the listing's from the faasUI host.
		platformOf: (service) => platformOfHost(state.baseUriOf(service)),
	};
	state.tokens = createTokenStore(state);
	state.grants = createGrantStore(state);
	state.authorizingUserId = opts.users.length > 0 ? opts.users[0].userId : null;
	state.authorizingUser = () =>
		opts.users.find((u) => u.userId === state.authorizingUserId) || null;
	const timers = createTimers(state);
	state.timer = timers.timer;
	state.sleep = timers.sleep;

	const tls = opts.tls ? { key: certs.key, cert: certs.cert } : null;
	for (const name of SERVICE_NAMES) {
		state.listeners[name] = new Listener({
			name,
			tls,
			onRequest: createRequestListener(state, SERVICE_MODULES[name]),
		});
	}
	// LivePerson's Node client asks CSDS over plain HTTP (http://adminlogin.liveperson.net/...): a second CSDS
	// listener without TLS, same state and log (entries say service 'csds', scheme 'http').
	if (opts.csdsPlainHttp) {
		state.listeners.csdsHttp = new Listener({
			name: 'csdsHttp',
			tls: null,
			onRequest: createRequestListener(state, csds),
		});
	}
	try {
		for (const listener of Object.values(state.listeners)) await listener.up();
	} catch (err) {
		await Promise.all(Object.values(state.listeners).map((l) => l.down()));
		throw err;
	}

	const scheme = opts.tls ? 'https' : 'http';
	const hosts = {};
	const urls = {};
	for (const name of SERVICE_NAMES) {
		hosts[name] = `127.0.0.1:${state.listeners[name].port}`;
		urls[name] = `${scheme}://${hosts[name]}`;
	}
	if (state.listeners.csdsHttp) {
		hosts.csdsHttp = `127.0.0.1:${state.listeners.csdsHttp.port}`;
		urls.csdsHttp = `http://${hosts.csdsHttp}`;
	}

	const emu = {
		// ---- identity and addresses
		accountId: opts.accountId,
		clients: opts.clients.map((c) => ({ ...c })),
		hosts,
		urls,
		tls: opts.tls,
		caPem: certs.caPem,
		caPath: certs.caPath,
		clock: state.clock,
		raw,

		// ---- request log
		requests: state.log.requests,
		requestsOf: (service) => state.log.requestsOf(service),
		countOf: (service, predicate) => state.log.countOf(service, predicate),
		clearLog: () => state.log.clear(),

		// ---- counters
		runCount: (uuid) => state.counters.runs.get(uuid) || 0,
		maxInFlight: (uuid) => state.counters.maxInFlight.get(uuid) || 0,
		inFlight: (uuid) => state.counters.inFlight.get(uuid) || 0,
		get gatewayMaxInFlight() {
			return state.counters.gatewayMaxInFlight;
		},
		get gatewayInFlight() {
			return state.counters.gatewayInFlight;
		},
		get tokensIssued() {
			return state.counters.tokensIssued;
		},
		get userTokensIssued() {
			return state.counters.userTokensIssued;
		},
		get refreshes() {
			return state.counters.refreshes;
		},
		resetCounters() {
			const c = state.counters;
			c.tokensIssued = 0;
			c.userTokensIssued = 0;
			c.refreshes = 0;
			c.runs.clear();
			c.maxInFlight.clear();
			c.gatewayMaxInFlight = c.gatewayInFlight; // requests still open keep counting
			for (const [uuid, n] of c.inFlight) c.maxInFlight.set(uuid, n);
		},

		// ---- tokens and secrets
		revokeTokens: () => state.tokens.revokeAll(),
		// async (jose signs asynchronously): resolves to the token string
		issueToken: async (o = {}) =>
			(await state.tokens.issue({ clientId: opts.clients[0] && opts.clients[0].clientId, ...o }))
				.token,
		issuedTokens: () => state.tokens.list(),
		secrets: () => [
			...opts.clients.map((c) => c.clientSecret),
			...state.tokens.allTokens(),
			...state.grants.allSecrets(),
		],
		setTokenLifetime(seconds) {
			opts.tokenLifetimeSeconds = seconds;
		},

		// ---- authorization code grant (users, codes, refresh tokens)
		users: opts.users.map((u) => ({ ...u })),
		/** Who approves the next /authorize requests; null = the user declines (redirect with access_denied). */
		setAuthorizingUser(userId) {
			if (userId !== null && !opts.users.some((u) => u.userId === String(userId))) {
				throw new TypeError(
					`unknown user "${userId}" (users: ${opts.users.map((u) => u.userId).join(', ')})`,
				);
			}
			state.authorizingUserId = userId === null ? null : String(userId);
		},
		get authorizingUser() {
			const user = state.authorizingUser();
			return user ? { ...user } : null;
		},
		setUserTokenLifetime(seconds) {
			opts.userTokenLifetimeSeconds = seconds;
		},
		revokeRefreshTokens: () => state.grants.revokeRefreshTokens(),
		authorizationCodes: () => state.grants.listCodes(),
		refreshTokens: () => state.grants.listRefreshTokens(),
		seenRedirectUris: (clientId = opts.clients[0] && opts.clients[0].clientId) =>
			state.grants.seenRedirects(clientId),
		jwks: () => state.signer.jwks(),

		// ---- functions and platform
		addFunction: (fn) => ({ ...state.functions.add(fn) }),
		removeFunction: (uuid) => state.functions.remove(uuid),
		getFunction: (uuid) => state.functions.get(uuid),
		listFunctions: () => state.functions.list(),
		/** Hands out V2-looking (or plain 127.0.0.1) faasGW/faasUI hosts; setServiceHost overrides still win. */
		setPlatform(platform) {
			checkPlatform(platform);
			state.v2Names = platform === 'v2';
		},
		/** The gateway's platform: that of the faasGW host CSDS hands out. */
		get platform() {
			return state.platformOf('faasGW');
		},
		/** The listing's platform: that of the faasUI host CSDS hands out. */
		get listingPlatform() {
			return state.platformOf('faasUI');
		},

		// ---- discovery
		/** What CSDS answers as baseURI for a service. */
		baseUri(service) {
			checkService(service);
			return state.baseUriOf(service);
		},
		setServiceHost(service, value) {
			checkService(service);
			if (value === undefined) delete state.hostOverrides[service];
			else state.hostOverrides[service] = value;
		},
		setServiceKnown(service, known) {
			checkService(service);
			if (known) state.known.add(service);
			else state.known.delete(service);
		},

		// ---- faults
		fault: (spec) => state.faults.add(spec),
		clearFaults: () => state.faults.clear(),
		async setServiceDown(service, down) {
			checkService(service);
			if (state.stopped) throw new Error('emulator is stopped');
			const listeners = [state.listeners[service]];
			if (service === 'csds' && state.listeners.csdsHttp) listeners.push(state.listeners.csdsHttp);
			for (const listener of listeners) {
				if (down) await listener.down();
				else await listener.up();
			}
		},
		isServiceUp: (service) => state.listeners[service].isUp,

		// ---- lifecycle
		get stopped() {
			return state.stopped;
		},
		async stop() {
			if (state.stopped) return;
			state.stopped = true;
			timers.cancelAll();
			await Promise.all(Object.values(state.listeners).map((l) => l.down()));
		},
	};
	return emu;
}

module.exports = { startEmulator, raw, DEFAULT_CLIENT, DEFAULT_USER, SERVICE_NAMES };

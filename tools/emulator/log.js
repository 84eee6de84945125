'use strict';
// The request log: one entry per HTTP request, in arrival order, so tests can assert on exactly what a client
// sent (paths, query, headers, bodies) and what it got back (status), and count calls per service.

/** Query string → object; a parameter given several times (state=A&state=B) becomes an array. */
function parseQuery(searchParams) {
	const query = {};
	for (const [key, value] of searchParams) {
		if (!(key in query)) query[key] = value;
		else if (Array.isArray(query[key])) query[key].push(value);
		else query[key] = [query[key], value];
	}
	return query;
}

/** Parsed body for the log and the handlers: JSON when it parses, form object for urlencoded, else undefined. */
function parseBody(rawBody, contentType) {
	if (rawBody === '') return undefined;
	const type = String(contentType || '').toLowerCase();
	if (type.includes('application/x-www-form-urlencoded')) {
		return parseQuery(new URLSearchParams(rawBody));
	}
	try {
		return JSON.parse(rawBody);
	} catch {
		return undefined;
	}
}

/** A fresh log entry for an arriving request; the pipeline fills in body, status, outcome and endedAt later. */
function createEntry(service, req, url) {
	return {
		service,
		scheme: req.socket.encrypted ? 'https' : 'http',
		method: req.method,
		path: url.pathname,
		query: parseQuery(url.searchParams),
		headers: { ...req.headers }, // Node already lower-cases header names
		rawBody: '',
		body: undefined,
		bodyTooLarge: false,
		status: null, // stays null when no response was sent (reset, hang)
		outcome: 'pending', // 'answered' | 'reset' | 'hang' | 'client-closed' | 'stopped'
		fault: null, // type of the injected fault that applied, if any
		startedAt: Date.now(),
		endedAt: null,
	};
}

function createLog() {
	const requests = [];
	return {
		requests,
		add(entry) {
			requests.push(entry);
		},
		requestsOf: (service) => requests.filter((r) => r.service === service),
		countOf: (service, predicate) =>
			requests.filter((r) => (!service || r.service === service) && (!predicate || predicate(r)))
				.length,
		clear() {
			// Keep the same array object: tests may hold a reference to emu.requests.
			requests.length = 0;
		},
	};
}

module.exports = { createLog, createEntry, parseQuery, parseBody };

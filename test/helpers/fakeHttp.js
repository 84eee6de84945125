'use strict';

/**
 * A scripted HttpClient for the protocol core: answers are queued per call,
 * every request is recorded so tests can assert what was sent where.
 */
function fakeHttp(...answers) {
	const requests = [];
	const queue = [...answers];
	const http = async (request) => {
		requests.push(request);
		const next = queue.shift();
		if (next === undefined) throw new Error(`unexpected request ${request.method} ${request.url}`);
		if (next instanceof Error) throw next;
		if (typeof next === 'function') return next(request);
		return { status: 200, headers: {}, body: '', ...next };
	};
	http.requests = requests;
	return http;
}

const json = (status, value, headers = {}) => ({ status, headers, body: JSON.stringify(value) });

function socketError(code) {
	const error = new Error(`socket ${code}`);
	error.code = code;
	return error;
}

module.exports = { fakeHttp, json, socketError };

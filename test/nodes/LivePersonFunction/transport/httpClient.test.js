'use strict';

const { n8nHttpClient } = require('../../../../nodes/LivePersonFunction/transport/httpClient');
const { AnswerTooLargeError } = require('../../../../nodes/LivePersonFunction/protocol/http');
const { LivePersonError } = require('../../../../nodes/LivePersonFunction/protocol/errors');
const { LivePersonClient } = require('../../../../nodes/LivePersonFunction/protocol/client');
const { fakeEnvironment } = require('../../../helpers/fakeEnvironment');
const { discoverDomains } = require('../../../../nodes/LivePersonFunction/protocol/discovery');
const {
	requestClientCredentialsToken,
} = require('../../../../nodes/LivePersonFunction/protocol/token');

/** What n8n's request helper is asked for, with a canned full response. */
function recordingHelper(answer = { statusCode: 200, headers: {}, body: '[]' }) {
	const calls = [];
	const helper = async (options) => {
		calls.push(options);
		return answer;
	};
	return { calls, helper };
}

describe("every request through n8n's helper", () => {
	test("has a time limit (the default, or the caller's within bounds) and never follows a redirect", async () => {
		const { calls, helper } = recordingHelper();
		const http = n8nHttpClient(helper);
		await http({ method: 'GET', url: 'https://a.example/' });
		await http({ method: 'GET', url: 'https://a.example/', timeoutMs: -1 });
		await http({ method: 'GET', url: 'https://a.example/', timeoutMs: 2 ** 31 });
		await http({ method: 'GET', url: 'https://a.example/', timeoutMs: Number.NaN });
		expect(calls.map((c) => c.timeout)).toEqual([35000, 1000, 300000, 35000]);
		expect(calls.every((c) => c.disableFollowRedirect === true)).toBe(true);
	});

	test('a redirect comes back as an answer, which discovery refuses without asking anyone else', async () => {
		const { calls, helper } = recordingHelper({
			statusCode: 302,
			headers: { location: 'https://elsewhere.example/x' },
			body: '',
		});
		const error = await discoverDomains(n8nHttpClient(helper), {
			domainApiUrl: 'https://api.example',
			accountId: '1',
		}).catch((e) => e);
		expect(error).toMatchObject({ kind: 'redirect', step: 'discovery', httpStatus: 302 });
		expect(error.message).toContain('https://elsewhere.example');
		expect(calls).toHaveLength(1);
	});

	test('discovery and the token request wait 15 s at most (nothing runs in those steps)', async () => {
		const { calls, helper } = recordingHelper({
			statusCode: 200,
			headers: {},
			body: '{"access_token":"t"}',
		});
		const http = n8nHttpClient(helper);
		await discoverDomains(http, { domainApiUrl: 'https://api.example', accountId: '1' }).catch(
			() => undefined,
		);
		await requestClientCredentialsToken(http, {
			hosts: { sentinel: 's.example' },
			accountId: '1',
			clientId: 'c',
			clientSecret: 's',
		});
		expect(calls.map((c) => c.timeout)).toEqual([15000, 15000]);
	});
});

describe('answers read from a stream', () => {
	const { Readable } = require('stream');
	const streamed = (chunks, statusCode = 200) => ({
		statusCode,
		headers: {},
		body: Readable.from(chunks.map((c) => Buffer.from(c))),
	});

	test('a body split inside a multi-byte character is read whole', async () => {
		const bytes = Buffer.from('{"name":"Zoë 😀"}');
		const { helper } = recordingHelper(
			streamed([bytes.subarray(0, 12), bytes.subarray(12, 15), bytes.subarray(15)]),
		);
		const response = await n8nHttpClient(helper)({ method: 'GET', url: 'https://a.example/' });
		expect(JSON.parse(response.body)).toEqual({ name: 'Zoë 😀' });
	});

	test('more than maxBytes is not read: AnswerTooLargeError, the stream destroyed', async () => {
		const answer = streamed(['12345', '67890', 'abcde']);
		const { helper } = recordingHelper(answer);
		const error = await n8nHttpClient(helper)({
			method: 'GET',
			url: 'https://a.example/',
			maxBytes: 8,
		}).catch((e) => e);
		expect(error).toBeInstanceOf(AnswerTooLargeError);
		expect(error.maxBytes).toBe(8);
		expect(answer.body.destroyed).toBe(true);
	});

	test("the call's signal goes to n8n, and its abort stops the reading", async () => {
		const controller = new AbortController();
		const endless = new Readable({ read() {} });
		endless.push('[');
		const { calls, helper } = recordingHelper({ statusCode: 200, headers: {}, body: endless });
		const reading = n8nHttpClient(helper)({
			method: 'GET',
			url: 'https://a.example/',
			signal: controller.signal,
		});
		await new Promise((resolve) => endless.once('data', resolve));
		controller.abort();
		await expect(reading).rejects.toThrow('The answer was abandoned');
		expect(calls[0].abortSignal).toBe(controller.signal);
		expect(calls[0].encoding).toBe('stream');
	});
});

describe('n8n 1.x hands a 401 back instead of renewing the token', () => {
	// n8n 1.x reads ignoreHttpStatusErrors as a boolean: `{ignore, except: [401]}` is true, so a 401 resolves.
	const n8n1Helper = () =>
		recordingHelper({ statusCode: 401, headers: {}, body: '{"message":"expired"}' });

	test('an authenticated call says plainly that this n8n cannot renew, and which version can', async () => {
		const { helper } = n8n1Helper();
		const error = await n8nHttpClient(helper, { renewsToken: true })({
			method: 'POST',
			url: 'https://gw.example/x',
		}).catch((e) => e);
		expect(error).toBeInstanceOf(LivePersonError);
		expect(error).toMatchObject({ kind: 'auth', step: 'token', mayHaveRun: false });
		expect(error.message).toBe(
			'This version of n8n cannot renew the LivePerson access token (LivePerson answered HTTP 401)',
		);
		expect(error.description).toContain('Use n8n 2.0 or newer');
	});

	test('through the client it is one attempt of an auth error, never retried', async () => {
		const { calls, helper } = n8n1Helper();
		const client = new LivePersonClient({
			accountId: '1',
			hosts: { faasGW: 'gw.example' },
			http: n8nHttpClient(helper, { renewsToken: true }),
			environment: fakeEnvironment(),
		});
		const error = await client
			.invokeFunction('11111111-1111-4111-8111-111111111111', { payload: {}, headers: [] }, {})
			.catch((e) => e);
		expect(error.attempts).toBe(1);
		expect(error.reason.message).toMatch(/cannot renew the LivePerson access token/);
		expect(calls).toHaveLength(1);
	});

	test('an unauthenticated call (a 401 from Sentinel for a wrong secret) stays an answer', async () => {
		const { helper } = n8n1Helper();
		const response = await n8nHttpClient(helper)({ method: 'POST', url: 'https://s.example/t' });
		expect(response.status).toBe(401);
	});
});

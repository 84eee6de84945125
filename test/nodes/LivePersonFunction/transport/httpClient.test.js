'use strict';

const { n8nHttpClient } = require('../../../../nodes/LivePersonFunction/transport/httpClient');
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

'use strict';

const { buildInvokeRequest, detectPlatform, readInvokeResponse, isLambdaUuid } = require('../../../../nodes/LivePersonFunction/protocol/invoke');

const uuid = '3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef';
const invocation = {
	accountId: '123456',
	gatewayHost: 'va.faasgw.liveperson.net',
	lambdaUuid: uuid,
	payload: { name: 'Ada' },
	headers: [{ key: 'x-source', value: 'n8n' }],
	timestamp: 1700000000000,
	requestId: 'req-1',
	userId: 'user 1',
	skillId: '77',
	timeoutMs: 35000,
};

describe('buildInvokeRequest', () => {
	test('V1: v=1 and userId in the query, the documented body', () => {
		const request = buildInvokeRequest({ ...invocation, platform: 'v1' });
		expect(request.method).toBe('POST');
		expect(request.url).toBe(`https://va.faasgw.liveperson.net/api/account/123456/lambdas/${uuid}/invoke`);
		expect(request.query).toEqual({ v: '1', userId: 'user 1', skillId: '77' });
		expect(request.headers).toMatchObject({ 'Content-Type': 'application/json', 'X-Request-ID': 'req-1' });
		expect(request.headers['LP-EventSource']).toBeUndefined();
		expect(JSON.parse(request.body)).toEqual({
			timestamp: 1700000000000,
			headers: [{ key: 'x-source', value: 'n8n' }],
			payload: { name: 'Ada' },
		});
		expect(request.timeoutMs).toBe(35000);
	});

	test('V2: no v, no userId, skillId only when given, LP-EventSource header', () => {
		const request = buildInvokeRequest({ ...invocation, platform: 'v2' });
		expect(request.query).toEqual({ skillId: '77' });
		expect(request.headers['LP-EventSource']).toBe('n8n');
		const withoutSkill = buildInvokeRequest({ ...invocation, platform: 'v2', skillId: undefined });
		expect(withoutSkill.query).toEqual({});
	});

	test('V1 without userId or skillId sends only v', () => {
		const request = buildInvokeRequest({ ...invocation, platform: 'v1', userId: undefined, skillId: '' });
		expect(request.query).toEqual({ v: '1' });
	});

	test.each([[null], [0], ['text'], [[1, 2]]])('any JSON payload %p is sent as is', (payload) => {
		const request = buildInvokeRequest({ ...invocation, platform: 'v1', payload });
		expect(JSON.parse(request.body).payload).toEqual(payload);
	});
});

test('detectPlatform follows the host name as LivePerson\'s client does', () => {
	expect(detectPlatform('va.faasgw.liveperson.net')).toBe('v1');
	expect(detectPlatform('va.fninvocations.liveperson.net')).toBe('v2');
	expect(detectPlatform('functions.eu.example')).toBe('v2');
});

test('isLambdaUuid', () => {
	expect(isLambdaUuid(uuid)).toBe(true);
	expect(isLambdaUuid(uuid.toUpperCase())).toBe(true);
	expect(isLambdaUuid('3f2e1d0c-1111-4a2b-9c3d')).toBe(false);
	expect(isLambdaUuid(`${uuid}x`)).toBe(false);
});

describe('readInvokeResponse', () => {
	test.each([
		['{"a":1}', { a: 1 }],
		['[1,2]', [1, 2]],
		['"hi"', 'hi'],
		['3', 3],
		['null', null],
		['false', false],
	])('a 200 with %s is that value', (body, value) => {
		expect(readInvokeResponse({ status: 200, headers: {}, body })).toEqual({ empty: false, value });
	});

	test('an empty 200 or 202 is empty', () => {
		expect(readInvokeResponse({ status: 200, headers: {}, body: '' })).toEqual({ empty: true });
		expect(readInvokeResponse({ status: 202, headers: {}, body: '  ' })).toEqual({ empty: true });
	});

	test('a non-JSON 200 is a bad answer that may not be repeated', () => {
		let error;
		try {
			readInvokeResponse({ status: 200, headers: {}, body: '<html>oops</html>' });
		} catch (e) {
			error = e;
		}
		expect(error.kind).toBe('bad-answer');
		expect(error.mayHaveRun).toBe(true);
		expect(error.description).toContain('<html>oops</html>');
	});

	test('an error status is classified', () => {
		expect(() => readInvokeResponse({ status: 404, headers: {}, body: '' })).toThrow(/not found or not deployed/);
	});
});

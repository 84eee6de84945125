'use strict';

const { buildEventInvokeRequest, readEventInvokeResponse, buildIsImplementedRequest, readIsImplemented } = require('../../../../nodes/LivePersonFunction/protocol/events');

const base = {
	accountId: '123456',
	gatewayHost: 'va.faasgw.liveperson.net',
	eventId: 'conversational_command',
	payload: { a: 1 },
	headers: [{ key: 'k', value: 'v' }],
	timestamp: 1700000000000,
	requestId: 'req-9',
	skillId: '7',
};

describe('buildEventInvokeRequest', () => {
	test('V1: the events path, v=1 and skillId, the documented body', () => {
		const request = buildEventInvokeRequest({ ...base, platform: 'v1', userId: 'u1' });
		expect(request.method).toBe('POST');
		expect(request.url).toBe('https://va.faasgw.liveperson.net/api/account/123456/events/conversational_command/invoke');
		expect(request.query).toEqual({ v: '1', userId: 'u1', skillId: '7' });
		expect(JSON.parse(request.body)).toEqual({ timestamp: 1700000000000, headers: [{ key: 'k', value: 'v' }], payload: { a: 1 } });
		expect(request.headers['X-Request-ID']).toBe('req-9');
	});
	test('V2: no v, LP-EventSource; event ids are path-encoded', () => {
		const request = buildEventInvokeRequest({ ...base, platform: 'v2', eventId: 'a/b' });
		expect(request.url).toContain('/events/a%2Fb/invoke');
		expect(request.query).toEqual({ skillId: '7' });
		expect(request.headers['LP-EventSource']).toBe('n8n');
	});
});

describe('readEventInvokeResponse', () => {
	test.each([
		['[{"a":1},2]', [{ a: 1 }, 2]],
		['[]', []],
		['', []],
	])('%s', (body, list) => {
		expect(readEventInvokeResponse({ status: 200, headers: {}, body })).toEqual(list);
	});
	test('a non-list is a bad answer; an error status is classified', () => {
		expect(() => readEventInvokeResponse({ status: 200, headers: {}, body: '{"a":1}' })).toThrow(/not a list/);
		expect(() => readEventInvokeResponse({ status: 901, headers: {}, body: '{"errorCode":"com.liveperson.faas.handler.custom-failure","errorMsg":"x"}' })).toThrow('x');
	});
});

describe('isImplemented', () => {
	test('GET with v=1 and skillId on V1', () => {
		const request = buildIsImplementedRequest({ ...base, platform: 'v1' });
		expect(request.method).toBe('GET');
		expect(request.url).toBe('https://va.faasgw.liveperson.net/api/account/123456/events/conversational_command/isImplemented');
		expect(request.query).toEqual({ v: '1', skillId: '7' });
		expect(request.body).toBeUndefined();
	});
	test.each([
		['{"implemented":true}', true],
		['{"implemented":false}', false],
	])('reads %s', (body, value) => {
		expect(readIsImplemented({ status: 200, headers: {}, body })).toBe(value);
	});
	test.each(['{}', '{"implemented":"yes"}', 'null', 'x'])('refuses %s', (body) => {
		expect(() => readIsImplemented({ status: 200, headers: {}, body })).toThrow(/true\/false/);
	});
});

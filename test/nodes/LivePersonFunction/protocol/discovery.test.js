'use strict';

const {
	discoverDomains,
	readDomainAnswer,
	normalizeDomainApiUrl,
} = require('../../../../nodes/LivePersonFunction/protocol/discovery');
const { LivePersonClient } = require('../../../../nodes/LivePersonFunction/protocol/client');
const { normalizeHost } = require('../../../../nodes/LivePersonFunction/protocol/hosts');
const { LivePersonError } = require('../../../../nodes/LivePersonFunction/protocol/errors');
const { fakeHttp, json, socketError } = require('../../../helpers/fakeHttp');
const { fakeEnvironment } = require('../../../helpers/fakeEnvironment');

const options = { domainApiUrl: 'https://csds.example/', accountId: '123456' };

describe('discoverDomains', () => {
	test('asks the all-services form once and reads every known service', async () => {
		const http = fakeHttp(
			json(200, {
				baseURIs: [
					{ service: 'sentinel', account: '123456', baseURI: 'va.sentinel.liveperson.net' },
					{ service: 'faasGW', account: '123456', baseURI: 'va.faasgw.liveperson.net' },
					{ service: 'faasUI', account: '123456', baseURI: 'va.faasui.liveperson.net:8443' },
					{ service: 'somethingElse', account: '123456', baseURI: 'whatever' },
				],
			}),
		);
		const hosts = await discoverDomains(http, options);
		expect(hosts).toEqual({
			sentinel: 'va.sentinel.liveperson.net',
			faasGW: 'va.faasgw.liveperson.net',
			faasUI: 'va.faasui.liveperson.net:8443',
		});
		expect(http.requests).toHaveLength(1);
		expect(http.requests[0]).toMatchObject({
			method: 'GET',
			url: 'https://csds.example/api/account/123456/service/baseURI.json',
			query: { version: '1.0' },
		});
	});

	test('falls back to the one-service form when the all-services form is missing (404)', async () => {
		const http = fakeHttp(
			json(404, {}),
			json(200, { service: 'sentinel', account: '123456', baseURI: 'lo.sentinel.liveperson.net' }),
			json(200, { service: 'faasGW', account: '123456', baseURI: 'lo.faasgw.liveperson.net' }),
			json(404, {}),
		);
		const hosts = await discoverDomains(http, options);
		expect(hosts).toEqual({
			sentinel: 'lo.sentinel.liveperson.net',
			faasGW: 'lo.faasgw.liveperson.net',
		});
		expect(http.requests.map((r) => r.url)).toEqual([
			'https://csds.example/api/account/123456/service/baseURI.json',
			'https://csds.example/api/account/123456/service/sentinel/baseURI.json',
			'https://csds.example/api/account/123456/service/faasGW/baseURI.json',
			'https://csds.example/api/account/123456/service/faasUI/baseURI.json',
		]);
	});

	test('an unknown account (400) names the account', async () => {
		const error = await discoverDomains(fakeHttp(json(400, { message: 'bad' })), options).catch(
			(e) => e,
		);
		expect(error).toBeInstanceOf(LivePersonError);
		expect(error.kind).toBe('configuration');
		expect(error.step).toBe('discovery');
		expect(error.message).toContain('"123456"');
	});

	test('an unreachable Domain API is a transport error naming it', async () => {
		const error = await discoverDomains(fakeHttp(socketError('ECONNREFUSED')), options).catch(
			(e) => e,
		);
		expect(error.kind).toBe('transport');
		expect(error.step).toBe('discovery');
		expect(error.message).toContain('Domain API at https://csds.example');
		expect(error.message).toContain('connection refused');
		expect(error.socketCode).toBe('ECONNREFUSED');
	});

	test('a 5xx is a platform error', async () => {
		const error = await discoverDomains(fakeHttp(json(503, {})), options).catch((e) => e);
		expect(error.kind).toBe('platform');
		expect(error.httpStatus).toBe(503);
	});
});

describe('readDomainAnswer', () => {
	test.each([
		['https://va.faasgw.liveperson.net'],
		['va.faasgw.liveperson.net/steal'],
		['user@va.faasgw.liveperson.net'],
		['va.faasgw.liveperson.net ?x'],
		['va.faasgw.liveperson.net:99999'],
		[''],
		[42],
	])('refuses a discovered host %p', (baseURI) => {
		expect(() =>
			readDomainAnswer(JSON.stringify({ baseURIs: [{ service: 'faasGW', baseURI }] })),
		).toThrow(/not a bare host name/);
	});

	test.each([['not json'], ['[]'], ['{"baseURIs": "x"}'], ['']])(
		'refuses a malformed answer %p',
		(body) => {
			expect(() => readDomainAnswer(body)).toThrow(/not a list of hosts/);
		},
	);

	test('an empty list means nothing provisioned, which a call reports before sending anything', async () => {
		const hosts = readDomainAnswer('{"baseURIs":[]}');
		expect(hosts).toEqual({});
		const http = fakeHttp();
		const client = new LivePersonClient({
			accountId: '1',
			hosts,
			http,
			environment: fakeEnvironment(),
		});
		await expect(
			client.invokeFunction(
				'3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef',
				{ payload: {}, headers: [] },
				{},
			),
		).rejects.toThrow(/no Functions gateway \(faasGW\) host/);
		expect(http.requests).toEqual([]);
	});
});

describe('bare hosts, normalized once', () => {
	test.each([
		['va.faasgw.liveperson.net', 'va.faasgw.liveperson.net'],
		['127.0.0.1:8443', '127.0.0.1:8443'],
		['localhost', 'localhost'],
		['[::1]:443', '[::1]'],
		['a-b.c', 'a-b.c'],
		// Forms that name the same host as the URL parser sees it: stored as the parser writes them,
		// so the token's allow-list compares like with like.
		['VA.FaasGW.LivePerson.NET', 'va.faasgw.liveperson.net'],
		['va.faasgw.liveperson.net:443', 'va.faasgw.liveperson.net'],
		['[0:0:0:0:0:0:0:1]:8443', '[::1]:8443'],
		['2130706433', '127.0.0.1'],
		['0x7f.1:9', '127.0.0.1:9'],
	])('accepts %s as %s', (host, normalized) => {
		expect(normalizeHost(host, 'test')).toBe(normalized);
	});
	test.each([
		'-a.b',
		'a..b',
		'a.b:0',
		'a b',
		'a/b',
		'http://a',
		'a.b:',
		'a_b.c',
		'a.b:65536',
		'[127.0.0.1]',
		'999.999.999.999',
		'user@a.b',
		'',
	])('refuses %s', (host) => {
		expect(() => normalizeHost(host, 'test')).toThrow(LivePersonError);
		expect(() => normalizeHost(host, 'test')).toThrow(/not a bare host name/);
	});
});

describe('the Domain API URL', () => {
	test.each([
		['https://api.liveperson.net', 'https://api.liveperson.net'],
		['https://API.LivePerson.net:443/', 'https://api.liveperson.net'],
		[' https://proxy.example/lp/csds// ', 'https://proxy.example/lp/csds'],
	])('%s is used as %s', (text, normalized) => {
		expect(normalizeDomainApiUrl(text)).toBe(normalized);
	});
	test.each([
		['http://api.liveperson.net', /must start with https:\/\//],
		['ftp://api.liveperson.net', /must start with https:\/\//],
		['api.liveperson.net', /is not a URL/],
		['https://user:pa55word@api.liveperson.net', /user name or password/],
		['https://api.liveperson.net?x=1', /query/],
		['https://api.liveperson.net/#x', /fragment/],
		['https://api.liveperson.net/a/%2e%2e/b', /\. or \.\./],
		// The URL parser reads a backslash as a slash in an https URL: this would become /b.
		['https://api.liveperson.net/a\\..\\b', /\. or \.\./],
		['https://api.liveperson.net/a\\.', /\. or \.\./],
	])('%s is refused before anything is sent', async (text, why) => {
		const http = fakeHttp();
		const error = await discoverDomains(http, { domainApiUrl: text, accountId: '1' }).catch(
			(e) => e,
		);
		expect(error).toBeInstanceOf(LivePersonError);
		expect(error.message).toMatch(why);
		expect(error.message).not.toContain('pa55word');
		expect(error.description).not.toContain('pa55word');
		expect(http.requests).toEqual([]);
	});

	test('an account ID of dots never becomes a path step', async () => {
		const http = fakeHttp();
		await expect(
			discoverDomains(http, { domainApiUrl: 'https://a.example', accountId: '..' }),
		).rejects.toThrow(/account ID "\.\." cannot be part of an address/);
		expect(http.requests).toEqual([]);
	});
});

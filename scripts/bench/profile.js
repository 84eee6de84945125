'use strict';
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by file, by function and by category, within the
// window in which the measured node ran (first to last sample with a frame of that node's file on the stack).
//   node scripts/bench/profile.js <file.cpuprofile> [windowPattern]

const fs = require('node:fs');

const CATEGORIES = [
	['our node (n8n-nodes-liveperson-functions)', /n8n-nodes-liveperson-functions\/dist\//],
	['HTTP Request node', /n8n-nodes-base\/dist\/nodes\/HttpRequest\//],
	[
		'n8n credentials (load/decrypt/update)',
		/credentials-helper|n8n-core\/dist\/credentials|\/credentials\.service|cipher|\/crypto\b|node:internal\/crypto/,
	],
	['n8n OAuth2 client', /client-oauth2|request-helpers\/oauth/],
	[
		'n8n parameter resolution / expressions',
		/n8n-workflow\/dist\/.*(expression|workflow-data-proxy|node-helpers|node-parameters|augment-object|extensions|workflow\.js)|get-node-parameter|node-execution-context\/(utils\/)?(get-|validate|cleanup|extract)|@n8n\/tournament|esprima|recast|ast-types|@n8n\/expression/,
	],
	[
		'n8n request helpers / axios',
		/request-helpers|backend-network|\/axios\/|follow-redirects|form-data|proxy-from-env/,
	],
	['n8n execution engine (other)', /n8n-core\/dist|n8n-workflow\/dist/],
	['database (sqlite/typeorm)', /sqlite|typeorm|@n8n\/db/],
	[
		'Node TLS/net/HTTP internals',
		/node:internal\/(tls|net|stream|http|_http)|node:(tls|net|_http|http|https|stream)|^node:internal\/streams|_tls_|_http_/,
	],
	['lodash / util libs', /lodash|deep-equal|flatted|uuid|nanoid/],
	['Node internals (other)', /^node:/],
	['GC', /^\(garbage collector\)$/],
	['idle (waiting for I/O)', /^\(idle\)$/],
	['(program) / native', /^\(program\)$|^\(root\)$|^$/],
];

/** [label, functionName pattern, url pattern] for the inclusive view. */
const INCLUSIVE = [
	['n8n getNodeParameter (parameter resolution)', /^_?getNodeParameter$/, /n8n-core/],
	[
		'n8n getCredentials (load + decrypt)',
		/^(_?getCredentials|getDecrypted)$/,
		/n8n-core|n8n\/dist/,
	],
	['n8n credentialsHelper.preAuthentication', /^preAuthentication$/, /credentials-helper/],
	['n8n credentialsHelper.authenticate', /^authenticate$/, /credentials-helper/],
	[
		'n8n httpRequestWithAuthentication',
		/^httpRequestWithAuthentication$/,
		/request-helpers\/authentication/,
	],
	['n8n requestOAuth2', /^requestOAuth2$/, /request-helpers\/oauth/],
	[
		'n8n/axios request setup (convertN8nRequestToAxios)',
		/^convertN8nRequestToAxios$/,
		/backend-network/,
	],
	['new https.Agent / TLS context (buildNodeAgents)', /^buildNodeAgents$/, /backend-network/],
	[
		'TLS connect + handshake (tls.connect, TLSSocket)',
		/^(connect|TLSSocket|_start|TLSSocket\._start|onConnectSecure|ssl\.onhandshakedone|SecureContext|createSecureContext)$/,
		/node:(internal\/)?tls|_tls_/,
	],
	['DB queries (typeorm/sqlite)', /.*/, /@n8n\/typeorm|sqlite3/],
	['expression evaluation (isolated-vm bridge)', /.*/, /expression-runtime/],
	[
		'this node: any frame of the package (sync part)',
		/.*/,
		/n8n-nodes-liveperson-functions\/dist\//,
	],
	['HTTP Request node: any frame (sync part)', /.*/, /nodes\/HttpRequest\//],
	['floor.js: any frame (sync part)', /.*/, /scripts\/bench\/floor\.js/],
];

function category(url, functionName) {
	const key = url || `(${(functionName || '').replace(/[()]/g, '')})`;
	for (const [name, pattern] of CATEGORIES) if (pattern.test(key)) return name;
	return 'other JS (n8n cli, libraries)';
}

function shortFile(url) {
	if (!url) return '';
	return url
		.replace(/^file:\/\//, '')
		.replace(/^.*\/node_modules\//, '')
		.replace(/^\/.*?\/(scripts|test)\//, '$1/');
}

/**
 * windowPattern: files of the measured node. The window starts at the first sample with that node's `execute` (or
 * `startFunction`) on the stack (so loading the node's modules at start-up is left out) and ends at the last sample with
 * any of its frames.
 */
function summarise(
	file,
	windowPattern = /n8n-nodes-liveperson-functions\/dist\//,
	startFunction = /^execute$/,
) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes)
		for (const child of node.children || []) parent.set(child, node.id);
	const stackMatcher = (test) => {
		const memo = new Map(); // node id -> whether a frame passing `test` is on its stack
		const matches = (id) => {
			if (memo.has(id)) return memo.get(id);
			const node = byId.get(id);
			const result = test(node.callFrame) || (parent.has(id) ? matches(parent.get(id)) : false);
			memo.set(id, result);
			return result;
		};
		return matches;
	};
	const inNode = stackMatcher((frame) => windowPattern.test(frame.url));
	const inExecute = stackMatcher(
		(frame) => startFunction.test(frame.functionName) && windowPattern.test(frame.url),
	);

	// sample times: timeDeltas[i] is the time since the previous sample; sample i "owns" timeDeltas[i + 1]
	const times = [];
	let t = profile.startTime;
	for (const delta of profile.timeDeltas) times.push((t += delta));
	let first = -1;
	let last = -1;
	profile.samples.forEach((id, i) => {
		if (first < 0 && inExecute(id)) first = i;
		if (first >= 0 && inNode(id)) last = i;
	});
	if (first < 0)
		return {
			windowMs: 0,
			totalMs: (profile.endTime - profile.startTime) / 1000,
			byCategory: [],
			byFile: [],
			byFunction: [],
		};

	const acc = (map, key, us) => map.set(key, (map.get(key) || 0) + us);
	const byFile = new Map();
	const byFunction = new Map();
	const byCategory = new Map();
	for (let i = first; i <= last; i++) {
		const us = (i + 1 < times.length ? times[i + 1] : profile.endTime) - times[i];
		const { callFrame } = byId.get(profile.samples[i]);
		const fileKey = shortFile(callFrame.url) || `(${callFrame.functionName.replace(/[()]/g, '')})`;
		acc(byFile, fileKey, us);
		acc(
			byFunction,
			`${callFrame.functionName || '(anonymous)'}  ${shortFile(callFrame.url)}:${callFrame.lineNumber + 1}`,
			us,
		);
		acc(byCategory, category(callFrame.url, callFrame.functionName), us);
	}
	// Inclusive (synchronous stack) time of selected frames: a sample counts for a label when a matching frame is on its
	// stack. Async continuations start new stacks, so this is the synchronous part of each call.
	const byInclusive = new Map();
	const inclusive = INCLUSIVE.map(([label, fn, url]) => [
		label,
		stackMatcher((frame) => fn.test(frame.functionName) && url.test(frame.url)),
	]);
	for (let i = first; i <= last; i++) {
		const us = (i + 1 < times.length ? times[i + 1] : profile.endTime) - times[i];
		for (const [label, matches] of inclusive)
			if (matches(profile.samples[i])) acc(byInclusive, label, us);
	}
	const windowUs = times[last] - times[first];
	const sorted = (map) =>
		[...map.entries()].sort((a, b) => b[1] - a[1]).map(([key, us]) => ({ key, ms: us / 1000 }));
	return {
		windowMs: windowUs / 1000,
		totalMs: (profile.endTime - profile.startTime) / 1000,
		byCategory: sorted(byCategory),
		byFile: sorted(byFile),
		byFunction: sorted(byFunction),
		byInclusive: sorted(byInclusive),
	};
}

function format(summary, { top = 15, perItemOf } = {}) {
	const lines = [];
	const pct = (ms) => `${((100 * ms) / summary.windowMs).toFixed(1).padStart(5)}%`;
	const per = (ms) =>
		perItemOf ? `  ${((1000 * ms) / perItemOf).toFixed(1).padStart(7)} µs/item` : '';
	lines.push(
		`  window ${summary.windowMs.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms profiled (first→last sample with the node on the stack)`,
	);
	const idle = (summary.byCategory.find((x) => /^idle/.test(x.key)) || { ms: 0 }).ms;
	lines.push(
		`  main thread busy ${(summary.windowMs - idle).toFixed(0)} ms${perItemOf ? ` = ${((1000 * (summary.windowMs - idle)) / perItemOf).toFixed(0)} µs/item` : ''}, idle (waiting for answers) ${idle.toFixed(0)} ms`,
	);
	lines.push('  self time by category:');
	for (const { key, ms } of summary.byCategory)
		lines.push(`    ${ms.toFixed(1).padStart(8)} ms ${pct(ms)}${per(ms)}  ${key}`);
	if (summary.byInclusive && summary.byInclusive.length) {
		lines.push(
			'  inclusive time of selected frames (synchronous part of each call; overlaps the categories above):',
		);
		for (const { key, ms } of summary.byInclusive)
			lines.push(`    ${ms.toFixed(1).padStart(8)} ms ${pct(ms)}${per(ms)}  ${key}`);
	}
	lines.push(`  top ${top} files by self time:`);
	for (const { key, ms } of summary.byFile.slice(0, top))
		lines.push(`    ${ms.toFixed(1).padStart(8)} ms ${pct(ms)}  ${key}`);
	lines.push(`  top ${top} functions by self time:`);
	for (const { key, ms } of summary.byFunction.slice(0, top))
		lines.push(`    ${ms.toFixed(1).padStart(8)} ms ${pct(ms)}  ${key}`);
	return lines.join('\n');
}

module.exports = { summarise, format, category };

if (require.main === module) {
	const [file, pattern] = process.argv.slice(2);
	const summary = summarise(file, pattern ? new RegExp(pattern) : undefined);
	console.log(format(summary));
}

'use strict';
/**
 * What `npm run demo`, `npm run dev` and `npm run screenshots` share: the example workflows in the order a newcomer
 * reads them (simplest first), the emulator credential they name, and an owner account so the editor opens at once.
 */
const fs = require('fs');
const path = require('path');
const { appCredential } = require('../tools/emulator/credentials');

const EXAMPLES = path.resolve(__dirname, '..', 'examples');
/** One call per item, then the error output, then Batching; any other example after these, by name. */
const FIRST = ['greet-customers.json', 'order-totals.json', 'greet-customers-in-batches.json'];

function exampleFiles() {
	const all = fs.readdirSync(EXAMPLES).filter((file) => file.endsWith('.json'));
	return [
		...FIRST.filter((file) => all.includes(file)),
		...all.filter((file) => !FIRST.includes(file)).sort(),
	];
}

/** The example workflows, parsed, simplest first; `edit` may rewrite each file's text before parsing. */
function exampleWorkflows(edit = (text) => text) {
	return exampleFiles().map((file) =>
		JSON.parse(edit(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'))),
	);
}

/** The credential every example names, pointing at the emulator. */
const DEMO_CREDENTIAL = {
	id: 'lpfDemoCredential01',
	name: 'LivePerson Functions (demo)',
	type: 'livePersonFunctionsApi',
};
const demoCredentials = (emu) => [{ ...DEMO_CREDENTIAL, data: appCredential(emu) }];

/** The owner of a demo or development n8n on loopback (not a secret: nothing but this machine reaches it). */
const DEMO_OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Demo-owner-password-1',
};

/**
 * Creates the owner account of a fresh n8n (`POST /rest/owner/setup`, as the editor's first page does) and returns
 * its session cookie; null when the instance already has an owner (a kept user folder).
 */
async function createOwner(serverUrl) {
	const response = await fetch(`${serverUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': 'lpf-demo' },
		body: JSON.stringify(DEMO_OWNER),
	});
	const text = await response.text();
	if (response.ok) return response.headers.getSetCookie().map((entry) => entry.split(';')[0]);
	if (response.status === 400 && /already/i.test(text)) return null;
	throw new Error(`n8n refused to create the owner account: HTTP ${response.status} ${text}`);
}

module.exports = { exampleWorkflows, DEMO_CREDENTIAL, demoCredentials, DEMO_OWNER, createOwner };

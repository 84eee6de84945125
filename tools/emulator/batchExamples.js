'use strict';
// Batch examples for the emulator: the README's batch-aware functions run here as written (in a
// vm context, callback style), and a function that breaks the batch contract on request.

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const BATCH_UUIDS = Object.freeze({
	batchAwareV1: '7f3c2a10-5b6e-4d8f-9a21-0c4e6b8d1a04',
	batchAwareV2: '7f3c2a10-5b6e-4d8f-9a21-0c4e6b8d1a05',
	batchBreaker: '7f3c2a10-5b6e-4d8f-9a21-0c4e6b8d1a06',
});

const FUNCTION_FILES = path.join(__dirname, '..', '..', 'examples', 'functions');

/** A `lambda(input, callback)` source file as an emulator handler: callback(error) → 901 with its message. */
function lambdaFromFile(file) {
	const code = fs.readFileSync(path.join(FUNCTION_FILES, file), 'utf8');
	const lambda = vm.runInNewContext(`${code}\n;lambda`, {}, { filename: file });
	// An Error of the vm's realm is not `instanceof Error` here: pass on its message as the platform does.
	const fail = (error) =>
		Object.prototype.toString.call(error) === '[object Error]' ? new Error(error.message) : error;
	return (input) =>
		new Promise((resolve, reject) => {
			const callback = (error, result) => (error ? reject(fail(error)) : resolve(result));
			Promise.resolve(lambda(input, callback)).catch((error) => reject(fail(error)));
		});
}

const batchAware = (uuid, name, file) => () => ({
	uuid,
	name,
	description: `The README's batch-aware function (${file}): greets payload.name, one element per item`,
	state: 'Productive',
	handler: lambdaFromFile(file),
});

const batchAwareV1 = batchAware(BATCH_UUIDS.batchAwareV1, 'batch-greeting', 'batch-aware.v1.js');
const batchAwareV2 = batchAware(BATCH_UUIDS.batchAwareV2, 'batch-greeting-v2', 'batch-aware.v2.js');

/**
 * Breaks the batch contract as the first item asks: payload.answer 'short' (one result too few),
 * 'object' (not a list), 'bare' (plain values, no {result}); otherwise answers correctly.
 */
const batchBreaker = () => ({
	uuid: BATCH_UUIDS.batchBreaker,
	name: 'batch-breaker',
	description: 'Answers batches wrongly on request (tests)',
	state: 'Productive',
	handler: async (input) => {
		const items = (input.payload && input.payload.items) || [];
		const answer = items.length && items[0] ? items[0].answer : undefined;
		if (answer === 'short') return items.slice(1).map((item) => ({ result: item }));
		if (answer === 'object') return { results: items };
		if (answer === 'bare') return items;
		return items.map((item) => ({ result: item }));
	},
});

const batchExampleFunctions = () => [batchAwareV1(), batchAwareV2(), batchBreaker()];

module.exports = { BATCH_UUIDS, batchExampleFunctions };

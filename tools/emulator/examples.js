'use strict';
// Example functions for the emulator: used by cli.js and reusable by other scripts and tests.
// exampleFunctions() returns fresh definitions each call (no shared state between emulators).

const EXAMPLE_UUIDS = Object.freeze({
	greeting: '7f3c2a10-5b6e-4d8f-9a21-0c4e6b8d1a01',
	orderTotal: '7f3c2a10-5b6e-4d8f-9a21-0c4e6b8d1a02',
	failOnDemand: '7f3c2a10-5b6e-4d8f-9a21-0c4e6b8d1a03',
});

/** Greets payload.name; bound to the conversational_command event so event invocation has something to run. */
const greeting = () => ({
	uuid: EXAMPLE_UUIDS.greeting,
	name: 'greeting',
	description: 'Says hello to payload.name',
	state: 'Productive',
	eventId: 'conversational_command',
	handler: async (input) => {
		const name =
			input.payload && typeof input.payload.name === 'string' ? input.payload.name : 'world';
		return { greeting: `Hello, ${name}!` };
	},
});

/**
 * Order total: payload {items: [{sku?, price, quantity}], currency?, discountPercent?}
 * → {total, currency, itemCount}. Money is summed in cents to avoid 0.1 + 0.2 surprises.
 * Bad input is a function failure (901), the way a real function would reject it.
 */
const orderTotal = () => ({
	uuid: EXAMPLE_UUIDS.orderTotal,
	name: 'order-total',
	description: 'Sums price × quantity of payload.items',
	state: 'Productive',
	handler: async (input) => {
		const p = input.payload || {};
		if (!Array.isArray(p.items)) {
			throw {
				errorCode: 'com.liveperson.faas.handler.custom-failure',
				message: 'payload.items must be an array',
			};
		}
		let cents = 0;
		let itemCount = 0;
		for (const item of p.items) {
			const price = Number(item && item.price);
			const quantity = item && item.quantity !== undefined ? Number(item.quantity) : 1;
			if (!Number.isFinite(price) || !Number.isFinite(quantity) || quantity < 0) {
				throw {
					errorCode: 'com.liveperson.faas.handler.custom-failure',
					message: 'every item needs a numeric price and quantity',
				};
			}
			cents += Math.round(price * 100) * quantity;
			itemCount += quantity;
		}
		const discount = Number(p.discountPercent) || 0;
		cents = Math.round(cents * (1 - discount / 100));
		return { total: cents / 100, currency: p.currency || 'USD', itemCount };
	},
});

/** Fails on request: payload {fail: true, message?} → 901 custom failure with error logs; otherwise {ok: true}. */
const failOnDemand = () => ({
	uuid: EXAMPLE_UUIDS.failOnDemand,
	name: 'fail-on-demand',
	description: 'Throws a custom failure when payload.fail is true',
	state: 'Productive',
	handler: async (input) => {
		const p = input.payload || {};
		if (p.fail) {
			throw {
				errorCode: 'com.liveperson.faas.handler.custom-failure',
				message: p.message || 'failure requested by the caller',
				errorLogs: [{ level: 'Error', message: 'failOnDemand: failing as asked', extras: [] }],
			};
		}
		return { ok: true };
	},
});

const exampleFunctions = () => [
	greeting(),
	orderTotal(),
	failOnDemand(),
	...require('./batchExamples').batchExampleFunctions(),
];

module.exports = { exampleFunctions, EXAMPLE_UUIDS, greeting, orderTotal, failOnDemand };

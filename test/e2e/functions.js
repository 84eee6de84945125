'use strict';

const { batchExampleFunctions } = require('../../tools/emulator/batchExamples');

/** The functions the end-to-end workflows call, by fixed UUIDs the fixtures name. */
const UUIDS = {
	echo: 'e2e00000-0000-4000-8000-000000000001',
	orderTotal: 'e2e00000-0000-4000-8000-000000000002',
	slow: 'e2e00000-0000-4000-8000-000000000003',
};

const e2eFunctions = () => [
	{
		uuid: UUIDS.echo,
		name: 'echo',
		// What the function saw, so fixtures can check payload, headers and query parameters end to end.
		handler: async (input, ctx) => ({
			payload: input.payload,
			headers: input.headers,
			userId: ctx.request.query.userId ?? null,
			v: ctx.request.query.v ?? null,
			eventSource: ctx.request.headers['lp-eventsource'] ?? null,
		}),
	},
	{
		uuid: UUIDS.orderTotal,
		name: 'order-total',
		handler: async (input) => {
			const { id, items } = input.payload;
			if (!Array.isArray(items)) throw new Error(`order ${id}: items must be a list`);
			return { id, total: items.reduce((sum, item) => sum + item.price * item.quantity, 0) };
		},
	},
	{
		uuid: UUIDS.slow,
		name: 'slow',
		latencyMs: 50,
		handler: async (input) => ({ n: input.payload.n }),
	},
	// The README's batch-aware functions, for the batch example workflow (examples/).
	...batchExampleFunctions(),
];

module.exports = { UUIDS, e2eFunctions };

'use strict';

/** The LivePerson functions the agent tests and the agent demo call, by fixed UUIDs. */
const AGENT_UUIDS = {
	orderTotal: 'a9e00000-0000-4000-8000-000000000001',
	greeting: 'a9e00000-0000-4000-8000-000000000002',
	throttled: 'a9e00000-0000-4000-8000-000000000003',
	big: 'a9e00000-0000-4000-8000-000000000004',
	announce: 'a9e00000-0000-4000-8000-000000000005',
	// Never deployed: the gateway answers 404.
	missing: 'a9e00000-0000-4000-8000-0000000000ff',
};

/** How many rows the big function answers (each over 20 characters). */
const BIG_ANSWER_ITEMS = 20000;

const agentFunctions = () => [
	{
		uuid: AGENT_UUIDS.orderTotal,
		name: 'order-total',
		description: 'Totals an order: payload {id, items: [{price, quantity}]}, answers {id, total}',
		handler: async (input) => {
			const { id, items } = input.payload;
			if (!Array.isArray(items)) throw new Error(`order ${id}: items must be a list`);
			return { id, total: items.reduce((sum, item) => sum + item.price * item.quantity, 0) };
		},
	},
	{
		uuid: AGENT_UUIDS.greeting,
		name: 'greeting',
		description: 'Greets a customer by name',
		handler: async (input) => ({
			greeting: `Hello, ${input.payload.customer.name}! (order ${input.payload.id})`,
		}),
	},
	{
		uuid: AGENT_UUIDS.throttled,
		name: 'busy',
		description: 'Always throttled in the tests (a fault answers 429 before it runs)',
		handler: async () => ({ ran: true }),
	},
	{
		uuid: AGENT_UUIDS.big,
		name: 'export-all',
		description: 'Answers far more than a model should read',
		handler: async () => ({
			rows: Array.from({ length: BIG_ANSWER_ITEMS }, (_, n) => ({ row: n, text: 'lorem ipsum' })),
		}),
	},
	{
		uuid: AGENT_UUIDS.announce,
		name: 'announce',
		description: 'Bound to the order_announced event',
		eventId: 'order_announced',
		handler: async (input) => ({ said: `announced order ${input.payload.id}` }),
	},
];

module.exports = { AGENT_UUIDS, agentFunctions, BIG_ANSWER_ITEMS };

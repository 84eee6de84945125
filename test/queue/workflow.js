'use strict';

/**
 * The workflow queue-mode users run: a production webhook receives a batch of orders, Split Out makes one item
 * per order, the LivePerson Function node invokes a function for each, and the webhook answers with every output
 * item once the last node has run.
 */
function webhookWorkflow({ id, webhookPath, functionUuid, credential, concurrency = 4 }) {
	const node = (name, type, typeVersion, x, parameters, extra = {}) => ({
		id: name,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	});
	return {
		id,
		name: `queue: ${webhookPath}`,
		nodes: [
			node(
				'Webhook',
				'n8n-nodes-base.webhook',
				2,
				0,
				{
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
				{ webhookId: `${id}-hook` },
			),
			node('Orders', 'n8n-nodes-base.splitOut', 1, 200, {
				fieldToSplitOut: 'body.orders',
				options: {},
			}),
			node(
				'LivePerson Function',
				'n8n-nodes-liveperson-functions.livePersonFunction',
				1,
				400,
				{
					resource: 'function',
					operation: 'invoke',
					functionId: { __rl: true, mode: 'id', value: functionUuid },
					payloadMode: 'item',
					options: { concurrency },
				},
				{ credentials: { livePersonFunctionsApi: { id: credential.id, name: credential.name } } },
			),
		],
		connections: {
			Webhook: { main: [[{ node: 'Orders', type: 'main', index: 0 }]] },
			Orders: { main: [[{ node: 'LivePerson Function', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

/** A batch of orders with ids unique across the suite: `${batch}-${n}`. */
const orders = (batch, count) =>
	Array.from({ length: count }, (_, n) => ({ id: `${batch}-${n}`, n }));

module.exports = { webhookWorkflow, orders };

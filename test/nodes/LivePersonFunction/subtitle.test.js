'use strict';

/** The canvas subtitle, evaluated by n8n-workflow's own expression engine, as the editor does. */
const { Workflow } = require('n8n-workflow');
const { LivePersonFunction } = require('../../../nodes/LivePersonFunction/LivePersonFunction.node');

const nodeType = new LivePersonFunction();
const nodeTypes = {
	getByName: () => nodeType,
	getByNameAndVersion: () => nodeType,
	getKnownTypes: () => ({}),
};

function subtitle(parameters) {
	const node = {
		id: 'n',
		name: 'LivePerson Function',
		type: 'livePersonFunction',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(
		node,
		nodeType.description.subtitle,
		'internal',
		{},
	);
}

const UUID = '3f2e1d0c-1111-4a2b-9c3d-abcdefabcdef';

test.each([
	['From list', { __rl: true, mode: 'list', value: UUID, cachedResultName: 'greeting' }],
	['By ID', { __rl: true, mode: 'id', value: UUID }],
])('Function → Invoke, chosen %s: the subtitle names the function', (_, functionId) => {
	expect(subtitle({ resource: 'function', operation: 'invoke', functionId })).toBe(
		`function invoke: ${UUID}`,
	);
});

test.each([
	[{ eventId: 'conversational_command' }, 'event invoke: conversational_command'],
	[{ eventId: 'custom', customEventId: 'my_event' }, 'event invoke: my_event'],
])('Event → Invoke names the event', (parameters, expected) => {
	expect(subtitle({ resource: 'event', operation: 'invoke', ...parameters })).toBe(expected);
});

test('Get Many says what it does and nothing more', () => {
	expect(subtitle({ resource: 'function', operation: 'getMany' })).toBe('function getMany');
});

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { randomUUID } from 'crypto';

import { requireHost } from '../../protocol/discovery';
import { buildIsImplementedRequest, readIsImplemented } from '../../protocol/events';
import type { FaasSession } from '../../transport/session';
import type { InvocationOptions } from '../shared/invocation';
import { platformFor, sendWithRetries } from '../shared/invocation';
import { runForEachItem } from '../shared/runItems';
import { eventIdProperties, readEventId } from './eventId';

const show = { resource: ['event'], operation: ['isImplemented'] };

export const description: INodeProperties[] = [
	...eventIdProperties(show),
	{
		displayName: 'Skill ID',
		name: 'skillId',
		type: 'string',
		default: '',
		description: 'Ask for the functions bound to this skill only',
		displayOptions: { show },
	},
];

async function isImplementedItem(this: IExecuteFunctions, session: FaasSession, itemIndex: number): Promise<INodeExecutionData[]> {
	const eventId = readEventId.call(this, itemIndex);
	const skillId = String(this.getNodeParameter('skillId', itemIndex, '') ?? '').trim();
	const gatewayHost = requireHost(session.hosts, 'faasGW');
	// A question, not an invocation: safe to ask again whatever went wrong.
	const options: InvocationOptions = { retryWhenMayHaveRun: true };
	const requestId = randomUUID();
	const request = buildIsImplementedRequest({
		accountId: session.accountId,
		gatewayHost,
		platform: platformFor(gatewayHost, options),
		eventId,
		skillId: skillId || undefined,
		requestId,
		timeoutMs: 35000,
	});
	const { value } = await sendWithRetries(this, session, request, { options, requestId, target: `the LivePerson Functions gateway at ${gatewayHost}` }, readIsImplemented);
	// Asked anew every execution: whether an event is implemented changes when functions are deployed.
	return [{ json: { eventId, skillId: skillId || null, implemented: value }, pairedItem: { item: itemIndex } }];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runForEachItem.call(this, 5, (session, itemIndex) => isImplementedItem.call(this, session, itemIndex));
}

import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { requireHost } from '../protocol/discovery';
import { detectPlatform } from '../protocol/invoke';
import { buildListFunctionsRequest, readFunctionList } from '../protocol/listing';
import { asLivePersonError } from '../transport/errorMapping';
import { openSession } from '../transport/session';

const hint = (why: string): INodeListSearchResult => ({
	results: [{ name: `${why}: switch to "By ID" and paste the function UUID`, value: '' }],
});

/**
 * The function picker. A token that may not list functions (401/403, typical for client
 * credentials) or an account without a Functions UI host gives one hint instead of an error.
 */
export async function searchFunctions(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const session = await openSession(this);
	const uiHost = session.hosts.faasUI;
	if (!uiHost) return hint('No Functions UI host is known for this credential');
	const request = buildListFunctionsRequest({
		accountId: session.accountId,
		uiHost,
		platform: detectPlatform(requireHost(session.hosts, 'faasGW')),
		states: ['Productive'],
		name: filter || undefined,
	});
	const target = 'the LivePerson Functions UI';
	const response = await session.http(request).catch((error: unknown) => {
		throw asLivePersonError(error, 'listing', target);
	});
	try {
		const wanted = (filter ?? '').toLowerCase();
		const results = readFunctionList(response)
			.filter((fn) => wanted === '' || fn.name.toLowerCase().includes(wanted) || fn.uuid.includes(wanted))
			.map((fn) => ({ name: fn.name, value: fn.uuid, description: fn.description }));
		return { results };
	} catch (error) {
		const lp = asLivePersonError(error, 'listing', target);
		if (lp.kind === 'auth') return hint('This credential may not list functions');
		throw lp;
	}
}

import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { LivePersonCallError } from '../protocol/client';
import { findLivePersonError } from '../protocol/errors';
import { openLivePersonClient } from '../transport/openClient';

const hint = (why: string): INodeListSearchResult => ({
	results: [{ name: `${why}: switch to "By ID" and paste the function UUID`, value: '' }],
});

/**
 * The function picker: deployed functions whose name contains the search text. A token that may
 * not list functions (401/403, typical for client credentials) or an account without a Functions
 * UI host gives one hint instead of an error.
 */
export async function searchFunctions(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await openLivePersonClient(this);
	if (!client.canListFunctions()) return hint('No Functions UI host is known for this credential');
	try {
		const { value } = await client.listFunctions(
			{ states: ['Productive'], nameContains: filter },
			{ retry: false },
		);
		return {
			results: value.map((fn) => ({
				name: fn.name,
				value: fn.functionId,
				// What the list shows under the name: the function's description, its state and its event.
				description: [fn.description, fn.state, fn.eventId && `event ${fn.eventId}`]
					.filter((part) => part)
					.join(' · '),
			})),
		};
	} catch (error) {
		const reason = error instanceof LivePersonCallError ? error.reason : error;
		const refused = findLivePersonError(reason);
		// The listing itself refused (not the credential's own token step): the token may invoke, not list.
		if (refused?.kind === 'auth' && refused.step === 'listing')
			return hint('This credential may not list functions');
		throw reason;
	}
}

import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { LivePersonCallError } from '../protocol/client';
import { findLivePersonError } from '../protocol/errors';
import { openLivePersonClient } from '../transport/openClient';

const BY_ID_ADVICE =
	'Switch Function to "By ID" and paste the function\'s UUID (shown on its "Invoke your Function" page in LivePerson Functions), or use the LivePerson Functions OAuth2 API credential, whose user may list functions.';

/**
 * Why the picker has nothing to list. An error, not a list entry: the editor shows its message and
 * the advice in full (a notice under "Could not load list"), and offers nothing to click that would
 * replace a function already chosen. Only a NodeApiError reaches the editor with its description.
 */
function cannotList(
	context: ILoadOptionsFunctions,
	message: string,
	httpStatus?: number,
): NodeApiError {
	return new NodeApiError(
		context.getNode(),
		{ message },
		{
			message,
			description: BY_ID_ADVICE,
			httpCode: httpStatus === undefined ? undefined : String(httpStatus),
		},
	);
}

/**
 * The function picker: deployed functions whose name contains the search text. A token that may
 * not list functions (401/403, typical for client credentials) or an account without a Functions
 * UI host gives an error that says so and points to "By ID".
 */
export async function searchFunctions(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await openLivePersonClient(this);
	if (!client.canListFunctions())
		throw cannotList(this, 'No Functions UI host is known for this credential');
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
			throw cannotList(this, 'This credential may not list functions', refused.httpStatus);
		throw reason;
	}
}

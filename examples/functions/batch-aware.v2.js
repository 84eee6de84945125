// A batch-aware LivePerson function (V2), for the n8n LivePerson Function node's Batching option.
// On V2 one instance serves the whole batch: items run one after another here, so a slow item
// delays the rest, and the whole batch shares the function's 30 s.
async function lambda(input, callback) {
	const isBatch = (input.headers || []).some(
		(header) => String(header.key).toLowerCase() === 'x-n8n-batch',
	);
	if (!isBatch) {
		// One item, as the node sends it without Batching.
		try {
			callback(null, await handleItem(input.payload));
		} catch (error) {
			callback(error, null);
		}
		return;
	}
	// A batch: one element per item, in order; a failing item fails alone.
	const results = [];
	for (const payload of input.payload.items) {
		try {
			results.push({ result: await handleItem(payload) });
		} catch (error) {
			results.push({ error: { message: error.message } });
		}
	}
	callback(null, results);
}

// Your per-item work (it may await other services): return the item's result, or throw to fail
// this item only.
async function handleItem(payload) {
	if (!payload || typeof payload.name !== 'string' || payload.name === '') {
		throw new Error('payload.name is missing');
	}
	return { greeting: `Hello, ${payload.name}!` };
}

// A batch-aware LivePerson function (V1), for the n8n LivePerson Function node's Batching option.
// Paste it into the Functions UI and replace handleItem with your own per-item work.
function lambda(input, callback) {
	const isBatch = (input.headers || []).some(
		(header) => String(header.key).toLowerCase() === 'x-n8n-batch',
	);
	if (!isBatch) {
		// One item, as the node sends it without Batching.
		try {
			callback(null, handleItem(input.payload));
		} catch (error) {
			callback(error, null);
		}
		return;
	}
	// A batch: one element per item, in order; a failing item fails alone.
	const results = input.payload.items.map((payload) => {
		try {
			return { result: handleItem(payload) };
		} catch (error) {
			return { error: { message: error.message } };
		}
	});
	callback(null, results);
}

// Your per-item work: return the item's result, or throw to fail this item only.
function handleItem(payload) {
	if (!payload || typeof payload.name !== 'string' || payload.name === '') {
		throw new Error('payload.name is missing');
	}
	return { greeting: `Hello, ${payload.name}!` };
}

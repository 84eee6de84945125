'use strict';

const { mapWithConcurrency } = require('../../../../nodes/LivePersonFunction/protocol/pool');

/** Tasks that finish only when the test releases them, so the order of completion is chosen here. */
function gatedTasks() {
	const gates = new Map();
	let running = 0;
	let peak = 0;
	const task = (index) =>
		new Promise((resolve, reject) => {
			running++;
			peak = Math.max(peak, running);
			gates.set(index, {
				ok: () => {
					running--;
					resolve(`r${index}`);
				},
				fail: () => {
					running--;
					reject(new Error(`e${index}`));
				},
			});
		});
	return { task, gates, peak: () => peak, running: () => running };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('keeps at most `limit` running and returns results in index order', async () => {
	const { task, gates, peak } = gatedTasks();
	const done = mapWithConcurrency(6, 2, task);
	await tick();
	expect([...gates.keys()]).toEqual([0, 1]);
	gates.get(1).ok();
	await tick();
	expect([...gates.keys()]).toEqual([0, 1, 2]);
	gates.get(2).fail();
	await tick();
	for (const index of [3, 0, 4, 5]) {
		await tick();
		gates.get(index).ok();
	}
	const results = await done;
	expect(peak()).toBe(2);
	expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason.message))).toEqual([
		'r0',
		'r1',
		'e2',
		'r3',
		'r4',
		'r5',
	]);
});

test('a limit of 1 is strictly sequential; no items gives no results', async () => {
	const order = [];
	await mapWithConcurrency(3, 1, async (index) => {
		order.push(`start ${index}`);
		await tick();
		order.push(`end ${index}`);
	});
	expect(order).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
	expect(await mapWithConcurrency(0, 5, async () => 1)).toEqual([]);
});

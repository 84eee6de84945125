interface Entry<V> {
	pending?: Promise<V>;
	value?: V;
	at: number;
}

interface Store<K, V> {
	get(key: K): Entry<V> | undefined;
	set(key: K, entry: Entry<V>): unknown;
	delete(key: K): boolean;
}

/**
 * One producer at a time per key: concurrent callers share the pending answer, and a settled
 * answer is handed out again while `reusable` accepts it. A failure is forgotten, so the next
 * caller tries again. A Map store keeps at most `maxKeys` keys (the oldest go first), so
 * credentials changed or deleted long ago do not stay in memory.
 */
export class SingleFlight<K, V> {
	constructor(
		private readonly store: Store<K, V>,
		private readonly maxKeys = 100,
	) {}

	/** The last settled answer for a key, if any. */
	settled(key: K): V | undefined {
		return this.store.get(key)?.value;
	}

	async run(
		key: K,
		now: number,
		reusable: (value: V, at: number) => boolean,
		produce: () => Promise<V>,
	): Promise<V> {
		const entry = this.store.get(key);
		if (entry?.pending) return await entry.pending;
		if (entry?.value !== undefined && reusable(entry.value, entry.at)) return entry.value;
		const pending = produce();
		this.store.set(key, { pending, at: now });
		this.evictOldest();
		// Settled before any caller resumes: these handlers are attached first.
		pending.then(
			(value) => this.store.set(key, { value, at: now }),
			() => this.store.get(key)?.pending === pending && this.store.delete(key),
		);
		return await pending;
	}

	private evictOldest(): void {
		if (!(this.store instanceof Map)) return;
		for (const key of this.store.keys()) {
			if (this.store.size <= this.maxKeys) return;
			this.store.delete(key);
		}
	}
}

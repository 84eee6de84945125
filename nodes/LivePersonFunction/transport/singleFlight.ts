interface Entry<V> {
	pending?: Promise<V>;
	value?: V;
	failure?: { error: unknown };
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
 * caller tries again, unless `failureReuseMs` is set: then it is the answer for that long. A Map store keeps at most `maxKeys` keys (the oldest go first), so
 * credentials changed or deleted long ago do not stay in memory. Every producer's requests have a
 * time limit; should one still not settle, callers stop joining it after `settleDeadlineMs` and
 * produce anew, so no caller waits on it forever.
 */
export class SingleFlight<K, V> {
	constructor(
		private readonly store: Store<K, V>,
		private readonly maxKeys = 100,
		private readonly settleDeadlineMs = 120_000,
		private readonly failureReuseMs = 0,
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
		if (entry?.pending && now - entry.at < this.settleDeadlineMs) return await entry.pending;
		if (entry?.value !== undefined && reusable(entry.value, entry.at)) return entry.value;
		if (entry?.failure && now - entry.at < this.failureReuseMs) throw entry.failure.error;
		const pending = produce();
		this.store.set(key, { pending, at: now });
		this.evictOldest();
		// Settled before any caller resumes: these handlers are attached first.
		const current = () => this.store.get(key)?.pending === pending;
		pending.then(
			(value) => current() && this.store.set(key, { value, at: now }),
			(error: unknown) => {
				if (!current()) return;
				if (this.failureReuseMs > 0) this.store.set(key, { failure: { error }, at: now });
				else this.store.delete(key);
			},
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

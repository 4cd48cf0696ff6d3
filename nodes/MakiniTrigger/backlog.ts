/**
 * Backpressure on n8n's database: how many deliveries this process accepted whose
 * ledger write n8n has not yet saved.
 *
 * Why: n8n writes two rows per accepted delivery, the execution and the workflow's
 * static data. On SQLite every write waits for the one write lock, and a write still
 * waiting after 60 s fails (LockAcquireTimeoutError). Before n8n 2.8 n8n answers before
 * it writes the execution, so such a failure loses a delivery already answered 200
 * (Makini never retries a 200); from 2.8 it answers after, and a failure is a 500 that
 * Makini retries, but a sender faster than those writes still grows the queue in front
 * of the lock without bound.
 *
 * The signal: every accepted delivery writes the ledger under a write name
 * (`<process>.<n>`, deliveryStore.ts) and n8n saves it with its answer; each later
 * request reads static data back from the database. A write name of this process seen
 * there means that write, and every earlier one, is
 * saved, and their executions are next in line. While the oldest write not yet seen
 * saved is older than `maxAgeMs` (n8n's writes wait that long: the queue is deep), or more
 * than `limit` are unseen, a new delivery is answered 503 + Retry-After (nothing
 * remembered, nothing started): Makini retries it later. The wait in front of the write
 * lock stays near `maxAgeMs`, far from 60 s.
 *
 * A write may never be seen: another webhook process (queue mode) saved its own ledger
 * over it, or n8n failed to save it. After `staleMs` it no longer counts, so the trigger
 * never refuses forever.
 */

/** Accepted deliveries whose ledger write is not yet seen saved, at most, per trigger node and process. */
export const BACKLOG_LIMIT = 64;
/** How long n8n may take to save a write before new deliveries wait (a sixth of its 60 s lock timeout). */
export const BACKLOG_MAX_AGE_MS = 10_000;
/** After this long an unseen write no longer counts (half of n8n's 60 s SQLite lock timeout). */
export const BACKLOG_STALE_MS = 30_000;
/** Makini's own first retry comes after 30 s (CONTRACT.md): asking for less changes nothing. */
export const BACKLOG_RETRY_AFTER_S = 30;

export class WriteBacklog {
	/** Write number → when it was handed to n8n (ms), oldest first. */
	private readonly unsaved = new Map<number, number>();

	constructor(
		private readonly limit = BACKLOG_LIMIT,
		private readonly staleMs = BACKLOG_STALE_MS,
		private readonly maxAgeMs = BACKLOG_MAX_AGE_MS,
	) {}

	/** A ledger write handed to n8n to save with this delivery. */
	handed(write: number, now: number): void {
		this.unsaved.set(write, now);
	}

	/** Static data read back held write `write` of this process: it and every earlier one are saved. */
	saved(write: number): void {
		for (const n of this.unsaved.keys()) {
			if (n > write) break;
			this.unsaved.delete(n);
		}
	}

	/** Accepted deliveries whose write is not yet seen saved (stale ones dropped). */
	pending(now: number): number {
		for (const [n, at] of this.unsaved) {
			if (now - at < this.staleMs) break;
			this.unsaved.delete(n);
		}
		return this.unsaved.size;
	}

	/** Whether a new delivery must wait: n8n is slow to save this node's deliveries, or has too many still to save. */
	full(now: number): boolean {
		if (this.pending(now) >= this.limit) return true;
		const oldest = this.unsaved.values().next();
		return !oldest.done && now - oldest.value >= this.maxAgeMs;
	}
}

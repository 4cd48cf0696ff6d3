/**
 * What the sandbox served: requests per method + path template and status, writes
 * applied (so a test can prove a create was not applied twice), injected failures and
 * rate-limited answers.
 */

export interface StatsSnapshot {
	/** "GET /api/eam/work-orders" → { "200": 3, "429": 1 }. */
	requests: Record<string, Record<string, number>>;
	totalRequests: number;
	/** Creates and updates applied by API calls (admin data changes not included). */
	writes: { creates: number; updates: number; byOperation: Record<string, number> };
	/** Keys of records created through the API, in order. */
	createdKeys: string[];
	injectedFailures: { total: number; byKind: Record<string, number> };
	rateLimited: number;
}

export class Stats {
	private data: StatsSnapshot = Stats.empty();

	private static empty(): StatsSnapshot {
		return {
			requests: {},
			totalRequests: 0,
			writes: { creates: 0, updates: 0, byOperation: {} },
			createdKeys: [],
			injectedFailures: { total: 0, byKind: {} },
			rateLimited: 0,
		};
	}

	request(method: string, template: string, status: number): void {
		const name = `${method} ${template}`;
		const byStatus = (this.data.requests[name] ??= {});
		byStatus[status] = (byStatus[status] ?? 0) + 1;
		this.data.totalRequests++;
	}

	write(kind: 'create' | 'update', method: string, template: string, key?: string): void {
		if (kind === 'create') {
			this.data.writes.creates++;
			if (key) this.data.createdKeys.push(key);
		} else {
			this.data.writes.updates++;
		}
		const name = `${method} ${template}`;
		this.data.writes.byOperation[name] = (this.data.writes.byOperation[name] ?? 0) + 1;
	}

	injected(kind: string): void {
		this.data.injectedFailures.total++;
		this.data.injectedFailures.byKind[kind] = (this.data.injectedFailures.byKind[kind] ?? 0) + 1;
	}

	rateLimited(): void {
		this.data.rateLimited++;
	}

	/** A deep copy, safe to keep and compare. */
	snapshot(): StatsSnapshot {
		return structuredClone(this.data);
	}

	reset(): void {
		this.data = Stats.empty();
	}
}

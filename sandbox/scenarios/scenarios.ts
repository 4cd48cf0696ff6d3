/**
 * Failure scenarios a test can switch on: offline, latency, and injected failures
 * (a status or a reset socket) for the next N matching calls or at a rate drawn from a
 * seeded PRNG, before the request is handled or after it was applied.
 */
import { Prng } from '../util/prng';

export type OfflineMode = 'refuse' | 'unavailable';

export const INJECTABLE_STATUSES = [429, 500, 502, 503, 504] as const;
export type InjectableStatus = (typeof INJECTABLE_STATUSES)[number];

export interface RequestMatch {
	/** Only this HTTP method (any when absent). */
	method?: string;
	/** A path prefix (/api/eam/work-orders) or a documented template (/api/eam/work-orders/{key}). */
	path?: string;
}

export interface LatencyRule extends RequestMatch {
	ms: number;
	/** Only the next N matching calls (all when absent). */
	calls?: number;
	/** Or each matching call with this probability (0..1): slow answers now and then. */
	rate?: number;
}

export interface FailureRule extends RequestMatch {
	/** Answer with this status... */
	status?: InjectableStatus;
	/** ...or destroy the socket without an answer. */
	reset?: boolean;
	/** The next N matching calls (default 1 unless a rate is given). */
	times?: number;
	/** Or each matching call with this probability (0..1). */
	rate?: number;
	/** 'before' (default): the request is not applied. 'after': applied, then the answer is lost. */
	phase?: 'before' | 'after';
	/** Seconds for Retry-After: on an injected 429 (default 1), or on any other status when given. */
	retryAfter?: number;
}

interface ActiveFailure extends FailureRule {
	id: number;
	remaining?: number;
}

interface ActiveLatency extends LatencyRule {
	remaining?: number;
}

function matches(rule: RequestMatch, method: string, path: string, template?: string): boolean {
	if (rule.method && rule.method.toUpperCase() !== method) return false;
	if (!rule.path) return true;
	if (rule.path.includes('{')) return rule.path === template;
	return path === rule.path || path.startsWith(rule.path.endsWith('/') ? rule.path : `${rule.path}/`) || path.startsWith(`${rule.path}?`);
}

export class Scenarios {
	offline: OfflineMode | undefined;
	private latencies: ActiveLatency[] = [];
	private failures: ActiveFailure[] = [];
	private nextId = 1;
	private prng: Prng;

	constructor(private readonly seed: number) {
		this.prng = new Prng(`${seed}:scenarios`);
	}

	addLatency(rule: LatencyRule): void {
		if (!(rule.ms >= 0)) throw new Error('latency ms must be a non-negative number');
		if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new Error('rate must be between 0 and 1');
		this.latencies.push({ ...rule, remaining: rule.calls });
	}

	addFailure(rule: FailureRule): number {
		if (!rule.reset && !INJECTABLE_STATUSES.includes(rule.status as InjectableStatus)) {
			throw new Error(`status must be one of ${INJECTABLE_STATUSES.join(', ')}, or reset must be true`);
		}
		if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new Error('rate must be between 0 and 1');
		const id = this.nextId++;
		const remaining = rule.rate === undefined ? (rule.times ?? 1) : rule.times;
		this.failures.push({ ...rule, id, remaining });
		return id;
	}

	/** Total latency to add to this call (consumes counted rules). */
	latencyFor(method: string, path: string, template?: string): number {
		let total = 0;
		for (const rule of this.latencies) {
			if (rule.remaining === 0 || !matches(rule, method, path, template)) continue;
			if (rule.rate !== undefined && !this.prng.chance(rule.rate)) continue;
			total += rule.ms;
			if (rule.remaining !== undefined) rule.remaining--;
		}
		this.latencies = this.latencies.filter((rule) => rule.remaining !== 0);
		return total;
	}

	/** The failure to serve for this call in this phase, if any (consumes it). */
	failureFor(method: string, path: string, template: string | undefined, phase: 'before' | 'after'): FailureRule | undefined {
		for (const rule of this.failures) {
			if ((rule.phase ?? 'before') !== phase || rule.remaining === 0) continue;
			if (!matches(rule, method, path, template)) continue;
			if (rule.rate !== undefined && !this.prng.chance(rule.rate)) continue;
			if (rule.remaining !== undefined) rule.remaining--;
			this.failures = this.failures.filter((r) => r.remaining !== 0);
			return rule;
		}
		return undefined;
	}

	/** Whether failures are still pending (e.g. to assert a test consumed them). */
	pendingFailures(): number {
		return this.failures.length;
	}

	reset(): void {
		this.offline = undefined;
		this.latencies = [];
		this.failures = [];
		this.prng = new Prng(`${this.seed}:scenarios`);
	}
}

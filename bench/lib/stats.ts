/** Summaries of repeated measurements: median and spread. */

export interface Summary {
	n: number;
	median: number;
	min: number;
	max: number;
	p10: number;
	p90: number;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: readonly number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: readonly number[]): Summary {
	return {
		n: values.length,
		median: median(values),
		min: values.length ? Math.min(...values) : NaN,
		max: values.length ? Math.max(...values) : NaN,
		p10: percentile(values, 10),
		p90: percentile(values, 90),
	};
}

/** "12.3 (11.9–12.8)": median and min–max, with `digits` decimals. */
export function formatSummary(summary: Summary, digits = 1): string {
	if (!Number.isFinite(summary.median)) return 'n/a';
	const f = (value: number) => value.toFixed(digits);
	return summary.n > 1 ? `${f(summary.median)} (${f(summary.min)}–${f(summary.max)})` : f(summary.median);
}

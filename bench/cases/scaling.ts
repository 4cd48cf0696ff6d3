/**
 * Case 5, scaling: wall time, n8n CPU and n8n's peak memory of Get Many (Return All)
 * over 1k, 10k and 50k work orders, next to HTTP Request (paginated) for scale. Reuses
 * the bulk read's runs for the sizes it measured.
 */
import { formatSummary, summarize } from '../lib/stats';
import type { Table } from '../lib/table';
import { BULK_LABELS, measureBulk, type BulkRun, type BulkSide } from './bulk';
import type { BenchContext, CaseResult } from './types';

export async function runScaling(ctx: BenchContext): Promise<CaseResult> {
	const sizes = ctx.args.quick ? [1_000, 10_000] : [1_000, 10_000, 50_000];
	const sides: BulkSide[] = ['makini', 'http'];
	const fromBulk = ((ctx.results.get('bulk')?.data as { runs?: BulkRun[] } | undefined)?.runs ?? []).filter(
		(r) => sides.includes(r.side) && r.latencyMs === 0,
	);
	const missing = sizes.filter((size) => !fromBulk.some((r) => r.records === size));
	const measured = missing.length ? await measureBulk(ctx, missing.map((records) => ({ records })), sides, ctx.args.rounds) : [];
	const runs = [...fromBulk, ...measured];
	const rows: string[][] = [];
	for (const side of sides) {
		for (const records of sizes) {
			const r = runs.filter((x) => x.side === side && x.records === records);
			if (!r.length) continue;
			const wall = summarize(r.map((x) => x.wallMs / 1000));
			rows.push([
				BULK_LABELS[side],
				String(records),
				String(r[0].requests),
				formatSummary(wall, 2),
				((wall.median / records) * 1e6).toFixed(0),
				formatSummary(summarize(r.map((x) => x.cpuMs / 1000)), 1),
				formatSummary(summarize(r.map((x) => x.peakMb)), 0),
				summarize(r.map((x) => x.peakMb - x.beforeMb)).median.toFixed(0),
			]);
		}
	}
	const table: Table = {
		title: 'Scaling: Return All over 1k, 10k, 50k work orders',
		header: ['workflow', 'records', 'requests', 'wall time (s)', 'µs / record', 'n8n CPU (s)', 'n8n peak RSS (MB)', 'peak over RSS before (MB)'],
		rows,
		notes: ['median (min–max) over rounds; the execution (all records) is kept in memory and saved by n8n, which is what grows with N.'],
	};
	return { name: 'scaling', tables: [table], targets: [], data: { sizes, runs } };
}

/**
 * Case 2, verification cost: the trigger's verifier (nodes/MakiniTrigger/signature.ts)
 * on 1 KB, 10 KB and 100 KB bodies against one raw HMAC-SHA256 over the same bytes
 * (the floor: the verifier must compute at least that). In process, no n8n.
 */
import { createHmac } from 'node:crypto';

import { verifySignature } from '../../nodes/MakiniTrigger/signature';
import { payloadOfSize, sign } from '../lib/payloads';
import { summarize, formatSummary, type Summary } from '../lib/stats';
import { verdict, type Table } from '../lib/table';
import type { BenchContext, CaseResult } from './types';

const SIZES = [1024, 10 * 1024, 100 * 1024];
const TARGET_US_10KB = 20;

/** Nanoseconds per call of `fn`, over one batch of `iterations`. */
function nsPerOp(fn: () => unknown, iterations: number): number {
	const start = process.hrtime.bigint();
	for (let i = 0; i < iterations; i++) fn();
	return Number(process.hrtime.bigint() - start) / iterations;
}

/** Enough iterations for a batch of about `ms` milliseconds. */
function calibrate(fn: () => unknown, ms: number): number {
	let iterations = 100;
	for (;;) {
		const ns = nsPerOp(fn, iterations) * iterations;
		if (ns > 20e6) return Math.max(100, Math.round((iterations * ms * 1e6) / ns));
		iterations *= 4;
	}
}

export async function runVerify(ctx: BenchContext): Promise<CaseResult> {
	const secret = 'whsec_bench_0123456789abcdef0123456789';
	const batches = ctx.args.quick ? 5 : 15;
	const batchMs = ctx.args.quick ? 40 : 80;
	const rows: Array<{ bytes: number; verifier: Summary; hmac: Summary; ratio: number; overheadUs: number }> = [];

	for (const bytes of SIZES) {
		const body = payloadOfSize(bytes);
		const header = sign(secret, body);
		const verifier = () => {
			const result = verifySignature({ header, rawBody: body, secrets: [secret, undefined] });
			if (!result.ok) throw new Error('the benchmark body did not verify');
			return result;
		};
		const hmac = () => createHmac('sha256', secret).update(body).digest();
		// Warm up both (JIT, crypto contexts), then size the batches.
		for (let i = 0; i < 2000; i++) {
			verifier();
			hmac();
		}
		const iterations = calibrate(verifier, batchMs);
		const v: number[] = [];
		const h: number[] = [];
		for (let round = 0; round < ctx.args.rounds; round++) {
			for (let b = 0; b < batches; b++) {
				// Alternating, so both see the same noise from the other jobs on the machine.
				if ((round + b) % 2 === 0) {
					v.push(nsPerOp(verifier, iterations));
					h.push(nsPerOp(hmac, iterations));
				} else {
					h.push(nsPerOp(hmac, iterations));
					v.push(nsPerOp(verifier, iterations));
				}
			}
			await new Promise((resolve) => setImmediate(resolve));
		}
		const verifierUs = summarize(v.map((ns) => ns / 1000));
		const hmacUs = summarize(h.map((ns) => ns / 1000));
		rows.push({
			bytes: body.length,
			verifier: verifierUs,
			hmac: hmacUs,
			ratio: verifierUs.median / hmacUs.median,
			overheadUs: verifierUs.median - hmacUs.median,
		});
		ctx.log(`verify ${body.length} B: verifier ${formatSummary(verifierUs, 2)} µs, HMAC ${formatSummary(hmacUs, 2)} µs`);
	}

	const tenKb = rows[1];
	const met = tenKb.verifier.median < TARGET_US_10KB;
	const table: Table = {
		title: 'Verification cost (µs per delivery, median (min–max) of batches)',
		header: ['body', 'verifier', 'raw HMAC-SHA256 (floor)', 'verifier / floor', 'target'],
		rows: rows.map((row, i) => [
			`${(row.bytes / 1024).toFixed(0)} KB`,
			formatSummary(row.verifier, 2),
			formatSummary(row.hmac, 2),
			row.ratio.toFixed(2),
			i === 1 ? `< ${TARGET_US_10KB} µs: ${verdict(met)}` : '',
		]),
		notes: [`${batches} batches × ${ctx.args.rounds} round(s) per size, batches of ~${batchMs} ms, after a warm-up.`],
	};
	return {
		name: 'verify',
		tables: [table],
		targets: [{ name: 'verifier on 10 KB < 20 µs', value: tenKb.verifier.median, target: `< ${TARGET_US_10KB} µs`, met }],
		data: { rows },
	};
}

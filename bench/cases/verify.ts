/**
 * Case 2, verification cost: the trigger's verifier (nodes/MakiniTrigger/signature.ts)
 * on 1 KB, 10 KB and 100 KB bodies against one raw HMAC-SHA256 over the same bytes
 * (the floor: the verifier must compute at least that), each with a valid and a forged
 * signature (refusing a forged delivery must not cost a parse). In process, no n8n.
 */
import { createHmac } from 'node:crypto';

import { verifySignature } from '../../nodes/MakiniTrigger/signature';
import { payloadOfSize, sign } from '../lib/payloads';
import { summarize, formatSummary, type Summary } from '../lib/stats';
import { verdict, type Table } from '../lib/table';
import type { BenchContext, CaseResult } from './types';

const SIZES = [1024, 10 * 1024, 100 * 1024];
const TARGET_US_10KB = 20;
/** Refusing a forged compact delivery: about one HMAC, as the floor; parsing the body would be 5–9×. */
const TARGET_FORGED_RATIO = 1.5;

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

type Op = () => unknown;

/** Alternating batches of `a` and `b` (so both see the same noise): µs per call of each, and the ratio of each pair. */
async function compare(a: Op, b: Op, rounds: number, batches: number, batchMs: number): Promise<{ a: Summary; b: Summary; ratio: Summary }> {
	// Warm up both (JIT, crypto contexts), then size the batches.
	for (let i = 0; i < 2000; i++) {
		a();
		b();
	}
	const iterations = calibrate(a, batchMs);
	const as: number[] = [];
	const bs: number[] = [];
	for (let round = 0; round < rounds; round++) {
		for (let batch = 0; batch < batches; batch++) {
			if ((round + batch) % 2 === 0) {
				as.push(nsPerOp(a, iterations));
				bs.push(nsPerOp(b, iterations));
			} else {
				bs.push(nsPerOp(b, iterations));
				as.push(nsPerOp(a, iterations));
			}
		}
		await new Promise((resolve) => setImmediate(resolve));
	}
	return {
		a: summarize(as.map((ns) => ns / 1000)),
		b: summarize(bs.map((ns) => ns / 1000)),
		ratio: summarize(as.map((ns, i) => ns / bs[i])),
	};
}

interface Row {
	label: string;
	bytes: number;
	kind: 'valid' | 'forged';
	verifier: Summary;
	hmac: Summary;
	ratio: Summary;
}

export async function runVerify(ctx: BenchContext): Promise<CaseResult> {
	const secret = 'whsec_bench_0123456789abcdef0123456789';
	const batches = ctx.args.quick ? 5 : 15;
	const batchMs = ctx.args.quick ? 40 : 80;
	const rows: Row[] = [];
	const measure = async (label: string, kind: Row['kind'], body: Buffer, header: string) => {
		const expectOk = kind === 'valid';
		const verifier = () => {
			const result = verifySignature({ header, rawBody: body, loadPayload: () => JSON.parse(body.toString('utf8')) as unknown, secrets: [secret, undefined] });
			if (result.ok !== expectOk) throw new Error(`the benchmark's ${kind} body ${result.ok ? 'verified' : 'was refused'}`);
			return result;
		};
		// The floor: the verifier must compute at least one HMAC over the bytes received.
		const hmac = () => createHmac('sha256', secret).update(body).digest();
		const { a, b, ratio } = await compare(verifier, hmac, ctx.args.rounds, batches, batchMs);
		rows.push({ label, bytes: body.length, kind, verifier: a, hmac: b, ratio });
		ctx.log(`verify ${label} (${body.length} B, ${kind}): verifier ${formatSummary(a, 2)} µs, HMAC ${formatSummary(b, 2)} µs, ratio ${formatSummary(ratio, 2)}`);
	};
	for (const bytes of SIZES) {
		const body = payloadOfSize(bytes);
		await measure(`${bytes / 1024} KB`, 'valid', body, sign(secret, body));
		// Signed with another secret: what refusing a forged delivery costs.
		await measure(`${bytes / 1024} KB`, 'forged', body, sign('not the secret', body));
	}
	// A pretty-printed body may be the documented form of what was signed: the one case that parses.
	const pretty = Buffer.from(JSON.stringify(JSON.parse(payloadOfSize(SIZES[1]).toString('utf8')), null, 2));
	await measure('10 KB, pretty-printed', 'forged', pretty, sign('not the secret', pretty));

	const valid10 = rows.find((r) => r.kind === 'valid' && r.bytes >= SIZES[1] && r.bytes < SIZES[2])!;
	const forged10 = rows.find((r) => r.kind === 'forged' && r.label === '10 KB')!;
	const met = valid10.verifier.median < TARGET_US_10KB;
	const forgedMet = forged10.ratio.median <= TARGET_FORGED_RATIO;
	const table: Table = {
		title: 'Verification cost (µs per delivery, median (min–max) of batches)',
		header: ['body', 'signature', 'verifier', 'raw HMAC-SHA256 (floor)', 'verifier / floor', 'target'],
		rows: rows.map((row) => [
			row.label,
			row.kind === 'valid' ? 'valid' : 'forged (refused)',
			formatSummary(row.verifier, 2),
			formatSummary(row.hmac, 2),
			formatSummary(row.ratio, 2),
			row === valid10 ? `< ${TARGET_US_10KB} µs: ${verdict(met)}` : row === forged10 ? `ratio <= ${TARGET_FORGED_RATIO}: ${verdict(forgedMet)}` : '',
		]),
		notes: [
			`${batches} batches × ${ctx.args.rounds} round(s) per row, batches of ~${batchMs} ms, after a warm-up; the ratio is per pair of adjacent batches.`,
			'forged: signed with another secret. Compact JSON is its own re-serialisation, so it is refused after one HMAC; a pretty-printed body is parsed for the documented form (the fallback), which is what that row costs.',
		],
	};
	return {
		name: 'verify',
		tables: [table],
		targets: [
			{ name: 'verifier on 10 KB < 20 µs', value: valid10.verifier.median, range: [valid10.verifier.min, valid10.verifier.max], target: `< ${TARGET_US_10KB} µs`, met },
			{
				name: 'forged signature on 10 KB: verifier / raw HMAC',
				value: forged10.ratio.median,
				range: [forged10.ratio.min, forged10.ratio.max],
				target: `<= ${TARGET_FORGED_RATIO}`,
				met: forgedMet,
			},
		],
		data: { rows },
	};
}

import type { BenchContext, CaseResult } from './types';

export async function runRateLimit(_ctx: BenchContext): Promise<CaseResult> {
	throw new Error('todo');
}

import type { BenchContext, CaseResult } from './types';

export async function runBulk(_ctx: BenchContext): Promise<CaseResult> {
	throw new Error('todo');
}

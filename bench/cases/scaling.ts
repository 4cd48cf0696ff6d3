import type { BenchContext, CaseResult } from './types';

export async function runScaling(_ctx: BenchContext): Promise<CaseResult> {
	throw new Error('todo');
}

/** What every case gets and returns. */
import type { BenchArgs } from '../lib/args';
import type { BenchN8n } from '../lib/n8n';
import type { Table } from '../lib/table';

export interface BenchContext {
	args: BenchArgs;
	log: (line: string) => void;
	/** Started on first use and shared by the cases that need n8n. */
	n8n: () => Promise<BenchN8n>;
	/** Results of cases already run (scaling reuses the bulk read's runs). */
	results: Map<string, CaseResult>;
}

export interface TargetCheck {
	name: string;
	value: number;
	target: string;
	met: boolean;
}

export interface CaseResult {
	name: string;
	tables: Table[];
	targets: TargetCheck[];
	data: unknown;
}

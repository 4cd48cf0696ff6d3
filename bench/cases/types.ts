/** What every case gets and returns. */
import type { BenchArgs } from '../lib/args';
import type { BenchN8n } from '../lib/n8n';
import type { Ports } from '../lib/ports';
import type { Table } from '../lib/table';

export interface BenchContext {
	args: BenchArgs;
	log: (line: string) => void;
	/** Started on first use and shared by the cases that need n8n. */
	n8n: () => Promise<BenchN8n>;
	/** Starts an n8n of a case's own (stop it before starting another). */
	ownN8n: (env?: Record<string, string>) => Promise<BenchN8n>;
	/** Ports for sandboxes and n8n (`--sandbox-port`, `--n8n-port`). */
	ports: Ports;
	/** Results of cases already run (scaling reuses the bulk read's runs). */
	results: Map<string, CaseResult>;
}

export interface TargetCheck {
	name: string;
	/** The median over rounds. */
	value: number;
	/** Min and max over rounds, where there were several. */
	range?: [number, number];
	target: string;
	met: boolean;
}

export interface CaseResult {
	name: string;
	tables: Table[];
	targets: TargetCheck[];
	data: unknown;
}

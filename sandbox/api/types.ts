/** A matched API call and its answer, independent of Node's request objects. */
import type { ContractOperation } from '../../nodes/shared/registry';
import type { Connection } from '../auth';
import type { ParsedBody } from '../http/io';
import type { SandboxState } from '../state';

export interface ApiCall {
	state: SandboxState;
	op: ContractOperation;
	method: string;
	path: string;
	params: Record<string, string>;
	query: URLSearchParams;
	body: unknown;
	files: ParsedBody['files'];
	/** The connection behind a connection token (absent for system calls). */
	connection?: Connection;
}

export interface ApiResult {
	status?: number;
	body: unknown;
	headers?: Record<string, string>;
	/** A write the call applied, for the stats. */
	write?: { kind: 'create' | 'update'; key?: string };
}

export type Handler = (call: ApiCall) => ApiResult;

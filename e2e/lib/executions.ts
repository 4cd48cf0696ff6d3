/**
 * What executed, with a bound on the wait: a test that expects N executions waits for
 * them, then keeps watching for a while so that an (N+1)th would be seen; a test that
 * expects none watches for that while only.
 */
import { FINISHED_STATUSES, type Execution, type N8nClient } from './client';

export interface SettleOptions {
	/** Finished executions to wait for (0: none). */
	count: number;
	/** How long to keep watching once they are there (absence is only proved for this long). */
	quietMs?: number;
	/** How long `count` may take to appear. */
	timeoutMs?: number;
	/** Only executions whose id is greater (those of earlier steps are left out). */
	afterId?: string;
}

const byId = (a: Execution, b: Execution) => Number(a.id) - Number(b.id);

/** The workflow's executions (with data), oldest first, optionally only those after an id. */
export async function listExecutions(client: N8nClient, workflowId: string, afterId?: string): Promise<Execution[]> {
	const all = await client.allExecutions({ workflowId, includeData: true });
	return all.filter((e) => afterId === undefined || Number(e.id) > Number(afterId)).sort(byId);
}

/**
 * Waits for `count` finished executions, then watches `quietMs` more, and returns every
 * execution seen (finished or not), oldest first: the caller asserts the exact number.
 */
export async function settledExecutions(client: N8nClient, workflowId: string, options: SettleOptions): Promise<Execution[]> {
	const { count, quietMs = 3000, timeoutMs = 60_000, afterId } = options;
	const deadline = Date.now() + timeoutMs;
	let executions = await listExecutions(client, workflowId, afterId);
	while (executions.filter((e) => FINISHED_STATUSES.has(e.status)).length < count) {
		if (Date.now() > deadline) {
			throw new Error(`${count} execution(s) of workflow ${workflowId} did not finish within ${timeoutMs} ms (saw ${executions.length})`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
		executions = await listExecutions(client, workflowId, afterId);
	}
	const quietUntil = Date.now() + quietMs;
	while (Date.now() < quietUntil) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		executions = await listExecutions(client, workflowId, afterId);
	}
	// Whatever started meanwhile must also be finished before its data is read.
	const finishBy = Date.now() + 30_000;
	while (executions.some((e) => !FINISHED_STATUSES.has(e.status)) && Date.now() < finishBy) {
		await new Promise((resolve) => setTimeout(resolve, 200));
		executions = await listExecutions(client, workflowId, afterId);
	}
	return executions;
}

/** The id of the newest execution of a workflow (to count only later ones), or '0'. */
export async function lastExecutionId(client: N8nClient, workflowId: string): Promise<string> {
	const executions = await listExecutions(client, workflowId);
	return executions.at(-1)?.id ?? '0';
}

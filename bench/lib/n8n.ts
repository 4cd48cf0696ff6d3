/** The n8n under test (2.x, from e2e/lib) and what the cases ask of it. */
import { buildPackage, isFinished, runRuntimeScript, startN8nWithOwner, N8nHttpError, type Execution, type N8nSession, type Workflow } from '../../e2e/lib';
import { findN8nPid } from './memory';

export interface BenchN8n extends N8nSession {
	/** The n8n node process (for memory readings). */
	pid: number;
}

let built = false;

/**
 * n8n 2.x with the package freshly built and installed; `env` adds to n8n's
 * configuration; `ports` (from --n8n-port) keeps it and its task broker to given ports.
 */
export async function startBenchN8n(
	log: (line: string) => void,
	env: Record<string, string> = {},
	ports: { port: number; brokerPort: number } = { port: 0, brokerPort: 0 },
	build = true,
): Promise<BenchN8n> {
	if (!build) built = true;
	if (!built) {
		// Cached per lockfile: links the installed runtime into a fresh clone in a moment.
		log('n8n runtime: install (cached)…');
		runRuntimeScript(['install'], 2);
		log('building the package…');
		buildPackage();
		built = true;
	}
	const extra = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
	log(`starting n8n 2.x${extra ? ` with ${extra}` : ''}…`);
	// Warnings only: n8n's per-execution info logs would be measured too.
	const broker: Record<string, string> = ports.brokerPort ? { N8N_RUNNERS_BROKER_PORT: String(ports.brokerPort) } : {};
	const session = await startN8nWithOwner({ major: 2, port: ports.port, env: { N8N_LOG_LEVEL: 'warn', ...broker, ...env } });
	try {
		const pid = findN8nPid(session.n8n.userFolder);
		log(`n8n ready in ${(session.n8n.startMs / 1000).toFixed(1)} s at ${session.n8n.url} (pid ${pid})`);
		return { ...session, pid };
	} catch (error) {
		await session.n8n.stop();
		throw error;
	}
}


/**
 * Polls one execution without its data (a 50k-record execution is tens of MB), so the
 * poll itself costs n8n little. The interval grows with the time waited (2 % of it,
 * 25–500 ms): the timing error stays about 2 % while a minute-long run is not polled
 * (each poll is an authenticated API call n8n spends CPU on) 1,000 times.
 */
export async function waitFinished(session: N8nSession, id: string, timeoutMs = 600_000): Promise<Execution> {
	const started = Date.now();
	const deadline = started + timeoutMs;
	for (;;) {
		const intervalMs = Math.min(500, Math.max(25, (Date.now() - started) / 50));
		try {
			const execution = await session.client.execution(id, false);
			if (isFinished(execution)) return execution;
		} catch (error) {
			// Not yet listed (404), or a poll that lost its connection to a busy n8n ("fetch failed"): poll again.
			const transient = error instanceof N8nHttpError ? error.status === 404 : error instanceof TypeError && error.message === 'fetch failed';
			if (!transient) throw error;
		}
		if (Date.now() > deadline) throw new Error(`Execution ${id} did not finish within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/** Runs a saved workflow from its manual trigger; resolves with the execution and the wall time to finished. */
export async function runAndTime(
	session: N8nSession,
	workflow: Workflow,
	triggerName: string,
): Promise<{ execution: Execution; wallMs: number }> {
	const started = performance.now();
	const id = await session.client.runManually(workflow, triggerName);
	const execution = await waitFinished(session, id);
	return { execution, wallMs: performance.now() - started };
}

/** Finished executions of a workflow, by status (pages through the public API). */
export async function countExecutions(session: N8nSession, workflowId: string): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const execution of await session.client.allExecutions({ workflowId, includeData: false })) {
		counts[execution.status] = (counts[execution.status] ?? 0) + 1;
	}
	return counts;
}

/** Waits until a workflow has `expected` finished executions, or the count stops growing. */
export async function waitForExecutionCount(
	session: N8nSession,
	workflowId: string,
	expected: number,
	timeoutMs = 120_000,
): Promise<Record<string, number>> {
	const deadline = Date.now() + timeoutMs;
	let last = -1;
	let stableSince = Date.now();
	for (;;) {
		const counts = await countExecutions(session, workflowId);
		const finished = (counts.success ?? 0) + (counts.error ?? 0) + (counts.crashed ?? 0) + (counts.canceled ?? 0);
		if (finished >= expected) return counts;
		if (finished !== last) {
			last = finished;
			stableSince = Date.now();
		}
		// Nothing new for 15 s: what is missing will not come.
		if (Date.now() > deadline || Date.now() - stableSince > 15_000) return counts;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/**
 * Waits until a workflow has no running (or queued) execution, twice in a row: cheap
 * (one small query per poll), so draining costs n8n little CPU.
 */
export async function waitIdle(session: N8nSession, workflowId: string, timeoutMs = 180_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let idle = 0;
	while (idle < 2) {
		if (Date.now() > deadline) throw new Error(`Workflow ${workflowId} still had running executions after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 200));
		let busy = false;
		for (const status of ['running', 'new']) {
			const page = await session.client
				.api<{ data: Execution[] }>('GET', `/executions?${new URLSearchParams({ workflowId, status, limit: '1', includeData: 'false' })}`)
				.catch((error: unknown) => {
					// Older public APIs reject the "new" status filter: treat it as none.
					if (error instanceof N8nHttpError && error.status === 400) return { data: [] };
					throw error;
				});
			if (page.data.length) busy = true;
		}
		idle = busy ? 0 : idle + 1;
	}
}

/**
 * One poll at a time per workflow and trigger node, and state written only forward.
 *
 * n8n starts a poll on every tick of the node's schedule without waiting for the
 * previous one (n8n-core registers each cron with a callback that fires the poll and does
 * not await it), and every poll of an activation shares one static data object. A poll
 * slower than its interval (a slow Makini, many connections) would overlap the next:
 * both read the same state, both emit the same changes, and the one that ends last
 * writes its older view over the newer one. So a tick that finds the previous poll of
 * the same workflow and node still running is skipped, and says so in n8n's log.
 *
 * The skipped tick returns only once the running poll has ended. n8n 2.x (its "vm"
 * expression engine) gives each poll tick the activation's expression isolate and
 * releases it when the tick returns, without counting: a skipped tick that returned at
 * once took the isolate from the poll still running, whose next request then failed
 * ("No bridge acquired for this context", shown as "Could not reach Makini"). That is
 * what broke every poll of a slow Record Changes Trigger in queue mode.
 *
 * The guard is this process's memory. That suffices: polls run in one n8n main process
 * (in queue mode only the leader main polls; workers and webhook processes never do).
 * As a second line, each stored state carries a revision: a poll writes only over the
 * revision it read, so a result computed from older state never replaces newer state.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

/** Workflow and node → when its running poll started (ms), and its end. */
const running = new Map<string, { startedAt: number; ended: Promise<unknown> }>();

function pollKey(ctx: IPollFunctions): string {
	const workflow = ctx.getWorkflow();
	const node = ctx.getNode();
	return JSON.stringify([workflow.id ?? workflow.name ?? '', node.id ?? node.name]);
}

/**
 * Runs `poll` unless this workflow's node is already polling; then logs, waits for that
 * poll to end (see above) and returns null (nothing to emit).
 */
export async function onePollAtATime<T>(ctx: IPollFunctions, poll: () => Promise<T>): Promise<T | null> {
	const key = pollKey(ctx);
	const current = running.get(key);
	const now = Date.now();
	if (current !== undefined) {
		const workflow = ctx.getWorkflow();
		const node = ctx.getNode();
		ctx.logger.warn(
			`${node.name} (workflow "${workflow.name ?? workflow.id}"): the previous poll is still running (for ${Math.round((now - current.startedAt) / 1000)} s), so this poll is skipped. Polls slower than the poll interval: choose a longer interval.`,
			{ workflowId: workflow.id, nodeName: node.name, runningForMs: now - current.startedAt },
		);
		await current.ended.catch(() => undefined);
		return null;
	}
	const result = poll();
	running.set(key, { startedAt: now, ended: result });
	try {
		return await result;
	} finally {
		running.delete(key);
	}
}

/** The revision of the state stored under `key` (0 when none is stored). */
export function storedRevision(staticData: IDataObject, key: string): number {
	const stored = staticData[key];
	const revision = stored !== null && typeof stored === 'object' ? (stored as IDataObject).revision : undefined;
	return typeof revision === 'number' && Number.isSafeInteger(revision) ? revision : 0;
}

/**
 * Stores `state` under `key` if the stored state is still the revision the poll read;
 * false (nothing written) when another poll wrote since: its state is newer.
 */
export function writeForward(staticData: IDataObject, key: string, readRevision: number, state: IDataObject): boolean {
	if (storedRevision(staticData, key) !== readRevision) return false;
	staticData[key] = { ...state, revision: readRevision + 1 };
	return true;
}

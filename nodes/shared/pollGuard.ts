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
 * The guard is this process's memory. That suffices: polls run in one n8n main process
 * (in queue mode only the leader main polls; workers and webhook processes never do).
 * As a second line, each stored state carries a revision: a poll writes only over the
 * revision it read, so a result computed from older state never replaces newer state.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

/** Workflow and node → when its running poll started (ms). */
const running = new Map<string, number>();

function pollKey(ctx: IPollFunctions): string {
	const workflow = ctx.getWorkflow();
	const node = ctx.getNode();
	return JSON.stringify([workflow.id ?? workflow.name ?? '', node.id ?? node.name]);
}

/** Runs `poll` unless this workflow's node is already polling; then logs and returns null (nothing to emit). */
export async function onePollAtATime<T>(ctx: IPollFunctions, poll: () => Promise<T>): Promise<T | null> {
	const key = pollKey(ctx);
	const startedAt = running.get(key);
	const now = Date.now();
	if (startedAt !== undefined) {
		const workflow = ctx.getWorkflow();
		const node = ctx.getNode();
		ctx.logger.warn(
			`${node.name} (workflow "${workflow.name ?? workflow.id}"): the previous poll is still running (for ${Math.round((now - startedAt) / 1000)} s), so this poll is skipped. Polls slower than the poll interval: choose a longer interval.`,
			{ workflowId: workflow.id, nodeName: node.name, runningForMs: now - startedAt },
		);
		return null;
	}
	running.set(key, now);
	try {
		return await poll();
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

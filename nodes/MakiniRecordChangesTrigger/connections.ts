/**
 * The trigger across connections (System API credential): each watched connection is
 * polled on its own cursor, with a context bound to it (shared/transport/connectionScope),
 * so one connection's new records or failure never moves another's cursor. Every item
 * names its connection. A connection that fails is logged on every poll and reported once
 * per outage as a `connectionError` item (its cursor stays where it was, so its changes
 * follow when it works again); when every watched connection fails, the poll fails.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { asNodeError } from '../shared/nodeError';
import { fromStoredEntries, isString, toStoredEntries } from '../shared/storedMap';
import { isoAt } from '../shared/time';
import { errorItemJson, scopedToConnection } from '../shared/transport';
import {
	connectionOfItem,
	describeSelection,
	listConnections,
	readSelection,
	selectConnections,
	type WatchedConnection,
} from '../shared/watchConnections';
import type { Change } from './changes';
import { cursorKey } from './cursor';

/** Connection id → since when it fails (reported once per outage). */
const FAILING_KEY = 'makiniRecordChangesFailing';

/** Connections read at once; Makini's rate limits are per connection. */
const CONCURRENCY = 4;

/** A manual run samples this many connections. */
const SAMPLE_CONNECTIONS = 5;

export function changeItem(change: Change, connection: WatchedConnection): INodeExecutionData {
	return { json: { ...change.record, makiniChange: change.change, makiniConnection: connectionOfItem(connection) } };
}

function errorItem(connection: WatchedConnection, error: unknown, since: string): INodeExecutionData {
	const details = errorItemJson(error);
	const who = connection.name ? `"${connection.name}" (${connection.id})` : `"${connection.id}"`;
	return {
		json: {
			makiniChange: 'connectionError',
			makiniConnection: connectionOfItem(connection),
			since,
			message: `Reading connection ${who} failed: ${String(details.error)}. Reported once; the trigger keeps polling it from where it stopped, so no change is skipped, and the other connections are not affected.`,
			...details,
		},
	};
}

async function watched(ctx: IPollFunctions): Promise<WatchedConnection[]> {
	const selection = readSelection(ctx);
	const connections = selectConnections(selection, await listConnections(ctx));
	if (!connections.length && selection.mode === 'one') {
		throw new NodeOperationError(ctx.getNode(), `The System API client has no connection "${selection.one?.id}"`, {
			description: 'The connection was deleted or disconnected, or the ID is wrong: choose one from the list.',
		});
	}
	if (!connections.length) ctx.logger.info(`${ctx.getNode().name}: no connection to watch (${describeSelection(selection)})`);
	return connections;
}

/** Runs `each` for every connection, a few at a time; the result or the error of each, in order. */
async function forEachConnection<T>(
	ctx: IPollFunctions,
	connections: WatchedConnection[],
	each: (ctx: IPollFunctions, connection: WatchedConnection) => Promise<T>,
): Promise<Array<{ ok: true; value: T } | { ok: false; error: unknown }>> {
	const results: Array<{ ok: true; value: T } | { ok: false; error: unknown }> = [];
	for (let start = 0; start < connections.length; start += CONCURRENCY) {
		const batch = connections.slice(start, start + CONCURRENCY).map(async (connection) => {
			try {
				return { ok: true as const, value: await each(scopedToConnection(ctx, connection), connection) };
			} catch (error) {
				return { ok: false as const, error };
			}
		});
		results.push(...(await Promise.all(batch)));
	}
	return results;
}

/** When every watched connection failed: one error that names each. */
function allFailed(ctx: IPollFunctions, connections: WatchedConnection[], errors: unknown[]): Error {
	if (errors.length === 1) return asNodeError(ctx.getNode(), errors[0]);
	const lines = connections.map((c, i) => `${c.name ?? c.id}: ${(errors[i] as Error)?.message ?? String(errors[i])}`);
	return new NodeOperationError(ctx.getNode(), `Every watched connection failed (${connections.length})`, {
		description: lines.join('\n'),
	});
}

/** One poll over the watched connections; `pollOne` reads one connection's changes on its own cursor. */
export async function pollConnections(
	ctx: IPollFunctions,
	pollOne: (ctx: IPollFunctions, key: string) => Promise<Change[]>,
	errorItems: boolean,
): Promise<INodeExecutionData[][] | null> {
	const connections = await watched(ctx);
	if (!connections.length) return null;
	const results = await forEachConnection(ctx, connections, async (scoped, connection) => await pollOne(scoped, cursorKey(connection.id)));
	const errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
	if (errors.length === connections.length) throw allFailed(ctx, connections, errors);

	const staticData = ctx.getWorkflowStaticData('node');
	const failingBefore = fromStoredEntries(staticData[FAILING_KEY], isString) ?? new Map<string, string>();
	const failing = new Map<string, string>();
	const now = isoAt(Date.now());
	const items: INodeExecutionData[] = [];
	results.forEach((result, i) => {
		const connection = connections[i];
		if (result.ok) {
			for (const change of result.value) items.push(changeItem(change, connection));
			if (failingBefore.has(connection.id)) ctx.logger.info(`${ctx.getNode().name}: connection ${connection.name ?? connection.id} (${connection.id}) is read again`);
			return;
		}
		const since = failingBefore.get(connection.id);
		failing.set(connection.id, since ?? now);
		ctx.logger.warn(`${ctx.getNode().name}: reading connection ${connection.name ?? connection.id} (${connection.id}) failed: ${(result.error as Error)?.message}`, {
			connectionId: connection.id,
		});
		if (since === undefined && errorItems) items.push(errorItem(connection, result.error, now));
	});
	staticData[FAILING_KEY] = toStoredEntries(failing) as unknown as IDataObject;
	return items.length ? [items] : null;
}

/** Fetch Test Event across connections: a few recent records of each of the first watched connections. */
export async function sampleConnections(
	ctx: IPollFunctions,
	sampleOne: (ctx: IPollFunctions) => Promise<Change[]>,
): Promise<INodeExecutionData[][] | null> {
	const connections = (await watched(ctx)).slice(0, SAMPLE_CONNECTIONS);
	const results = await forEachConnection(ctx, connections, async (scoped) => await sampleOne(scoped));
	const items: INodeExecutionData[] = [];
	for (const [i, result] of results.entries()) {
		// A manual run shows the error: the builder is looking.
		if (!result.ok) throw asNodeError(ctx.getNode(), result.error);
		for (const change of result.value) items.push(changeItem(change, connections[i]));
	}
	return items.length ? [items] : null;
}

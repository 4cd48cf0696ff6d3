/**
 * Which connections a polling trigger watches with the Makini System API credential:
 * all of the client's connections, those carrying given tags, or one. Read from the
 * node's Watch Connections, Connection and Tags parameters; the connections come from
 * the System API's list (GET /api/system/connections), so each carries its name.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { CONNECTION_PARAMETER, connectionFromValue } from './connection';
import { connectionId, connectionTags } from './connectionSearch';
import { makiniCollect, type MakiniContext } from './transport';
import type { ConnectionRef } from './transport/connectionToken';

export const WATCH_CONNECTIONS_PARAMETER = 'watchConnections';
export const CONNECTION_TAGS_PARAMETER = 'connectionTags';

export type WatchMode = 'all' | 'tags' | 'one';

export interface ConnectionSelection {
	mode: WatchMode;
	/** With `tags`: a connection is watched when it carries every one of them (case-insensitive). */
	tags: string[];
	/** With `one`: the connection. */
	one?: ConnectionRef;
}

/** A watched connection: its id and name, and the System API's row for it. */
export interface WatchedConnection extends ConnectionRef {
	row: IDataObject;
}

/** Bounds a misbehaving server; Makini clients have tens to thousands of connections. */
const MAX_CONNECTIONS = 10_000;

/** A poll retries a failing call less than a workflow step: the next poll is a minute away. */
const LIST_RETRY = { maxAttempts: 3 };

export function parseTags(value: unknown): string[] {
	const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
	return [...new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

export function readSelection(ctx: Pick<IPollFunctions, 'getNode' | 'getNodeParameter'>): ConnectionSelection {
	const mode = ctx.getNodeParameter(WATCH_CONNECTIONS_PARAMETER, 'all') as WatchMode;
	if (mode === 'one') {
		const value = ctx.getNodeParameter(CONNECTION_PARAMETER, '', { extractValue: false });
		return { mode, tags: [], one: connectionFromValue(ctx.getNode(), value) };
	}
	if (mode === 'tags') {
		const tags = parseTags(ctx.getNodeParameter(CONNECTION_TAGS_PARAMETER, ''));
		if (!tags.length) {
			throw new NodeOperationError(ctx.getNode(), 'The parameter "Tags" is empty', {
				description: 'Enter the tag (or several, comma-separated) that the connections to watch carry, e.g. production.',
			});
		}
		return { mode, tags };
	}
	return { mode: 'all', tags: [] };
}

/** Whether a listed connection is watched. */
export function isSelected(selection: ConnectionSelection, row: IDataObject): boolean {
	const id = connectionId(row);
	if (!id) return false;
	if (selection.mode === 'one') return id === selection.one?.id;
	if (selection.mode === 'tags') {
		const carried = new Set(connectionTags(row).map((t) => t.toLowerCase()));
		return selection.tags.every((tag) => carried.has(tag));
	}
	return true;
}

export function nameOf(row: IDataObject): string | undefined {
	const name = row.name ?? row.company_name;
	return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

/** The System API client's connections, each once, in Makini's order. */
export async function listConnections(ctx: MakiniContext): Promise<IDataObject[]> {
	const rows = await makiniCollect.call(
		ctx,
		{ method: 'GET', path: '/api/system/connections', credentialType: 'makiniSystemApi', retry: LIST_RETRY },
		{ limit: MAX_CONNECTIONS },
	);
	const seen = new Set<string>();
	return rows.filter((row) => {
		const id = connectionId(row);
		if (!id || seen.has(id)) return false;
		seen.add(id);
		return true;
	});
}

/** The watched connections among the listed ones. */
export function selectConnections(selection: ConnectionSelection, rows: IDataObject[]): WatchedConnection[] {
	return rows
		.filter((row) => isSelected(selection, row))
		.map((row) => {
			const id = connectionId(row);
			const name = nameOf(row) ?? (selection.one?.id === id ? selection.one.name : undefined);
			return name ? { id, name, row } : { id, row };
		});
}

/** How an item names its connection. */
export function connectionOfItem(connection: ConnectionRef): IDataObject {
	return { id: connection.id, name: connection.name ?? null };
}

/** The selection as text, for the messages and log lines that say what is watched. */
export function describeSelection(selection: ConnectionSelection): string {
	if (selection.mode === 'one') return `connection ${selection.one?.name ? `"${selection.one.name}" (${selection.one.id})` : `"${selection.one?.id}"`}`;
	if (selection.mode === 'tags') return `the connections tagged ${selection.tags.map((t) => `"${t}"`).join(' and ')}`;
	return 'all connections of the System API client';
}

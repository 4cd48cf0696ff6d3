/**
 * Records without any timestamp (units of measure, for one) cannot be read
 * incrementally: the whole list is read and each record's fingerprint compared with
 * the last poll. Such lists are short lookup tables; a long one is refused rather than
 * stored.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { buildListQuery, makiniCollect, type ListFilter, type MakiniContext } from '../shared/transport';
import { recordKey, type Change } from './changes';
import type { SnapshotCursor } from './cursor';
import { fingerprint } from './fingerprint';

/** More than this would make the node's static data (saved with the workflow) too large. */
export const MAX_SNAPSHOT_RECORDS = 20_000;

export async function readSnapshot(ctx: MakiniContext, path: string, server: ListFilter[]): Promise<IDataObject[]> {
	const query = buildListQuery({ filters: server, match: 'all' });
	const records = await makiniCollect.call(ctx, { method: 'GET', path, query }, { limit: MAX_SNAPSHOT_RECORDS + 1 });
	if (records.length > MAX_SNAPSHOT_RECORDS) {
		throw new NodeOperationError(ctx.getNode(), `This list has more than ${MAX_SNAPSHOT_RECORDS} records and no timestamp to read it incrementally`, {
			description: 'Add filters to narrow it down, or watch another resource: these records carry neither updatedAt nor createdAt.',
		});
	}
	return records;
}

/** What differs from the previous snapshot, and the snapshot to store. */
export function compareSnapshot(
	records: IDataObject[],
	previous: SnapshotCursor,
): { changes: Change[]; cursor: SnapshotCursor } {
	const fingerprints = new Map<string, string>();
	const changes: Change[] = [];
	for (const record of records) {
		const key = recordKey(record);
		const print = fingerprint(record);
		fingerprints.set(key, print);
		const before = previous.fingerprints.get(key);
		if (before === undefined) changes.push({ record, change: 'new' });
		else if (before !== print) changes.push({ record, change: 'updated' });
	}
	return { changes, cursor: { kind: 'snapshot', scope: previous.scope, fingerprints } };
}

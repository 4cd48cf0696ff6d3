/** Reading and writing records the way every entity handler does. */
import type { ContractOperation } from '../../nodes/shared/registry';
import { collectionOf, statusScopeOf } from '../data/collections';
import { productOf, type Product } from '../data/products';
import { workOrderDetails } from '../data/seed/maintenance';
import type { SandboxRecord } from '../data/store';
import { ApiError } from '../http/errors';
import { isoNow, type SandboxState } from '../state';
import type { ApiCall } from './types';

/** "purchaseOrderLineItem" → "purchase order line item". */
export function label(resource: string): string {
	return resource.replace(/([A-Z])/g, ' $1').toLowerCase();
}

export function collectionFor(op: ContractOperation): string {
	const collection = collectionOf(op);
	if (!collection) throw new Error(`No collection for ${op.path}`);
	return collection;
}

export function productFor(call: ApiCall): Product {
	return productOf(call.connection?.provider ?? call.state.options.product);
}

export function statusScope(state: SandboxState, collection: string): string | undefined {
	return statusScopeOf(collection, (name) => state.store.has(name));
}

export function findRecord(state: SandboxState, collection: string, key: string, resource: string): SandboxRecord {
	const record = state.store.collection(collection).get(key);
	if (!record) throw new ApiError(404, `No ${label(resource)} found for key "${key}".`);
	return record;
}

/** Fields a client may not set: the key and the timestamps are the system's. */
const SYSTEM_FIELDS = new Set(['key', 'createdAt', 'updatedAt', 'deletedAt']);

function withStatusName(state: SandboxState, collection: string, record: Record<string, unknown>): void {
	const scope = statusScope(state, collection);
	if (!scope || typeof record.statusKey !== 'string') return;
	const status = state.store.collection(scope).get(record.statusKey);
	if (status && state.store.collection(collection).fields.has('status')) record.status = status.name;
}

/**
 * A new record from a validated body: every schema field present, timestamps now.
 * `extra` is applied last (server-side fields, or an admin's explicit key/timestamps).
 */
export function createRecord(state: SandboxState, collection: string, body: Record<string, unknown>, extra: Record<string, unknown> = {}): SandboxRecord {
	const target = state.store.collection(collection);
	const now = isoNow(state);
	const record: Record<string, unknown> = { key: state.store.keys.next() };
	for (const field of target.fields) if (!(field in record)) record[field] = null;
	for (const [field, value] of Object.entries(body)) if (!SYSTEM_FIELDS.has(field)) record[field] = value;
	const scope = statusScope(state, collection);
	if (scope && record.statusKey === null && 'statusKey' in record) {
		record.statusKey = state.store.collection(scope).rows[0]?.key ?? null;
	}
	withStatusName(state, collection, record);
	record.createdAt = now;
	record.updatedAt = now;
	record.deletedAt = null;
	Object.assign(record, extra);
	return state.store.write(collection, 'inserted', record as SandboxRecord);
}

/** Merges changes into a record (a new object) and bumps updatedAt (unless `extra` sets it). */
export function updateRecord(
	state: SandboxState,
	collection: string,
	record: SandboxRecord,
	changes: Record<string, unknown>,
	extra: Record<string, unknown> = {},
): SandboxRecord {
	const next: Record<string, unknown> = { ...record };
	for (const [field, value] of Object.entries(changes)) if (!SYSTEM_FIELDS.has(field)) next[field] = value;
	if ('statusKey' in changes) withStatusName(state, collection, next);
	next.updatedAt = isoNow(state);
	Object.assign(next, extra);
	return state.store.write(collection, 'updated', next as SandboxRecord);
}

/** A record as the API serves it: seeded work orders get their derived tasks and resources. */
export function present(state: SandboxState, collection: string, record: Record<string, unknown>): Record<string, unknown> {
	if (collection === 'work-orders' && record.tasks === undefined) return { ...record, ...workOrderDetails(state.options.seed, record) };
	return record;
}

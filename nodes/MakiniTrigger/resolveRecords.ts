/**
 * Resolve Records: an entity event names only record keys (`{"event","body":[keys]}`)
 * and carries no time, so a replayed delivery cannot be told from a later genuine change
 * of the same records by its bytes. Reading the records named makes that question
 * moot: a record is emitted only when its `updatedAt` moved past the last one emitted
 * for its key (DeliveryLedger.takeChanged), so a replay, a retry or an out-of-order
 * delivery of a change already emitted starts nothing, and the workflow gets the
 * current record rather than a key.
 */
import type { IDataObject } from 'n8n-workflow';

import { makiniApiRequest, type MakiniContext } from '../shared/transport';
import { parseTimestamp } from './signature';

export const RESOLVE_SYSTEMS = ['eam', 'erp', 'wms'] as const;
export type ResolveSystem = (typeof RESOLVE_SYSTEMS)[number];

/**
 * The single-record endpoints of the entity events' collections, by Makini API family
 * (from the OpenAPI files: work orders and assets exist in EAM only).
 */
export const RECORD_PATHS: Record<string, Partial<Record<ResolveSystem, string>>> = {
	sites: { eam: '/api/eam/sites/', erp: '/api/erp/sites/', wms: '/api/wms/sites/' },
	assets: { eam: '/api/eam/assets/' },
	'purchase-orders': { eam: '/api/eam/purchase-orders/', erp: '/api/erp/purchase-orders/', wms: '/api/wms/purchase-orders/' },
	'work-orders': { eam: '/api/eam/work-orders/' },
};

/** Records read at once: a few, so one delivery neither floods Makini's per-connection rate limit nor takes long. */
const CONCURRENCY = 4;

export interface ResolvedRecord {
	key: string;
	/** The record, or null when Makini answered 404 (gone since the event). */
	record: IDataObject | null;
	/** Its updatedAt in ms; null when it has none (then it is always emitted). */
	updatedAtMs: number | null;
}

export type Resolution = { ok: true; records: ResolvedRecord[] } | { ok: false; reason: string };

/** The record path for an event's collection (`work-orders` of `work-orders.updated`) in a family, if Makini has one. */
export function recordPath(eventName: string, system: ResolveSystem): string | undefined {
	const slug = eventName.split('.')[0];
	return Object.prototype.hasOwnProperty.call(RECORD_PATHS, slug) ? RECORD_PATHS[slug][system] : undefined;
}

function updatedAtOf(record: IDataObject): number | null {
	return parseTimestamp(record.updatedAt ?? record.updated_at);
}

function httpCodeOf(error: unknown): string | undefined {
	const code = (error as { httpCode?: unknown }).httpCode;
	return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** Reads each key's current record through the Makini API credential. */
export async function resolveRecords(ctx: MakiniContext, basePath: string, keys: readonly string[]): Promise<Resolution> {
	const records: ResolvedRecord[] = new Array(keys.length);
	let next = 0;
	let failure: string | undefined;
	const worker = async () => {
		while (next < keys.length && failure === undefined) {
			const index = next++;
			const key = keys[index];
			try {
				const body = await makiniApiRequest.call(ctx, {
					method: 'GET',
					path: `${basePath}${encodeURIComponent(key)}`,
					credentialType: 'makiniApi',
					// Makini waits 10 s for the answer: one quick retry at most, then Makini's own retry.
					retry: { maxAttempts: 2, rateLimitAttempts: 2, maxRetryAfterMs: 2_000, maxDelayMs: 1_000 },
				});
				const data = body.data;
				const record = data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : body;
				records[index] = { key, record, updatedAtMs: updatedAtOf(record) };
			} catch (error) {
				if (httpCodeOf(error) === '404') {
					records[index] = { key, record: null, updatedAtMs: null };
				} else {
					failure = `record ${index + 1} of ${keys.length} could not be read from Makini (${httpCodeOf(error) ?? 'no answer'})`;
				}
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(CONCURRENCY, keys.length) }, worker));
	return failure === undefined ? { ok: true, records } : { ok: false, reason: failure };
}

/**
 * Reads every page of a Makini list. Follows whichever paging the response offers:
 * `next_cursor` (Makini's FAQ), `meta.current_page`/`meta.last_page` (the spec's
 * envelope) or `links.next`; asks for the largest page size and stops at a limit
 * without fetching pages it does not need. When an answer names the last page, the
 * next few pages are requested at once (still in order, still one request per page):
 * a bulk read then waits on Makini's latency a few pages at a time, not page by page.
 * A read ends with a clear error, never an endless loop or an exhausted n8n, when the
 * paging goes round in circles (a cursor or page read before, a page repeating the last
 * one's keys) or the records pass MAX_READ_RECORDS or MAX_READ_BYTES.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { makiniApiRequest, type MakiniContext, type MakiniRequestOptions } from './request';

/** The largest page Makini's FAQ mentions; the server clamps and meta.per_page says what it used. */
export const MAX_PAGE_SIZE = 500;

/** A guard against a server that never says it is done. */
const MAX_PAGES = 100_000;

/**
 * The most records one read returns. n8n keeps every item of an execution in memory and
 * saves them all with it: far more than this is better read in slices.
 */
export const MAX_READ_RECORDS = 100_000;

/** The most JSON text one read holds, measured as it arrives (see recordBytes; n8n needs a few times this in memory). */
export const MAX_READ_BYTES = 128 * 1024 * 1024;

/**
 * Pages in flight at once when the last page is known. Few, so one read stays well
 * inside Makini's per-connection rate limit (a 429 is waited out and retried anyway).
 */
export const PAGE_CONCURRENCY = 4;

export interface PagingOptions {
	/** Stop after this many records (all when undefined). */
	limit?: number;
	/** Page size to ask for; defaults to the largest. */
	pageSize?: number;
	/** Pages requested at once when the last page is known (default PAGE_CONCURRENCY; 1 = one after the other). */
	concurrency?: number;
	/** Bounds of one read (default MAX_READ_RECORDS and MAX_READ_BYTES). */
	maxRecords?: number;
	maxBytes?: number;
}

const NARROW_THE_READ =
	'Narrow the read: add Filters, set Updated Since to read only what changed, or turn off Return All and set a Limit. To process every change as it happens, use the Makini Record Changes Trigger instead of reading everything.';

/**
 * OAuth2 credentials are read afresh for every page: n8n refreshes their access token
 * during a request and stores the new one, and a copy kept here would send the old one.
 */
const READ_EVERY_PAGE = new Set(['makiniLinkOAuth2Api']);

/**
 * The context a read sends its pages with: the same context (its prototype), reading each
 * credential once per read instead of once per page. n8n's getCredentials loads, decrypts
 * and resolves the credential on every call (an expression isolate in n8n 2), and its
 * authenticated request helper reads it again through `this`, so a page cost two such
 * reads. The object is shared, so what n8n's preAuthentication assigns into it (the System
 * API's refreshed token) is what the next page sends. A failed read is not kept.
 */
export function credentialsReadOnce<T extends MakiniContext>(ctx: T): T {
	const read = new Map<string, Promise<unknown>>();
	const once = Object.create(ctx) as T;
	const getCredentials = async function <C extends object>(type: string, itemIndex?: number): Promise<C> {
		if (READ_EVERY_PAGE.has(type)) return await ctx.getCredentials<C>(type, itemIndex);
		// n8n resolves a read without an item as item 0's (its request helper reads so).
		const key = `${type}\u0000${itemIndex || 0}`;
		let pending = read.get(key);
		if (!pending) {
			pending = ctx.getCredentials<C>(type, itemIndex);
			read.set(key, pending);
			pending.catch(() => read.delete(key));
		}
		return (await pending) as C;
	};
	Object.defineProperty(once, 'getCredentials', { value: getCredentials, enumerable: false });
	return once;
}

/** A server whose paging goes round in circles: stop rather than read forever. */
function endlessPaging(ctx: MakiniContext, options: MakiniRequestOptions, what: string, requests: number) {
	return new NodeOperationError(ctx.getNode(), `Makini's paging went round in circles: ${what}`, {
		itemIndex: options.itemIndex,
		description: `The read of ${options.path} stopped after ${requests} page requests instead of reading the same records again and again. This is a fault in Makini or the connected system, not in the workflow: report it to Makini support with the path. Until then, ${NARROW_THE_READ.charAt(0).toLowerCase()}${NARROW_THE_READ.slice(1)}`,
	});
}

function readTooLarge(ctx: MakiniContext, options: MakiniRequestOptions, limit: string) {
	return new NodeOperationError(ctx.getNode(), `The read of ${options.path} is larger than one read may be: ${limit}`, {
		itemIndex: options.itemIndex,
		description: `n8n holds every item of an execution in memory and stores them with it, so the read stopped instead of running n8n out of memory. ${NARROW_THE_READ}`,
	});
}

/** Every how many records a page's size is measured on while the read is far from MAX_READ_BYTES. */
export const BYTES_SAMPLE_EVERY = 8;

/**
 * The JSON size of a page's records: measured on every BYTES_SAMPLE_EVERY-th record and
 * scaled while `exact` is false, on all of them once the read nears its limit. Writing
 * every record out as JSON just to count it was the package's largest cost per record
 * in a bulk read (a tenth of the node's time); the bound only has to stop a read long
 * before n8n runs out of memory, and is exact where it decides.
 */
export function recordBytes(records: IDataObject[], exact: boolean): number {
	if (exact || records.length <= 2 * BYTES_SAMPLE_EVERY) return JSON.stringify(records).length;
	let sampled = 0;
	let count = 0;
	for (let i = 0; i < records.length; i += BYTES_SAMPLE_EVERY) {
		sampled += JSON.stringify(records[i]).length + 1;
		count++;
	}
	return Math.ceil((sampled * records.length) / count) + 1;
}

/** The records' keys as one text, when every record has one: a page repeating the last one is a loop. */
function keysOf(records: IDataObject[]): string | undefined {
	if (!records.length) return undefined;
	const keys: string[] = [];
	for (const record of records) {
		const key = record?.key ?? record?.id;
		if (typeof key !== 'string' && typeof key !== 'number') return undefined;
		keys.push(String(key));
	}
	return keys.join('\u0000');
}

function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

/** The records of one list page: its `data` list (or a bare list); a single record is no page. */
export function pageRecords(body: IDataObject | IDataObject[]): IDataObject[] {
	if (Array.isArray(body)) return body;
	return Array.isArray(body.data) ? (body.data as IDataObject[]) : [];
}

/** Where the next page is, from one response; undefined when this was the last page. */
export function nextPage(
	body: IDataObject,
	currentPage: number,
	received: number,
	pageSize: number,
): { cursor: string } | { page: number } | undefined {
	const meta = asObject(body.meta);
	const links = asObject(body.links);
	const cursor = body.next_cursor ?? meta?.next_cursor;
	if (typeof cursor === 'string' && cursor) return { cursor };
	if (typeof cursor === 'number') return { cursor: String(cursor) };
	if (cursor === null) return undefined;

	const current = Number(meta?.current_page ?? currentPage);
	const last = Number(meta?.last_page);
	if (Number.isFinite(last)) return current < last ? { page: current + 1 } : undefined;

	if (links && 'next' in links) {
		if (!links.next) return undefined;
		const match = /[?&]page=(\d+)/.exec(String(links.next));
		return { page: match ? Number(match[1]) : current + 1 };
	}
	// No envelope at all: a short or empty page is the last one.
	return received > 0 && received >= pageSize ? { page: current + 1 } : undefined;
}

/** `meta.last_page` when the answer has the spec's envelope and no cursor. */
function lastPageOf(body: IDataObject): number | undefined {
	const meta = asObject(body.meta);
	if (body.next_cursor !== undefined || meta?.next_cursor !== undefined) return undefined;
	const last = Number(meta?.last_page);
	return Number.isInteger(last) && last > 0 ? last : undefined;
}

export async function* makiniPages(
	this: MakiniContext,
	options: MakiniRequestOptions,
	paging: PagingOptions = {},
): AsyncGenerator<IDataObject[]> {
	const limit = paging.limit;
	const pageSize = Math.max(1, Math.min(paging.pageSize ?? MAX_PAGE_SIZE, limit ?? MAX_PAGE_SIZE));
	const concurrency = Math.max(1, Math.floor(paging.concurrency ?? PAGE_CONCURRENCY));
	let remaining = limit ?? Infinity;
	const maxRecords = paging.maxRecords ?? MAX_READ_RECORDS;
	const maxBytes = paging.maxBytes ?? MAX_READ_BYTES;
	let position: { cursor: string } | { page: number } | undefined = { page: 1 };
	const sender = credentialsReadOnce(this);

	const request = (at: { cursor: string } | { page: number }) => {
		const query: MakiniRequestOptions['query'] = { ...options.query, per_page: pageSize };
		if ('cursor' in at) query.cursor = at.cursor;
		else query.page = at.page;
		return makiniApiRequest.call(sender, { ...options, query });
	};
	/** Pages requested ahead of the one being read, by page number. */
	const ahead = new Map<number, Promise<IDataObject>>();
	/** Cursors and page numbers already read: asked for again, the paging is a loop. */
	const cursorsRead = new Set<string>();
	const pagesRead = new Set<number>();
	let previousKeys: string | undefined;
	let records = 0;
	let bytes = 0;

	for (let pages = 0; position && remaining > 0 && pages < MAX_PAGES; pages++) {
		if ('cursor' in position) {
			if (cursorsRead.has(position.cursor)) throw endlessPaging(this, options, 'a next_cursor already read came back', pages);
			cursorsRead.add(position.cursor);
		} else {
			if (pagesRead.has(position.page)) {
				throw endlessPaging(this, options, `the next page (links.next, page ${position.page}) was already read`, pages);
			}
			pagesRead.add(position.page);
		}
		const prefetched = 'page' in position ? ahead.get(position.page) : undefined;
		if (prefetched && 'page' in position) ahead.delete(position.page);
		const body = await (prefetched ?? request(position));
		const received = pageRecords(body);
		const keys = keysOf(received);
		if (keys !== undefined && keys === previousKeys) {
			throw endlessPaging(this, options, 'a page repeated the previous page\'s records', pages + 1);
		}
		previousKeys = keys;
		const page = 'page' in position ? position.page : pages + 1;
		position = nextPage(body, page, received.length, pageSize);

		const taken = received.length > remaining ? received.slice(0, remaining) : received;
		remaining -= taken.length;
		records += taken.length;
		if (records > maxRecords) {
			throw readTooLarge(this, options, `more than ${maxRecords.toLocaleString('en-US')} records`);
		}
		bytes += recordBytes(taken, bytes > maxBytes / 2);
		if (bytes > maxBytes) {
			throw readTooLarge(this, options, `more than ${Math.round(maxBytes / 1024 / 1024)} MiB of records`);
		}

		const last = position && 'page' in position && concurrency > 1 ? lastPageOf(body) : undefined;
		if (position && 'page' in position && last !== undefined && remaining > 0) {
			// The server may clamp the page size: what it used says how many pages are still needed.
			const perPage = Number(asObject(body.meta)?.per_page) || received.length || pageSize;
			const needed = Math.min(last, position.page - 1 + Math.ceil(remaining / perPage));
			for (let next = position.page; next < position.page + concurrency && next <= needed; next++) {
				if (ahead.has(next) || pagesRead.has(next)) continue;
				const pending = request({ page: next });
				// Awaited in order later; a failure meanwhile must not be an unhandled rejection.
				pending.catch(() => undefined);
				ahead.set(next, pending);
			}
		}
		if (taken.length) yield taken;
		if (received.length === 0) break;
	}
}

/** All records of a list, or the first `limit` of them. */
export async function makiniCollect(
	this: MakiniContext,
	options: MakiniRequestOptions,
	paging: PagingOptions = {},
): Promise<IDataObject[]> {
	const all: IDataObject[] = [];
	for await (const page of makiniPages.call(this, options, paging)) {
		for (const record of page) all.push(record);
	}
	return all;
}

/**
 * Reads every page of a Makini list. Follows whichever paging the response offers:
 * `next_cursor` (Makini's FAQ), `meta.current_page`/`meta.last_page` (the spec's
 * envelope) or `links.next`; asks for the largest page size and stops at a limit
 * without fetching pages it does not need. When an answer names the last page, the
 * next few pages are requested at once (still in order, still one request per page):
 * a bulk read then waits on Makini's latency a few pages at a time, not page by page.
 */
import type { IDataObject } from 'n8n-workflow';

import { makiniApiRequest, type MakiniContext, type MakiniRequestOptions } from './request';

/** The largest page Makini's FAQ mentions; the server clamps and meta.per_page says what it used. */
export const MAX_PAGE_SIZE = 500;

/** A guard against a server that never says it is done. */
const MAX_PAGES = 100_000;

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
	let position: { cursor: string } | { page: number } | undefined = { page: 1 };

	const request = (at: { cursor: string } | { page: number }) => {
		const query: MakiniRequestOptions['query'] = { ...options.query, per_page: pageSize };
		if ('cursor' in at) query.cursor = at.cursor;
		else query.page = at.page;
		return makiniApiRequest.call(this, { ...options, query });
	};
	/** Pages requested ahead of the one being read, by page number. */
	const ahead = new Map<number, Promise<IDataObject>>();

	for (let pages = 0; position && remaining > 0 && pages < MAX_PAGES; pages++) {
		const prefetched = 'page' in position ? ahead.get(position.page) : undefined;
		if (prefetched && 'page' in position) ahead.delete(position.page);
		const body = await (prefetched ?? request(position));
		const records = pageRecords(body);
		const page = 'page' in position ? position.page : pages + 1;
		position = nextPage(body, page, records.length, pageSize);

		const taken = records.length > remaining ? records.slice(0, remaining) : records;
		remaining -= taken.length;

		const last = position && 'page' in position && concurrency > 1 ? lastPageOf(body) : undefined;
		if (position && 'page' in position && last !== undefined && remaining > 0) {
			// The server may clamp the page size: what it used says how many pages are still needed.
			const perPage = Number(asObject(body.meta)?.per_page) || records.length || pageSize;
			const needed = Math.min(last, position.page - 1 + Math.ceil(remaining / perPage));
			for (let next = position.page; next < position.page + concurrency && next <= needed; next++) {
				if (ahead.has(next)) continue;
				const pending = request({ page: next });
				// Awaited in order later; a failure meanwhile must not be an unhandled rejection.
				pending.catch(() => undefined);
				ahead.set(next, pending);
			}
		}
		if (taken.length) yield taken;
		if (records.length === 0) break;
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

/**
 * Reads every page of a Makini list. Follows whichever paging the response offers:
 * `next_cursor` (Makini's FAQ), `meta.current_page`/`meta.last_page` (the spec's
 * envelope) or `links.next`; asks for the largest page size and stops at a limit
 * without fetching pages it does not need.
 */
import type { IDataObject } from 'n8n-workflow';

import { makiniApiRequest, type MakiniContext, type MakiniRequestOptions } from './request';

/** The largest page Makini's FAQ mentions; the server clamps and meta.per_page says what it used. */
export const MAX_PAGE_SIZE = 500;

/** A guard against a server that never says it is done. */
const MAX_PAGES = 100_000;

export interface PagingOptions {
	/** Stop after this many records (all when undefined). */
	limit?: number;
	/** Page size to ask for; defaults to the largest. */
	pageSize?: number;
}

function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

export function recordsOf(body: IDataObject | IDataObject[]): IDataObject[] {
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

export async function* makiniPages(
	this: MakiniContext,
	options: MakiniRequestOptions,
	paging: PagingOptions = {},
): AsyncGenerator<IDataObject[]> {
	const limit = paging.limit;
	const pageSize = Math.max(1, Math.min(paging.pageSize ?? MAX_PAGE_SIZE, limit ?? MAX_PAGE_SIZE));
	let remaining = limit ?? Infinity;
	let position: { cursor: string } | { page: number } | undefined = { page: 1 };

	for (let pages = 0; position && remaining > 0 && pages < MAX_PAGES; pages++) {
		const query: MakiniRequestOptions['query'] = { ...options.query, per_page: pageSize };
		if ('cursor' in position) query.cursor = position.cursor;
		else query.page = position.page;

		const body = await makiniApiRequest.call(this, { ...options, query });
		const records = recordsOf(body);
		const page = 'page' in position ? position.page : pages + 1;
		position = nextPage(body, page, records.length, pageSize);

		const taken = records.length > remaining ? records.slice(0, remaining) : records;
		remaining -= taken.length;
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

/**
 * The documented list envelope:
 *   { data, links: {first, last, prev, next}, meta: {current_page, from, last_page, path, per_page, to, total} }
 * plus meta.next_cursor (and links.next carrying cursor=) when cursor paging is on.
 */
import { encodeCursor, parseListQuery, positionAfter, view, type Scope } from '../data/query';
import { ViewCache, type RowSource } from '../data/store';
import type { SandboxState } from '../state';

/** A row source over a small array computed per request (connections, platforms...). */
export function arraySource(name: string, rows: Record<string, unknown>[], extraFields: string[] = []): RowSource {
	const fields = new Set<string>(extraFields);
	for (const row of rows) for (const field of Object.keys(row)) fields.add(field);
	return { name, version: 0, rows, fields, views: new ViewCache(1) };
}

function link(base: string, query: URLSearchParams, change: Record<string, string | undefined>): string {
	const params = new URLSearchParams(query);
	for (const [name, value] of Object.entries(change)) {
		if (value === undefined) params.delete(name);
		else params.set(name, value);
	}
	const text = params.toString();
	return text ? `${base}?${text}` : base;
}

export function listBody(
	state: SandboxState,
	path: string,
	query: URLSearchParams,
	source: RowSource,
	options: { scope?: Scope; present?: (row: Record<string, unknown>) => unknown } = {},
): Record<string, unknown> {
	const list = parseListQuery(query, source, { maxPageSize: state.options.maxPageSize, defaultPageSize: state.options.defaultPageSize });
	const indices = view(source, list, options.scope);
	const total = indices.length;
	const perPage = list.perPage;
	const lastPage = Math.max(1, Math.ceil(total / perPage));
	const useCursor = state.options.cursorPaging && list.cursor !== undefined;
	const start = useCursor ? positionAfter(source, indices, list.cursor!, list.sorts) : (list.page - 1) * perPage;
	const end = Math.min(total, start + perPage);
	const present = options.present ?? ((row: Record<string, unknown>) => row);
	const data: unknown[] = [];
	for (let i = start; i < end; i++) data.push(present(source.rows[indices[i]]));

	const currentPage = useCursor ? Math.floor(start / perPage) + 1 : list.page;
	const base = `${state.url}${path}`;
	const pageLink = (page: number) => link(base, query, { page: String(page), cursor: undefined });
	const links: Record<string, string | null> = {
		first: pageLink(1),
		last: pageLink(lastPage),
		prev: currentPage > 1 && !useCursor ? pageLink(currentPage - 1) : null,
		next: end < total ? pageLink(currentPage + 1) : null,
	};
	const meta: Record<string, unknown> = {
		current_page: currentPage,
		from: data.length ? start + 1 : null,
		last_page: lastPage,
		path: base,
		per_page: perPage,
		to: data.length ? end : null,
		total,
	};
	if (state.options.cursorPaging) {
		const nextCursor = end < total && end > 0 ? encodeCursor(source.rows[indices[end - 1]], indices[end - 1], list.sorts) : null;
		meta.next_cursor = nextCursor;
		meta.prev_cursor = null;
		if (nextCursor) links.next = link(base, query, { cursor: nextCursor, page: undefined });
	}
	return { data, links, meta };
}

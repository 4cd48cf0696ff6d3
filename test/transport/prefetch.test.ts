/**
 * Reading pages ahead: once an answer names the last page, the next pages are requested
 * together (at most PAGE_CONCURRENCY in flight), yielded in page order, one request per
 * page, never past what a limit needs; a cursor is followed one page at a time; a page
 * that fails fails the read without an unhandled rejection.
 */
import type { IDataObject } from 'n8n-workflow';

import { makiniCollect, type MakiniContext } from '../../nodes/shared/transport';
import { PAGE_CONCURRENCY } from '../../nodes/shared/transport/paging';
import { stubMakiniContext } from '../harness/execute';

interface Server {
	ctx: MakiniContext;
	requested: number[];
	maxInFlight: () => number;
}

/** A stub Makini of `total` records served `perPage` at a time (the spec's envelope), each answer after `delayMs`. */
function server(total: number, perPage: number, options: { delayMs?: number; failFrom?: number; cursor?: boolean } = {}): Server {
	const requested: number[] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const ctx = stubMakiniContext(async (request) => {
			const url = new URL(String(request.url));
			const cursor = url.searchParams.get('cursor');
			const page = cursor ? Number(cursor) : Number(url.searchParams.get('page'));
			requested.push(page);
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
			inFlight--;
			if (options.failFrom !== undefined && page >= options.failFrom) throw Object.assign(new Error('Request failed with status code 500'), { httpCode: '500' });
			const last = Math.max(1, Math.ceil(total / perPage));
			const data: IDataObject[] = [];
			for (let i = (page - 1) * perPage; i < Math.min(total, page * perPage); i++) data.push({ key: `k${i}` });
			const meta: IDataObject = options.cursor
				? { next_cursor: page < last ? String(page + 1) : null }
				: { current_page: page, last_page: last, per_page: perPage, total };
			return { statusCode: 200, headers: {}, body: { data, meta } };
	});
	return { ctx, requested, maxInFlight: () => maxInFlight };
}

const read = (s: Server, limit?: number) =>
	makiniCollect.call(s.ctx, { method: 'GET', path: '/api/eam/work-orders', retry: { maxAttempts: 1 } }, { limit });

describe('pages read ahead', () => {
	it('reads every record once, in order, one request per page, with at most PAGE_CONCURRENCY in flight', async () => {
		const s = server(2345, 100, { delayMs: 10 });
		const records = await read(s);
		expect(records.map((r) => r.key)).toEqual(Array.from({ length: 2345 }, (_, i) => `k${i}`));
		expect([...s.requested].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
		expect(s.maxInFlight()).toBe(PAGE_CONCURRENCY);
	});

	it('requests no page beyond what a limit needs, with the page size the server used', async () => {
		// Asked for 450 per page, the server answers 100: 450 records are 5 pages.
		const s = server(2345, 100);
		const records = await read(s, 450);
		expect(records).toHaveLength(450);
		expect([...s.requested].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
	});

	it('follows a cursor one page after the other', async () => {
		const s = server(1000, 100, { cursor: true });
		const records = await read(s);
		expect(records).toHaveLength(1000);
		expect(s.maxInFlight()).toBe(1);
		expect(s.requested).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	});

	it('fails the read when a page read ahead fails, and no rejection is left unhandled', async () => {
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		try {
			// Page 3 fails the read while pages 4 and 5, read ahead, are still in flight and fail too.
			const s = server(2000, 100, { failFrom: 3, delayMs: 1 });
			await expect(read(s)).rejects.toThrow();
			await new Promise((resolve) => setTimeout(resolve, 50));
			expect(unhandled).toEqual([]);
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
	});

	it('reads one page after the other with concurrency 1', async () => {
		const s = server(1000, 100);
		await makiniCollect.call(s.ctx, { method: 'GET', path: '/x' }, { concurrency: 1 });
		expect(s.maxInFlight()).toBe(1);
		expect(s.requested).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	});
});

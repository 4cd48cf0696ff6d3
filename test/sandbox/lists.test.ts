/**
 * List semantics: every filter operator (with the spec's `lted`), filterMatch, sorting,
 * the paging envelope, the page-size cap and cursor paging. Expected results are
 * computed here from the stored records, independently of the sandbox's own engine.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { call, collectAll, type Json } from './helpers';

const WO = '/api/eam/work-orders';
const ms = (value: unknown) => Date.parse(String(value));

describe('sandbox lists', () => {
	let sb: SandboxHandle;
	let stored: Array<Record<string, Json>>;

	beforeAll(async () => {
		sb = await startSandbox({ workOrders: 1000, seed: 7 });
		stored = sb.admin.listRecords({ collection: 'work-orders' }).map((r) => ({ ...r }));
	});
	afterAll(() => sb.close());

	const totalOf = async (query: Record<string, string | number>) => (await call(sb, WO, { query })).body.meta.total as number;

	it('filters with equals, contains and startsWith (case-insensitive text)', async () => {
		const site = stored[3].siteKey;
		const bySite = await collectAll(sb, WO, { [`filter[siteKey]`]: site });
		expect(bySite.length).toBe(stored.filter((r) => r.siteKey === site).length);
		expect(bySite.every((r) => r.siteKey === site)).toBe(true);

		expect(await totalOf({ 'filter[title:contains]': 'PUMP' })).toBe(stored.filter((r) => r.title.toLowerCase().includes('pump')).length);
		expect(await totalOf({ 'filter[code:startsWith]': 'wo1001' })).toBe(stored.filter((r) => r.code.toLowerCase().startsWith('wo1001')).length);
		expect(await totalOf({ 'filter[code:startsWith]': 'WO1001' })).toBeGreaterThan(0);
	});

	it('compares dates as dates with gt, gteq, lt, lteq and the spec spelling lted', async () => {
		// A timestamp several work orders share, so gt and gteq differ.
		const counts = new Map<string, number>();
		for (const r of stored) counts.set(r.updatedAt, (counts.get(r.updatedAt) ?? 0) + 1);
		const shared = [...counts].find(([, n]) => n > 1)![0];
		const expected = {
			gt: stored.filter((r) => ms(r.updatedAt) > ms(shared)).length,
			gteq: stored.filter((r) => ms(r.updatedAt) >= ms(shared)).length,
			lt: stored.filter((r) => ms(r.updatedAt) < ms(shared)).length,
			lteq: stored.filter((r) => ms(r.updatedAt) <= ms(shared)).length,
		};
		expect(expected.gteq - expected.gt).toBeGreaterThan(1);
		for (const op of ['gt', 'gteq', 'lt', 'lteq'] as const) {
			expect(await totalOf({ [`filter[updatedAt:${op}]`]: shared })).toBe(expected[op]);
		}
		expect(await totalOf({ 'filter[updatedAt:lted]': shared })).toBe(expected.lteq);
		// The same instant written with an offset is the same date.
		const offset = new Date(ms(shared) + 2 * 3_600_000).toISOString().replace('Z', '+02:00').replace('.000', '');
		expect(await totalOf({ 'filter[updatedAt:gteq]': offset })).toBe(expected.gteq);
		// A date-only value compares whole days.
		const day = shared.slice(0, 10);
		expect(await totalOf({ 'filter[updatedAt:gt]': day })).toBe(stored.filter((r) => r.updatedAt.slice(0, 10) > day).length);
		expect(await totalOf({ 'filter[updatedAt:lteq]': day })).toBe(stored.filter((r) => r.updatedAt.slice(0, 10) <= day).length);
		// modified_after (Makini's FAQ) is updatedAt gteq.
		expect(await totalOf({ modified_after: shared })).toBe(expected.gteq);
	});

	it('compares numbers as numbers', async () => {
		const inventories = sb.admin.listRecords({ collection: 'inventories' });
		const answer = await collectAll(sb, '/api/eam/inventories', { 'filter[quantity:gt]': 9 });
		expect(answer.length).toBe(inventories.filter((i) => Number(i.quantity) > 9).length);
		expect(answer.every((i) => i.quantity > 9)).toBe(true);
	});

	it('combines filters with filterMatch all (default) and any', async () => {
		const site = stored[0].siteKey;
		const status = stored[1].statusKey;
		const query = { 'filter[siteKey]': site, 'filter[statusKey]': status };
		const both = stored.filter((r) => r.siteKey === site && r.statusKey === status).length;
		const either = stored.filter((r) => r.siteKey === site || r.statusKey === status).length;
		expect(await totalOf(query)).toBe(both);
		expect(await totalOf({ ...query, filterMatch: 'all' })).toBe(both);
		expect(await totalOf({ ...query, filterMatch: 'any' })).toBe(either);
		expect(either).toBeGreaterThan(both);
	});

	it('sorts ascending (0) and descending (1), ties in a stable order', async () => {
		const asc = await collectAll(sb, WO, { 'sort[updatedAt]': 0 });
		const desc = await collectAll(sb, WO, { 'sort[updatedAt]': 1 });
		expect(asc).toHaveLength(stored.length);
		for (let i = 1; i < asc.length; i++) expect(ms(asc[i - 1].updatedAt)).toBeLessThanOrEqual(ms(asc[i].updatedAt));
		for (let i = 1; i < desc.length; i++) expect(ms(desc[i - 1].updatedAt)).toBeGreaterThanOrEqual(ms(desc[i].updatedAt));
		// Equal timestamps keep insertion order, so repeated reads page identically.
		const position = new Map(stored.map((r, i) => [r.key, i]));
		for (let i = 1; i < asc.length; i++) {
			if (asc[i - 1].updatedAt === asc[i].updatedAt) expect(position.get(asc[i - 1].key)!).toBeLessThan(position.get(asc[i].key)!);
		}
		// Two sort fields apply in the order given.
		const two = await collectAll(sb, WO, { 'sort[siteKey]': 0, 'sort[updatedAt]': 1 });
		for (let i = 1; i < two.length; i++) {
			const [a, b] = [two[i - 1], two[i]];
			expect(a.siteKey <= b.siteKey).toBe(true);
			if (a.siteKey === b.siteKey) expect(ms(a.updatedAt)).toBeGreaterThanOrEqual(ms(b.updatedAt));
		}
	});

	it('has runs of identical updatedAt values that straddle page boundaries', async () => {
		const asc = await collectAll(sb, WO, { 'sort[updatedAt]': 0 });
		let straddling = 0;
		for (let page = 1; page * 10 < asc.length; page++) if (asc[page * 10 - 1].updatedAt === asc[page * 10].updatedAt) straddling++;
		expect(straddling).toBeGreaterThan(0);
		const spanDays = (ms(asc[asc.length - 1].updatedAt) - ms(asc[0].updatedAt)) / 86_400_000;
		expect(spanDays).toBeGreaterThan(60);
		expect(spanDays).toBeLessThanOrEqual(90);
	});

	it('pages with the documented envelope and caps per_page', async () => {
		const first = await call(sb, WO, { query: { per_page: 7, 'sort[updatedAt]': 0 } });
		expect(first.status).toBe(200);
		const lastPage = Math.ceil(stored.length / 7);
		expect(first.body.meta).toEqual({ current_page: 1, from: 1, last_page: lastPage, path: `${sb.url}${WO}`, per_page: 7, to: 7, total: stored.length });
		expect(first.body.links.prev).toBeNull();
		expect(new URL(first.body.links.next).searchParams.get('page')).toBe('2');
		expect(new URL(first.body.links.next).searchParams.get('sort[updatedAt]')).toBe('0');
		expect(new URL(first.body.links.last).searchParams.get('page')).toBe(String(lastPage));

		const last = await call(sb, WO, { query: { per_page: 7, page: lastPage } });
		expect(last.body.links.next).toBeNull();
		expect(last.body.meta.to).toBe(stored.length);
		expect(last.body.data).toHaveLength(stored.length - 7 * (lastPage - 1));
		const beyond = await call(sb, WO, { query: { per_page: 7, page: lastPage + 1 } });
		expect(beyond.body.data).toEqual([]);
		expect(beyond.body.meta.from).toBeNull();
		expect(beyond.body.meta.to).toBeNull();

		const keys = (await collectAll(sb, WO, { per_page: 7 })).map((r) => r.key);
		expect(new Set(keys).size).toBe(stored.length);

		const capped = await call(sb, WO, { query: { per_page: 5000 } });
		expect(capped.body.meta.per_page).toBe(200);
		expect(capped.body.data).toHaveLength(200);
	});

	it('rejects malformed list parameters with 400 INVALID_REQUEST', async () => {
		const malformed: Array<Record<string, string | number>> = [{ 'filter[noSuchField]': 'x' }, { 'filter[title:near]': 'x' }, { 'sort[updatedAt]': 2 }, { page: 'two' }, { filterMatch: 'some' }];
		for (const query of malformed) {
			const answer = await call(sb, WO, { query });
			expect(answer.status).toBe(400);
			expect(answer.body.error.code).toBe('INVALID_REQUEST');
		}
	});

	it('filters and pages sub-resource lists and raw tables', async () => {
		const line = sb.admin.listRecords({ collection: 'work-order-materials' })[0];
		const own = await call(sb, `${WO}/${line.workOrderKey}/materials`);
		expect(own.body.data.length).toBeGreaterThan(0);
		expect(own.body.data.every((m: Json) => m.workOrderKey === line.workOrderKey)).toBe(true);
		const raw = await call(sb, '/api/raw/tables/WORKORDER/data', { query: { 'filter[WONUM]': stored[5].code } });
		expect(raw.body.meta.total).toBe(1);
		expect(raw.body.data[0].WORKORDERID).toBe(stored[5].key);
	});
});

describe('sandbox cursor paging', () => {
	let sb: SandboxHandle;
	beforeAll(async () => {
		sb = await startSandbox({ workOrders: 400, cursorPaging: true });
	});
	afterAll(() => sb.close());

	it('offers next_cursor and follows cursor= to the end, stable under inserts', async () => {
		const stored = sb.admin.listRecords({ collection: 'work-orders' }).map((r) => r.key);
		const seen: string[] = [];
		let answer = await call(sb, WO, { query: { per_page: 50, 'sort[updatedAt]': 0 } });
		expect(typeof answer.body.meta.next_cursor).toBe('string');
		expect(new URL(answer.body.links.next).searchParams.get('cursor')).toBe(answer.body.meta.next_cursor);
		let inserted = false;
		for (;;) {
			seen.push(...answer.body.data.map((r: Json) => r.key));
			const cursor = answer.body.meta.next_cursor;
			if (!cursor) break;
			if (!inserted) {
				// A record that sorts before the cursor must not shift the next page.
				sb.admin.upsertRecords({ collection: 'work-orders', records: [{ title: 'Inserted while paging', siteKey: null, updatedAt: '2000-01-01T00:00:00Z' }] });
				inserted = true;
			}
			answer = await call(sb, WO, { query: { per_page: 50, 'sort[updatedAt]': 0, cursor } });
			expect(answer.status).toBe(200);
		}
		expect(seen).toHaveLength(stored.length);
		expect(new Set(seen)).toEqual(new Set(stored));
	});

	it('rejects a forged cursor', async () => {
		const answer = await call(sb, WO, { query: { cursor: 'not-a-cursor' } });
		expect(answer.status).toBe(400);
	});
});

/**
 * Return All as a bulk read: the same records in the same order with one request per
 * page, and each credential read once per read rather than once (or twice, through n8n's
 * authenticated request helper) per page; OAuth2 is read afresh for every page, and a
 * failed read is tried again rather than kept.
 */
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import { BYTES_SAMPLE_EVERY, credentialsReadOnce, makiniCollect, recordBytes, type MakiniContext } from '../../nodes/shared/transport';
import { HarnessCredentialsHelper } from '../harness/n8n';
import { stubMakiniContext } from '../harness/execute';
import { records, useNodeSandbox } from './helpers';

const env = useNodeSandbox({ workOrders: 1_000, maxPageSize: 200 });

describe('Return All over 1,000 work orders (200 a page)', () => {
	afterEach(() => jest.restoreAllMocks());

	it('returns every record once, in the sandbox order, in ceil(N / 200) requests, reading the credential once', async () => {
		const decrypted = jest.spyOn(HarnessCredentialsHelper.prototype, 'getDecrypted');
		const { items, harness } = await env.run({ system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: true });
		expect(items.map((item) => item.json.key)).toEqual(records(env.sb, 'work-orders').map((record) => record.key));
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(harness.http.log.map((entry) => new URL(entry.url).searchParams.get('page')).sort()).toEqual(['1', '2', '3', '4', '5']);
		// Before: two reads per page (the node's own and n8n's helper's), ten in all.
		const reads = decrypted.mock.calls.filter(([, , type]) => type === 'makiniApi');
		expect(reads.length).toBe(1);
	});
});

/** A stub Makini serving `pages` pages of 2 records; counts each credential type's reads. */
function stub(pages: number, failFirstRead = false) {
	const reads: string[] = [];
	const sent: Array<{ type: string; token: unknown }> = [];
	const node = { name: 'Makini', type: 'makini', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
	let failed = !failFirstRead;
	const ctx: MakiniContext = {
		getNode: () => node,
		async getCredentials<T extends object>(type: string) {
			reads.push(type);
			if (!failed) {
				failed = true;
				throw new Error('database busy');
			}
			return { apiToken: `t${reads.length}`, baseUrl: 'http://makini.test' } as unknown as T;
		},
		helpers: {
			async httpRequestWithAuthentication(this: unknown, type: string, request: IHttpRequestOptions) {
				// As n8n's helper does: the credential comes from the context it is called on.
				const credentials = (await (this as MakiniContext).getCredentials<IDataObject>(type)) as IDataObject;
				sent.push({ type, token: credentials.apiToken });
				const page = Number(new URL(String(request.url)).searchParams.get('page'));
				const data = [{ key: `k${2 * page - 1}` }, { key: `k${2 * page}` }];
				return { statusCode: 200, headers: {}, body: { data, meta: { current_page: page, last_page: pages, per_page: 2 } } };
			},
		},
	};
	return { ctx, reads, sent };
}

const collect = (ctx: MakiniContext, credentialType: 'makiniApi' | 'makiniLinkOAuth2Api') =>
	makiniCollect.call(ctx, { method: 'GET', path: '/api/eam/work-orders', credentialType, retry: { maxAttempts: 1 } });

describe('credentialsReadOnce', () => {
	it('reads an API token credential once for every page of a read', async () => {
		const s = stub(6);
		const all = await collect(s.ctx, 'makiniApi');
		expect(all.map((r) => r.key)).toEqual(Array.from({ length: 12 }, (_, i) => `k${i + 1}`));
		expect(s.sent).toHaveLength(6);
		expect(s.reads).toEqual(['makiniApi']);
	});

	it('reads an OAuth2 credential afresh for every page (n8n may have refreshed its token)', async () => {
		const s = stub(3);
		await collect(s.ctx, 'makiniLinkOAuth2Api');
		expect(s.reads).toHaveLength(6);
		// Pages read ahead interleave their reads: each page sent a token of its own read.
		expect(new Set(s.sent.map((x) => x.token)).size).toBe(3);
	});

	it('keeps no failed read: the next call reads again', async () => {
		const s = stub(1, true);
		const once = credentialsReadOnce(s.ctx);
		await expect(once.getCredentials('makiniApi')).rejects.toThrow('database busy');
		await expect(once.getCredentials('makiniApi')).resolves.toMatchObject({ apiToken: 't2' });
		await expect(once.getCredentials('makiniApi')).resolves.toMatchObject({ apiToken: 't2' });
		expect(s.reads).toHaveLength(2);
		// Per item: another item's credential may resolve differently.
		await once.getCredentials('makiniApi', 1);
		expect(s.reads).toHaveLength(3);
	});
});

describe('the size of a read (recordBytes)', () => {
	/** Records of one length each (keys padded), counting how many JSON.stringify writes out. */
	const counted = (n: number, from = 0) => {
		const written = { count: 0 };
		const list = Array.from({ length: n }, (_, i) => ({
			key: `wo_${String(from + i).padStart(8, '0')}`,
			title: 'x'.repeat(200),
			toJSON() {
				written.count++;
				return { key: this.key, title: this.title };
			},
		})) as unknown as IDataObject[];
		return { list, written };
	};

	it('measures a 200-record page on every 8th record, and exactly for uniform records', () => {
		const { list, written } = counted(200);
		const exact = JSON.stringify(list).length;
		written.count = 0;
		expect(recordBytes(list, false)).toBe(exact);
		expect(written.count).toBe(200 / BYTES_SAMPLE_EVERY);
		written.count = 0;
		expect(recordBytes(list, true)).toBe(exact);
		expect(written.count).toBe(200);
	});

	it('measures small pages exactly', () => {
		const list = [{ key: 'a' }, { key: 'b'.repeat(22), n: 1 }] as IDataObject[];
		expect(recordBytes(list, false)).toBe(JSON.stringify(list).length);
	});

	it('stops a read at the page that passes maxBytes, as measuring every record did', async () => {
		const pages = 40;
		const perPage = 200;
		const pageBytes = JSON.stringify(counted(perPage).list).length;
		const maxBytes = Math.floor(pageBytes * 12.5);
		const requested: number[] = [];
		const ctx = stubMakiniContext(async (request) => {
			const page = Number(new URL(String(request.url)).searchParams.get('page'));
			requested.push(page);
			const data = counted(perPage, (page - 1) * perPage).list;
			return { statusCode: 200, headers: {}, body: { data, meta: { current_page: page, last_page: pages, per_page: perPage } } };
		});
		await expect(
			makiniCollect.call(ctx, { method: 'GET', path: '/api/eam/work-orders', retry: { maxAttempts: 1 } }, { maxBytes, concurrency: 1 }),
		).rejects.toThrow(/MiB of records/);
		// 12.5 pages' worth: the 13th page passes it.
		expect(requested).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
	});
});

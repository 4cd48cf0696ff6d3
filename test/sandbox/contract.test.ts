/**
 * The sandbox serves every operation documented in Makini's OpenAPI files (read from
 * the repository's sibling folder ../shared/makini-api), with real keys substituted,
 * a 2xx answer and the documented envelope; entity records carry every field of their
 * schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { OPERATIONS } from '../../nodes/shared/registry';
import { PRODUCTS, startSandbox, type SandboxHandle } from '../../sandbox';
import { ANSWER_SHAPES, responseTables, schemaMismatches, type AnswerShape } from '../../sandbox/contract/shape';
import { deriveAllResponses } from '../../scripts/contract/responses';
import type { OasDocument } from '../../scripts/contract/derive';
import { call, systemToken } from './helpers';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'makini-api');
const FILES = ['oas3_eam.json', 'oas3_erp.json', 'oas3_wms.json', 'oas3_system.json'];
const available = FILES.every((file) => existsSync(join(SHARED, file)));
if (!available) console.warn(`Contract test skipped: Makini's OpenAPI files are not at ${SHARED}`);

type Json = Record<string, ReturnType<typeof JSON.parse>>;

interface Documented {
	method: string;
	path: string;
	operation: Json;
	spec: Json;
}

function documentedOperations(): Documented[] {
	const result: Documented[] = [];
	for (const file of FILES) {
		const spec = JSON.parse(readFileSync(join(SHARED, file), 'utf8')) as Json;
		for (const [path, methods] of Object.entries(spec.paths as Json)) {
			for (const [method, operation] of Object.entries(methods as Json)) {
				if (['get', 'post', 'put', 'delete', 'patch'].includes(method)) result.push({ method: method.toUpperCase(), path, operation, spec });
			}
		}
	}
	return result;
}

function resolve(spec: Json, schema: Json | undefined): Json | undefined {
	if (!schema?.$ref) return schema;
	return spec.components.schemas[String(schema.$ref).split('/').pop()!];
}

/** 'list', 'single' or 'object', from the documented 200 response. */
function envelopeOf(doc: Documented): { kind: 'list' | 'single' | 'object'; record?: Json } {
	const schema = doc.operation.responses?.['200']?.content?.['application/json']?.schema as Json | undefined;
	const data = schema?.properties?.data;
	if (data?.type === 'array' && schema?.properties?.links && schema?.properties?.meta) return { kind: 'list', record: resolve(doc.spec, data.items) };
	if (data) return { kind: 'single', record: resolve(doc.spec, data) };
	return { kind: 'object' };
}

const REFERENCES: Record<string, string> = {
	siteKey: 'sites', vendorKey: 'vendors', materialKey: 'materials', storeroomKey: 'storerooms', assetKey: 'assets',
	locationKey: 'locations', customerKey: 'customers', currencyKey: 'currencies', uomKey: 'uom', salesOrderKey: 'sales-orders',
	poKey: 'purchase-orders', fromLocationKey: 'locations', toLocationKey: 'locations',
};

(available ? describe : describe.skip)('sandbox contract: every documented operation', () => {
	let sb: SandboxHandle;
	let system: string;

	beforeAll(async () => {
		sb = await startSandbox({ workOrders: 300, connections: 3 });
		system = await systemToken(sb);
	});
	afterAll(() => sb?.close());

	const firstKey = (collection: string) => sb.admin.listRecords({ collection })[0].key;

	function valueFor(field: string): unknown {
		if (REFERENCES[field]) return firstKey(REFERENCES[field]);
		if (field === 'quantity') return 5;
		if (/(At|Date)$|^date$/.test(field)) return '2025-03-01T08:00:00Z';
		return `Contract test ${field}`;
	}

	function urlFor(doc: Documented): string {
		const [, , , segment] = doc.path.split('/');
		let url = doc.path;
		if (url.includes('{materialKey}')) {
			const line = sb.admin.listRecords({ collection: 'work-order-materials' })[0];
			url = url.replace('{key}', String(line.workOrderKey)).replace('{materialKey}', String(line.materialKey));
		}
		url = url.replace('{key}', () => firstKey(segment));
		url = url.replace('{table}', 'WORKORDER');
		if (url.includes('{id}')) url = url.replace('{id}', doc.method === 'DELETE' ? sb.connections[1].id : sb.connections[0].id);
		return url;
	}

	function bodyFor(doc: Documented): unknown {
		const op = OPERATIONS.find((o) => o.method === doc.method && o.path === doc.path)!;
		const [, , , segment] = doc.path.split('/');
		switch (op.operation) {
			case 'updateStatus':
				return { statusKey: firstKey(`statuses/${segment}`) };
			case 'addMaterial':
			case 'updateMaterial':
				return { materialKey: firstKey('materials'), requiredQuantity: 2, usedQuantity: 1 };
			case 'updateInventory':
				return { quantity: 12, unitCost: 4 };
			case 'setMetadata':
				return [{ key: 'crm_id', value: '42' }];
			case 'call':
				return { path: 'dataservice', method: 'post', headers: { 'Content-Type': 'application/json' }, body: { targetName: 'F4801' } };
		}
		if (op.resource === 'connection' && op.operation === 'create') return { name: 'Contract Co', email: 'contract@example.com', provider: 'maximo' };
		if (op.operation !== 'create') return {};
		const required = PRODUCTS.maximo.required[op.resource] ?? [];
		return Object.fromEntries(required.map((field) => [field, valueFor(field)]));
	}

	async function perform(doc: Documented) {
		const isSystem = doc.path.startsWith('/api/system/');
		const isDisconnect = doc.method === 'DELETE' && doc.path === '/api/integrations/current';
		const token = isSystem ? system : isDisconnect ? sb.connections[2].apiToken : sb.apiToken;
		const url = urlFor(doc);
		if (doc.path.endsWith('/documents') && doc.method === 'POST') {
			const form = new FormData();
			form.append('name', 'Pump manual');
			form.append('file', new Blob(['%PDF-1.4 sandbox'], { type: 'application/pdf' }), 'manual.pdf');
			const response = await fetch(sb.url + url, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
			return { status: response.status, body: await response.json() };
		}
		const withBody = doc.method === 'POST' || doc.method === 'PUT';
		return call(sb, url, { method: doc.method, token, body: withBody ? bodyFor(doc) : undefined });
	}

	it('answers every documented method and path with a 2xx and the documented envelope', async () => {
		const documented = documentedOperations();
		expect(documented).toHaveLength(OPERATIONS.length);
		// Deletes last: they disconnect a connection.
		const ordered = [...documented.filter((d) => d.method !== 'DELETE'), ...documented.filter((d) => d.method === 'DELETE')];
		const failures: string[] = [];
		let served = 0;
		for (const doc of ordered) {
			const answer = await perform(doc);
			const problems: string[] = [];
			if (answer.status < 200 || answer.status > 299) problems.push(`status ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
			const op = OPERATIONS.find((o) => o.method === doc.method && o.path === doc.path)!;
			const envelope = envelopeOf(doc);
			const body = answer.body as Json;
			if (typeof body !== 'object' || body === null) problems.push('no JSON object');
			else if (envelope.kind === 'list' || op.list) {
				if (!Array.isArray(body.data)) problems.push('data is not a list');
				for (const name of ['first', 'last', 'prev', 'next']) if (!(name in (body.links ?? {}))) problems.push(`links.${name} missing`);
				for (const name of ['current_page', 'from', 'last_page', 'path', 'per_page', 'to', 'total']) if (!(name in (body.meta ?? {}))) problems.push(`meta.${name} missing`);
			} else if (envelope.kind === 'single') {
				if (!body.data || typeof body.data !== 'object' || Array.isArray(body.data)) problems.push('data is not one record');
			}
			// Entity records carry every field their schema documents.
			if (!problems.length && (op.operation === 'get' || op.operation === 'getMany') && op.system !== 'platform' && envelope.record?.properties) {
				const record = Array.isArray(body.data) ? body.data[0] : body.data;
				if (!record) problems.push('the list is empty');
				else {
					const missing = Object.keys(envelope.record.properties).filter((field) => !(field in record));
					if (missing.length) problems.push(`fields missing: ${missing.join(', ')}`);
				}
			}
			if (problems.length) failures.push(`${doc.method} ${doc.path}: ${problems.join('; ')}`);
			else served++;
		}
		console.log(`Sandbox contract: ${served}/${documented.length} documented operations served with the documented envelope`);
		expect(failures).toEqual([]);
		expect(served).toBe(289);
	});

	it('answers as the OpenAPI response schemas type it: in the spec shape strictly, in the default shape as measured', async () => {
		// The committed schemas are the derivation of the published files.
		const docs = Object.fromEntries(
			(['eam', 'erp', 'wms', 'platform'] as const).map((system, i) => [system, JSON.parse(readFileSync(join(SHARED, FILES[i]), 'utf8')) as OasDocument]),
		);
		const tables = deriveAllResponses(docs);
		expect(responseTables()).toEqual(tables);

		const figures: Record<string, { strict: number; nullsAllowed: number; total: number; sample: string[] }> = {};
		for (const shape of ANSWER_SHAPES as AnswerShape[]) {
			await sb.close();
			sb = await startSandbox({ workOrders: 300, connections: 3, answerShape: shape });
			system = await systemToken(sb);
			const documented = documentedOperations();
			const ordered = [...documented.filter((d) => d.method !== 'DELETE'), ...documented.filter((d) => d.method === 'DELETE')];
			const figure = { strict: 0, nullsAllowed: 0, total: 0, sample: [] as string[] };
			for (const doc of ordered) {
				const schema = tables.operations[`${doc.method} ${doc.path}`];
				if (!schema) continue;
				const answer = await perform(doc);
				expect(answer.status).toBeLessThan(300);
				figure.total++;
				const strict = schemaMismatches(answer.body, schema, tables, true);
				if (strict.length === 0) figure.strict++;
				else if (schemaMismatches(answer.body, schema, tables, false).length === 0) figure.nullsAllowed++;
				if (strict.length && figure.sample.length < 5) figure.sample.push(`${doc.method} ${doc.path}: ${strict.slice(0, 2).join('; ')}`);
			}
			figures[shape] = figure;
		}
		for (const [shape, f] of Object.entries(figures)) {
			console.log(
				`Schema match, ${shape} shape: ${f.strict}/${f.total} answers strictly (${((100 * f.strict) / f.total).toFixed(1)} %), ` +
					`${f.nullsAllowed} more if nulls were allowed${f.sample.length ? `; e.g. ${f.sample.join(' | ')}` : ''}`,
			);
		}
		expect(figures.spec.strict / figures.spec.total).toBeGreaterThanOrEqual(0.95);
	}, 180_000);
});


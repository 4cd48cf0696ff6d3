/**
 * Resolve Records' endpoints against Makini's OpenAPI files (../shared/makini-api, when
 * present): each entity event's collection maps onto the documented single-record GET
 * of each family that has one, and onto none where the family documents none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ENTITY_COLLECTIONS } from '../../nodes/MakiniTrigger/events';
import { RECORD_PATHS, RESOLVE_SYSTEMS, recordPath } from '../../nodes/MakiniTrigger/resolveRecords';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'makini-api');
const available = RESOLVE_SYSTEMS.every((system) => existsSync(join(SHARED, `oas3_${system}.json`)));

describe('Resolve Records endpoints', () => {
	it('cover every entity event collection', () => {
		for (const c of ENTITY_COLLECTIONS) expect(Object.keys(RECORD_PATHS)).toContain(c.slug);
		expect(recordPath('work-orders.updated', 'eam')).toBe('/api/eam/work-orders/');
		expect(recordPath('work-orders.updated', 'erp')).toBeUndefined();
		expect(recordPath('__proto__.updated', 'eam')).toBeUndefined();
	});

	(available ? it : it.skip)('are exactly the documented GET /api/<family>/<collection>/{key} operations', () => {
		for (const system of RESOLVE_SYSTEMS) {
			const spec = JSON.parse(readFileSync(join(SHARED, `oas3_${system}.json`), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
			for (const c of ENTITY_COLLECTIONS) {
				const documented = `/api/${system}/${c.slug}/{key}`;
				const hasGet = Boolean(spec.paths[documented]?.get);
				expect({ system, slug: c.slug, path: recordPath(`${c.slug}.updated`, system) }).toEqual({
					system,
					slug: c.slug,
					path: hasGet ? `/api/${system}/${c.slug}/` : undefined,
				});
			}
		}
	});
});

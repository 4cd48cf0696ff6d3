/** The import rules of nodes/ (scripts/architecture/imports.ts), on the real tree and on edges that break them. */
import { join } from 'path';

import { importEdges, violations } from '../../scripts/architecture/imports';

describe('nodes/ import rules', () => {
	it('the package breaks none', () => {
		const edges = importEdges(join(__dirname, '..', '..'));
		expect(edges.length).toBeGreaterThan(100);
		expect(violations(edges)).toEqual([]);
	});

	it.each([
		['a node folder importing another', 'nodes/MakiniRecordChangesTrigger/poll.ts', 'nodes/Makini/actions/params.ts', 'a node folder imports only itself'],
		['nodes/shared importing a node', 'nodes/shared/transport/request.ts', 'nodes/Makini/registry/index.ts', 'nodes/shared/ imports no node folder'],
		['actions importing descriptions', 'nodes/Makini/actions/getMany.ts', 'nodes/Makini/descriptions/list.ts', 'execution imports no descriptions'],
		['the transport importing UI builders', 'nodes/shared/transport/query.ts', 'nodes/shared/descriptions/filters.ts', 'execution imports no descriptions'],
		['nodes importing the tests', 'nodes/Makini/actions/get.ts', 'test/harness/execute.ts', 'imports nothing outside nodes/'],
	])('finds %s', (_case, from, to, rule) => {
		const found = violations([{ from, to }]);
		expect(found.map((v) => v.rule).join('; ')).toContain(rule);
	});

	it('allows a node to import nodes/shared and itself', () => {
		expect(
			violations([
				{ from: 'nodes/Makini/actions/get.ts', to: 'nodes/Makini/actions/request.ts' },
				{ from: 'nodes/Makini/descriptions/list.ts', to: 'nodes/shared/descriptions/filters.ts' },
				{ from: 'nodes/MakiniTrigger/events.ts', to: 'nodes/shared/article.ts' },
			]),
		).toEqual([]);
	});
});

/**
 * Matches a request to a documented operation: every method+path template of the
 * operation registry. A literal segment beats a placeholder (so
 * /work-orders/custom-fields is not read as /work-orders/{key}); a path that exists
 * for other methods only yields the methods it allows (405).
 */
import { OPERATIONS, type ContractOperation } from '../../nodes/shared/registry';

type Segment = { literal: string } | { param: string };

interface Route {
	op: ContractOperation;
	segments: Segment[];
}

export type RouteMatch =
	| { kind: 'operation'; op: ContractOperation; params: Record<string, string> }
	| { kind: 'method'; allowed: string[] }
	| { kind: 'none' };

function compile(op: ContractOperation): Route {
	const segments = op.path
		.split('/')
		.slice(1)
		.map((part): Segment => {
			const param = /^\{(\w+)\}$/.exec(part)?.[1];
			return param ? { param } : { literal: part };
		});
	return { op, segments };
}

export class Router {
	private readonly bySize = new Map<number, Route[]>();

	constructor(operations: readonly ContractOperation[] = OPERATIONS) {
		for (const op of operations) {
			const route = compile(op);
			const list = this.bySize.get(route.segments.length) ?? [];
			list.push(route);
			this.bySize.set(route.segments.length, list);
		}
	}

	match(method: string, path: string): RouteMatch {
		const parts = path.split('/').slice(1);
		let decoded: string[];
		try {
			decoded = parts.map((part) => decodeURIComponent(part));
		} catch {
			return { kind: 'none' };
		}
		const candidates: Array<{ route: Route; score: number; params: Record<string, string> }> = [];
		for (const route of this.bySize.get(parts.length) ?? []) {
			const params: Record<string, string> = {};
			let score = 0;
			let ok = true;
			for (let i = 0; i < route.segments.length && ok; i++) {
				const segment = route.segments[i];
				if ('literal' in segment) {
					ok = segment.literal === parts[i];
					// Earlier literal segments weigh more, so specificity compares left to right.
					score += 2 ** (route.segments.length - i);
				} else {
					ok = decoded[i] !== '';
					params[segment.param] = decoded[i];
				}
			}
			if (ok) candidates.push({ route, score, params });
		}
		if (!candidates.length) return { kind: 'none' };
		const withMethod = candidates.filter((c) => c.route.op.method === method);
		if (!withMethod.length) {
			return { kind: 'method', allowed: [...new Set(candidates.map((c) => c.route.op.method))].sort() };
		}
		withMethod.sort((a, b) => b.score - a.score);
		return { kind: 'operation', op: withMethod[0].route.op, params: withMethod[0].params };
	}
}

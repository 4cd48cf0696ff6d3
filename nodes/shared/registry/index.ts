import { eam } from './contract/eam';
import { erp } from './contract/erp';
import { platform } from './contract/platform';
import { wms } from './contract/wms';
import type { ContractField, ContractOperation, ContractTables, MakiniSystem } from './types';

export * from './types';

export const CONTRACT: Record<MakiniSystem, ContractTables> = { eam, erp, wms, platform };

/** Every documented operation, in the order of the published files. */
export const OPERATIONS: readonly ContractOperation[] = Object.values(CONTRACT).flatMap(
	(tables) => tables.operations,
);

const byId = new Map(OPERATIONS.map((op) => [operationId(op), op]));

export function operationId(op: Pick<ContractOperation, 'system' | 'resource' | 'operation'>): string {
	return `${op.system}.${op.resource}.${op.operation}`;
}

export function findOperation(
	system: string,
	resource: string,
	operation: string,
): ContractOperation | undefined {
	return byId.get(`${system}.${resource}.${operation}`);
}

/** The documented path of an operation a node calls on its own (health reads, connection tokens). */
export function documentedPath(system: MakiniSystem, resource: string, operation: string): string {
	const op = findOperation(system, resource, operation);
	if (!op) throw new Error(`The registry documents no ${system}.${resource}.${operation}`);
	return op.path;
}

/** Resource ids of a system, in first-documented order. */
export function resourcesOf(system: MakiniSystem): string[] {
	return [...new Set(CONTRACT[system].operations.map((op) => op.resource))];
}

export function operationsOf(system: MakiniSystem, resource: string): ContractOperation[] {
	return CONTRACT[system].operations.filter((op) => op.resource === resource);
}

/** Fields of the records an operation returns (for filter and sort options). */
export function recordFields(op: ContractOperation): ContractField[] {
	return op.schema ? (CONTRACT[op.system].schemas[op.schema] ?? []) : [];
}

/** Which operation the node is set to while n8n loads options or searches a list. */
import { NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { findOperation, type ContractOperation } from './registry';
import { PLATFORM_RESOURCES } from './registry/families';

export function currentParameter(ctx: ILoadOptionsFunctions, name: string): string {
	const value = ctx.getCurrentNodeParameter(name);
	return typeof value === 'string' ? value : '';
}

/**
 * The registry operation for the node's current system and resource, and the given
 * operation. The System parameter (hidden in the family nodes) names the system; a
 * platform resource (Raw Data, Connection, ...) is the platform's.
 */
export function currentOperation(ctx: ILoadOptionsFunctions, operation = currentParameter(ctx, 'operation')): ContractOperation {
	const resource = currentParameter(ctx, 'resource');
	const system = PLATFORM_RESOURCES.includes(resource) ? 'platform' : currentParameter(ctx, 'system');
	const op = findOperation(system, resource, operation);
	if (!op) {
		throw new NodeOperationError(ctx.getNode(), `Makini documents no "${operation}" for "${resource}" in "${system}"`);
	}
	return op;
}

/** The Simplify switch of Get and Get Many (which fields it keeps: registry/simplify). */
import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS } from '../../shared/registry';
import { offersSimplify } from '../../shared/registry/simplify';
import { forOperation } from './scope';

export function simplifyProperty(): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simple',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		hint: 'Keeps the fields builders map most: key, number or code, name or title, status, main links, quantity or total, due and order dates, updatedAt. Turn it off for every field.',
	};
}

/** Simplify on Get (Get Many has it in its list parameters, before Options). */
export function getSimplifyProperties(): INodeProperties[] {
	return OPERATIONS.filter((op) => op.operation === 'get' && offersSimplify(op)).map((op) => forOperation(op, simplifyProperty()));
}

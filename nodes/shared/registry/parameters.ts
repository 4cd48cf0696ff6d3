/**
 * The node parameters an operation's inputs are read from. Declared by the descriptions
 * and read by execution, so both take the names from here.
 */
import type { ContractField } from './types';

/** Node parameter that fills each path placeholder ({key}, {materialKey}, {id}, {table}). */
export const PLACEHOLDER_PARAMETERS: Record<string, { name: string; displayName: string }> = {
	key: { name: 'key', displayName: 'Key' },
	materialKey: { name: 'materialKey', displayName: 'Material Key' },
	id: { name: 'connectionId', displayName: 'Connection ID' },
	table: { name: 'table', displayName: 'Table' },
};

/** Names the node uses for its own parameters; a body field with such a name gets a suffix. */
const RESERVED = new Set([
	'system',
	'resource',
	'operation',
	'authentication',
	'key',
	'connectionId',
	'table',
	'status',
	'bodyMode',
	'jsonBody',
	'additionalFields',
	'updateFields',
	'customFields',
	'returnAll',
	'limit',
	'filters',
	'options',
	'binaryPropertyName',
]);

/** The top-level parameter name of a body field. */
export function fieldParameterName(field: Pick<ContractField, 'name'>): string {
	return RESERVED.has(field.name) ? `${field.name}Field` : field.name;
}

/** The two row kinds of a nested list's parameter: typed rows, and lists from an expression. */
export const LINES_TYPED = 'item';
export const LINES_FROM_EXPRESSION = 'fromExpression';
/** A line's own collection of its less used fields. */
export const LINE_MORE = 'additionalFields';

/**
 * Lists: Return All / Limit (one page by default), filters as field / operator / value
 * rows, match all or any, sort, an Updated Since shortcut and Get by Keys.
 */
import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../shared/descriptions/options';
import { filterMatchOption, filtersProperty } from '../../shared/descriptions/filters';
import { recordFieldValue, rowsProperty } from '../../shared/descriptions/rows';
import { OPERATIONS, type ContractOperation } from '../../shared/registry';
import { supportsKeys, supportsUpdatedSince } from '../../shared/registry/lists';
import { offersSimplify } from '../../shared/registry/simplify';
import { forOperation } from './scope';
import { simplifyProperty } from './simplify';

/** The Makini node's field pickers follow the operation, and a raw table's columns its table. */
const FIELD_DEPENDS_ON = ['system', 'resource', 'operation', 'table'];

function pagingProperties(op: ContractOperation): INodeProperties[] {
	return [
		forOperation(op, {
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		}),
		forOperation(
			op,
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				// n8n's convention for Limit, and the registry's DEFAULT_LIMIT (a test holds them equal).
				default: 50,
				description: 'Max number of results to return',
			},
			{ returnAll: [false] },
		),
	];
}

function optionsProperty(op: ContractOperation): INodeProperties | undefined {
	const options: INodeProperties[] = [];
	if (op.filterable) {
		options.push(
			filterMatchOption(),
			rowsProperty({
				displayName: 'Sort',
				name: 'sort',
				placeholder: 'Add Sort Rule',
				row: 'rules',
				rowDisplayName: 'Rule',
				values: [
					recordFieldValue(FIELD_DEPENDS_ON),
					{
						displayName: 'Direction',
						name: 'direction',
						type: 'options',
						options: [
							{ name: 'Ascending', value: 'asc' },
							{ name: 'Descending', value: 'desc' },
						],
						default: 'asc',
					},
				],
			}),
		);
	}
	if (supportsUpdatedSince(op)) {
		options.push({
			displayName: 'Updated Since',
			name: 'updatedSince',
			type: 'dateTime',
			default: '',
			description:
				'Only records changed at or after this moment: for incremental reads, e.g. the time of the previous run',
		});
	}
	if (supportsKeys(op)) {
		options.push({
			displayName: 'Get by Keys',
			name: 'keys',
			type: 'string',
			default: '',
			placeholder: 'e.g. 0600022304, 0600022305',
			description:
				'Only these records: comma-separated keys, or a list from an expression (such as the keys a Makini webhook delivered). Duplicates are read once; filters, sort and limit do not apply.',
		});
	}
	if (!options.length) return undefined;
	return optionsCollection(options.sort((a, b) => a.displayName.localeCompare(b.displayName)));
}

export function listProperties(): INodeProperties[] {
	return OPERATIONS.filter((op) => op.list).flatMap((op) => {
		const properties = pagingProperties(op);
		if (op.filterable) properties.push(forOperation(op, filtersProperty(FIELD_DEPENDS_ON, op)));
		if (offersSimplify(op)) properties.push(forOperation(op, simplifyProperty()));
		const options = optionsProperty(op);
		if (options) properties.push(forOperation(op, options));
		return properties;
	});
}

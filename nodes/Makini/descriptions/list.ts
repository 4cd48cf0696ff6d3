/**
 * Lists: Return All / Limit (one page by default), filters as field / operator / value
 * rows, match all or any, sort, an Updated Since shortcut and Get by Keys.
 */
import type { INodeProperties } from 'n8n-workflow';

import { findOperation, OPERATIONS, recordFields, type ContractOperation } from '../registry';
import { recordFieldValue, rowsProperty } from './rows';
import { forOperation } from './scope';

export const DEFAULT_LIMIT = 50;

export const OPERATOR_OPTIONS = [
	{ name: 'Equals', value: 'equals' },
	{ name: 'Contains', value: 'contains' },
	{ name: 'Starts With', value: 'startsWith' },
	{ name: 'Greater Than', value: 'gt' },
	{ name: 'At Least', value: 'gteq', description: 'Greater than or equal to' },
	{ name: 'Less Than', value: 'lt' },
	{ name: 'At Most', value: 'lteq', description: 'Less than or equal to' },
];

/** Get Many of an entity that also documents Get: can fetch given keys instead of a list. */
export function supportsKeys(op: ContractOperation): boolean {
	return op.operation === 'getMany' && op.system !== 'platform' && Boolean(findOperation(op.system, op.resource, 'get'));
}

/** Incremental reads need an `updatedAt` on the records (or Makini's `modified_after`). */
export function supportsUpdatedSince(op: ContractOperation): boolean {
	return op.system !== 'platform' && Boolean(op.filterable) && recordFields(op).some((f) => f.name === 'updatedAt');
}

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
				default: 50,
				description: 'Max number of results to return',
			},
			{ returnAll: [false] },
		),
	];
}

function filterProperty(): INodeProperties {
	return rowsProperty({
		displayName: 'Filters',
		name: 'filters',
		placeholder: 'Add Filter',
		description: 'Conditions on the records’ fields; see Match in Options for all or any',
		row: 'conditions',
		rowDisplayName: 'Condition',
		values: [
			recordFieldValue(),
			{ displayName: 'Operator', name: 'operator', type: 'options', options: OPERATOR_OPTIONS, default: 'equals' },
			{
				displayName: 'Value',
				name: 'value',
				type: 'string',
				default: '',
				description: 'Dates as ISO 8601 (e.g. 2024-05-01 or 2024-05-01T08:00:00Z)',
			},
		],
	});
}

function optionsProperty(op: ContractOperation): INodeProperties | undefined {
	const options: INodeProperties[] = [];
	if (op.filterable) {
		options.push(
			{
				displayName: 'Match',
				name: 'filterMatch',
				type: 'options',
				options: [
					{ name: 'All Filters', value: 'all' },
					{ name: 'Any Filter', value: 'any' },
				],
				default: 'all',
				description: 'Whether a record must match all filters or any one of them',
			},
			rowsProperty({
				displayName: 'Sort',
				name: 'sort',
				placeholder: 'Add Sort Rule',
				row: 'rules',
				rowDisplayName: 'Rule',
				values: [
					recordFieldValue(),
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
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export function listProperties(): INodeProperties[] {
	return OPERATIONS.filter((op) => op.list).flatMap((op) => {
		const properties = pagingProperties(op);
		if (op.filterable) properties.push(forOperation(op, filterProperty()));
		const options = optionsProperty(op);
		if (options) properties.push(forOperation(op, options));
		return properties;
	});
}

/**
 * The Filters parameter's rows (field / operator / value) as list filters, checked the
 * same way for the Makini node and the Record Changes Trigger. Field syntax is checked
 * where the query is built (`buildListQuery`), the one place that rule lives.
 */
import { collectionRows, toIsoText, typeName } from './parameters';
import { FILTER_OPERATORS, type FilterOperator, type ListFilter } from './transport';

/** Throws an Error naming the bad row; callers turn it into a NodeOperationError for their node and item. */
export function readFilterRows(raw: unknown): ListFilter[] {
	return collectionRows(raw).map((row) => {
		const field = typeof row.field === 'string' ? row.field.trim() : '';
		if (!field) throw new Error('A row of the parameter "Filters" has no field');
		const operator = (row.operator ?? 'equals') as FilterOperator;
		if (!FILTER_OPERATORS.includes(operator)) {
			throw new Error(`The parameter "Filters" has an unknown operator "${String(operator)}"`);
		}
		const value = toIsoText(row.value ?? '');
		if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
			throw new Error(`A value in the parameter "Filters" must be text, a number or a boolean, not ${typeName(value)}`);
		}
		return { field, operator, value };
	});
}

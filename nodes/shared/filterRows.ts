/**
 * The Filters parameter's rows (field / operator / value) as list filters, checked the
 * same way for the Makini node and the Record Changes Trigger. Field syntax is checked
 * where the query is built (`buildListQuery`), the one place that rule lives.
 */
import { collectionRows, toIsoText, typeName } from './parameters';
import type { FilterValueKind } from './registry/filters';
import { humanize } from './registry/naming';
import { filterDateText } from './time';
import { FILTER_OPERATORS, type FilterOperator, type ListFilter } from './transport';

export interface FilterRowTypes {
	/** What a field's value is (registry/filters' filterValueKindOf for the list). */
	kindOf: (field: string) => FilterValueKind;
	/** Which row input holds it (registry/filters' filterValueParameterOf for the list). */
	parameterOf: (field: string) => string;
	/** The workflow's time zone, for a date picked without one. */
	timeZone: string;
}

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && !value.trim());

/** A resource locator's value ({ __rl, mode, value }) is its key; anything else stays as it is. */
function locatorValue(raw: unknown): unknown {
	if (raw !== null && typeof raw === 'object' && (raw as { __rl?: unknown }).__rl === true) return (raw as { value?: unknown }).value;
	return raw;
}

/**
 * The value of a row: the input shown for its field's kind, else the text Value (a field
 * given by expression shows the text input). Dates are sent as Makini's UTC text.
 */
function rowValue(row: Record<string, unknown>, field: string, types?: FilterRowTypes): unknown {
	const kind = types?.kindOf(field) ?? 'text';
	const typed = kind === 'text' || !types ? undefined : locatorValue(row[types.parameterOf(field)]);
	const raw = isBlank(typed) ? (row.value ?? '') : typed;
	// n8n drops an input the form hides: a value typed into the text Value of a field that
	// has its own input (a date, a picker) arrives blank, and an empty condition must not
	// widen the list.
	if (kind !== 'text' && isBlank(raw)) {
		const how = kind === 'date' ? 'pick a date, or give ISO 8601 such as 2024-05-01' : 'pick one from the list, or choose By Key and type it';
		throw new Error(`The filter on "${humanize(field)}" (${field}) has no value: ${how}`);
	}
	if (kind !== 'date' || !types || isBlank(raw)) return toIsoText(raw);
	const date = filterDateText(raw, types.timeZone);
	if (date === undefined) {
		throw new Error(
			`The filter on "${humanize(field)}" (${field}) needs a date, not ${JSON.stringify(toIsoText(raw))}: pick one, or give ISO 8601 such as 2024-05-01 or 2024-05-01T08:00:00Z`,
		);
	}
	return date;
}

/** Throws an Error naming the bad row; callers turn it into a NodeOperationError for their node and item. */
export function readFilterRows(raw: unknown, types?: FilterRowTypes): ListFilter[] {
	return collectionRows(raw).map((row) => {
		const field = typeof row.field === 'string' ? row.field.trim() : '';
		if (!field) throw new Error('A row of the parameter "Filters" has no field');
		const operator = (row.operator ?? 'equals') as FilterOperator;
		if (!FILTER_OPERATORS.includes(operator)) {
			throw new Error(`The parameter "Filters" has an unknown operator "${String(operator)}"`);
		}
		const value = rowValue(row, field, types);
		if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
			throw new Error(`A value in the parameter "Filters" must be text, a number or a boolean, not ${typeName(value)}`);
		}
		return { field, operator, value };
	});
}

/** Reading parameter values the way every node needs them, whatever the editor or an expression produced. */
import type { IDataObject } from 'n8n-workflow';

/** How a value is named in an error: "a list", "an object", "a number"... */
export function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Dates from the UI (text) or from expressions (Date, Luxon DateTime) as ISO 8601 text. */
export function toIsoText(value: unknown): unknown {
	if (value instanceof Date) return value.toISOString();
	if (value !== null && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return (value as { toISO: () => string }).toISO();
	}
	return typeof value === 'string' ? value.trim() : value;
}

/** Rows of a fixedCollection with multiple values, whatever its inner option is called. */
export function collectionRows(raw: unknown): IDataObject[] {
	if (Array.isArray(raw)) return raw as IDataObject[];
	if (raw === null || typeof raw !== 'object') return [];
	return Object.values(raw as IDataObject).flatMap((rows) => (Array.isArray(rows) ? (rows as IDataObject[]) : []));
}

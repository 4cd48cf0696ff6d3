/**
 * A short digest of a record's content, independent of field order: tells a record that
 * changed from one that did not when the timestamp alone cannot (no timestamp, or a
 * second change within the same second).
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value as IDataObject)
				.sort()
				.map((name) => [name, canonical((value as IDataObject)[name])]),
		);
	}
	return value;
}

export function fingerprint(record: IDataObject): string {
	return createHash('sha256').update(JSON.stringify(canonical(record))).digest('base64').slice(0, 16);
}

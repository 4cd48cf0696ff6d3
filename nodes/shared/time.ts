/**
 * Makini's timestamps as instants. They come as ISO 8601 text, sometimes with
 * microseconds or in Laravel's "2024-05-01 10:00:00" form; a time without a zone is UTC.
 */

/** Milliseconds since the epoch, or undefined when the text is not a date-time. */
export function instant(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || !value.trim()) return undefined;
	let text = value.trim().replace(' ', 'T');
	if (/T\d{2}:\d{2}/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) text += 'Z';
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? undefined : ms;
}

/** Orders two timestamps: as instants when both are dates, otherwise as text. */
export function compareTimestamps(a: string, b: string): number {
	const left = instant(a);
	const right = instant(b);
	if (left !== undefined && right !== undefined) return left - right;
	return a < b ? -1 : a > b ? 1 : 0;
}

export function isoAt(ms: number): string {
	return new Date(ms).toISOString();
}

/** The timestamp `ms` milliseconds before `value` (the value itself when ms is 0 or it is no date). */
export function before(value: string, ms: number): string {
	if (ms <= 0) return value;
	const at = instant(value);
	return at === undefined ? value : isoAt(at - ms);
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

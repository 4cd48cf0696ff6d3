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

const ZONED = /(Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `ms`. */
function zoneOffset(ms: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	}).formatToParts(new Date(ms));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wall - Math.floor(ms / 1000) * 1000;
}

/** Makini's own spelling of an instant: ISO 8601 in UTC, whole seconds without ".000". */
export function makiniInstant(ms: number): string {
	return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * A date a builder gave (n8n's date picker, an expression's DateTime or Date, ISO text) as
 * Makini's filters take it: UTC text as in Makini's own records. A date-time without a
 * zone (what n8n's date picker writes) is read in `timeZone`, the workflow's; text already
 * in UTC keeps its precision (bar an empty fraction) and a date alone (which Makini compares
 * as a whole day) is sent as it is.
 * Undefined when the value is no date.
 */
export function filterDateText(value: unknown, timeZone: string): string | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : makiniInstant(value.getTime());
	if (value !== null && typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		const ms = (value as { toMillis: () => number }).toMillis();
		return Number.isFinite(ms) ? makiniInstant(ms) : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (DATE_ONLY.test(text)) return Number.isNaN(Date.parse(text)) ? undefined : text;
	if (/Z$/i.test(text)) return Number.isNaN(Date.parse(text)) ? undefined : text.replace(/\.0+Z$/i, 'Z');
	if (ZONED.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : makiniInstant(ms);
	}
	if (!LOCAL_DATE_TIME.test(text)) return undefined;
	const wall = Date.parse(`${text.replace(' ', 'T')}Z`);
	if (Number.isNaN(wall)) return undefined;
	let offset: number;
	try {
		offset = zoneOffset(wall - zoneOffset(wall, timeZone), timeZone);
	} catch {
		offset = 0;
	}
	return makiniInstant(wall - offset);
}

/**
 * Makini's own clock, from the `Date` header of its answers (RFC 9110: when the answer
 * was generated, to the second). The polling cursor is held to it, not to n8n's clock
 * nor to the timestamps the connected systems put on their records.
 */

/** The instant (ms) an answer's Date header gives; undefined when there is none or it is no date. */
export function serverTimeOf(headers: Record<string, unknown> | undefined): number | undefined {
	if (!headers) return undefined;
	for (const [name, value] of Object.entries(headers)) {
		if (name.toLowerCase() !== 'date') continue;
		const text = Array.isArray(value) ? value[0] : value;
		if (typeof text !== 'string') return undefined;
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : ms;
	}
	return undefined;
}

/**
 * Removes secrets (API token, client secret, access tokens obtained) from anything a
 * Makini answer can carry into an error, an item or a log, in every form a server or a
 * proxy could echo them: verbatim, base64 and base64url (also inside a longer encoded
 * text such as `Basic base64(id:secret)`), hex, URL-encoded and JSON-escaped.
 */

const REDACTED = '[redacted]';

/** Shorter values would also match ordinary text. */
const MIN_SECRET_LENGTH = 4;

interface Form {
	needle: string;
	/** Hex and URL-encoding are case-insensitive in practice. */
	ignoreCase: boolean;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every form of one secret to look for. */
function formsOf(secret: string): Form[] {
	const bytes = Buffer.from(secret, 'utf8');
	const base64 = bytes.toString('base64');
	const forms: Form[] = [
		{ needle: secret, ignoreCase: false },
		{ needle: JSON.stringify(secret).slice(1, -1), ignoreCase: false },
		{ needle: encodeURIComponent(secret), ignoreCase: true },
		{ needle: bytes.toString('hex'), ignoreCase: true },
		{ needle: base64.replace(/=+$/, ''), ignoreCase: false },
		{ needle: bytes.toString('base64url'), ignoreCase: false },
	];
	// Base64 of a secret inside a longer text starts at one of three byte offsets; the
	// characters that also depend on the neighbouring bytes are left out of the needle.
	for (const shift of [0, 1, 2]) {
		const shifted = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
		const middle = shifted.slice(shift ? 4 : 0, shifted.length - 4);
		if (middle.length >= 8) {
			forms.push({ needle: middle, ignoreCase: false });
			forms.push({ needle: middle.replace(/\+/g, '-').replace(/\//g, '_'), ignoreCase: false });
		}
	}
	const seen = new Set<string>();
	return forms.filter(({ needle }) => needle.length >= MIN_SECRET_LENGTH && !seen.has(needle) && seen.add(needle) !== undefined);
}

/** A matcher for every form of every secret, longest first so a whole form wins over a part. */
function matcherFor(secrets: string[]): RegExp | undefined {
	const forms = secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH).flatMap(formsOf);
	if (!forms.length) return undefined;
	forms.sort((a, b) => b.needle.length - a.needle.length);
	// Case-insensitive forms become character classes, so one regular expression serves all.
	const alternatives = forms.map(({ needle, ignoreCase }) =>
		ignoreCase
			? [...needle].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escapeRegExp(c))).join('')
			: escapeRegExp(needle),
	);
	return new RegExp(alternatives.join('|'), 'g');
}

const matchers = new Map<string, RegExp | undefined>();

function cachedMatcher(secrets: string[]): RegExp | undefined {
	const key = secrets.join('\u0000');
	if (!matchers.has(key)) {
		if (matchers.size > 50) matchers.clear();
		matchers.set(key, matcherFor(secrets));
	}
	return matchers.get(key);
}

/** Removes every known secret (in any of its forms) and any bearer or basic credential from a text. */
export function redact(text: string, secrets: string[] = []): string {
	let result = text
		.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, `Bearer ${REDACTED}`)
		.replace(/Basic\s+[A-Za-z0-9+/=]{8,}/gi, `Basic ${REDACTED}`);
	const matcher = cachedMatcher(secrets);
	if (matcher) result = result.replace(matcher, REDACTED);
	return result;
}

/** A copy of a JSON-like value with every string (and key) redacted. */
export function redactValue<T>(value: T, secrets: string[] = [], depth = 0): T {
	if (typeof value === 'string') return redact(value, secrets) as T;
	if (value === null || typeof value !== 'object' || depth > 50) return value;
	if (Array.isArray(value)) return value.map((entry) => redactValue(entry, secrets, depth + 1)) as T;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
		copy[redact(key, secrets)] = redactValue(entry, secrets, depth + 1);
	}
	return copy as T;
}

/**
 * Recognisable secrets and a scanner for them. Every reliability run uses these values
 * for the API token, the System API client secret and the webhook secrets, then scans
 * whatever it can capture (log lines, errors, output items, execution records) for them
 * in every form a leak could take: verbatim, base64 / base64url, hex, URL-encoded, and
 * JSON-escaped. A scan that is never given a leak cannot fail, so the suites also feed it
 * a planted one (see secrets.test.ts).
 */
import { createHash } from 'node:crypto';

export interface RecognisableSecrets {
	/** Makini API credential: the connection's bearer token. */
	apiToken: string;
	/** Makini System API credential. */
	systemClientId: string;
	systemClientSecret: string;
	/** Makini Webhook Secret API credential: current and previous secret. */
	webhookSecret: string;
	previousWebhookSecret: string;
}

/**
 * Distinctive values: long, unlikely anywhere else, with a run-specific tail so two runs
 * never share one. `seed` makes them reproducible.
 */
export function recognisableSecrets(seed: string | number = Date.now()): RecognisableSecrets {
	const tail = (label: string) => createHash('sha256').update(`${label}:${seed}`).digest('hex').slice(0, 24);
	return {
		apiToken: `mkn_tok_LEAKCANARY_${tail('token')}`,
		systemClientId: `mkn_client_${tail('client-id')}`,
		systemClientSecret: `mkn_csec_LEAKCANARY_${tail('client-secret')}`,
		webhookSecret: `whsec_LEAKCANARY_${tail('webhook')}`,
		previousWebhookSecret: `whsec_prev_LEAKCANARY_${tail('webhook-previous')}`,
	};
}

/** The secret values of a RecognisableSecrets (not the client ID: it is not secret). */
export function secretValues(secrets: RecognisableSecrets): string[] {
	return [secrets.apiToken, secrets.systemClientSecret, secrets.webhookSecret, secrets.previousWebhookSecret];
}

export interface SecretFinding {
	/** Which secret (its first 12 characters, so the report itself does not leak it). */
	secret: string;
	/** How it appeared: plain, base64, base64url, hex, url-encoded, json-escaped, … */
	form: string;
	/** Where: a path into the scanned value, e.g. `logs[3].meta.headers.authorization`. */
	where: string;
}

/** Every form a secret could take when leaked. Minimum length keeps fragments meaningful. */
function encodedForms(secret: string): Array<{ form: string; needle: string }> {
	const bytes = Buffer.from(secret, 'utf8');
	const base64 = bytes.toString('base64');
	const forms: Array<{ form: string; needle: string }> = [
		{ form: 'plain', needle: secret },
		{ form: 'url-encoded', needle: encodeURIComponent(secret) },
		{ form: 'json-escaped', needle: JSON.stringify(secret).slice(1, -1) },
		{ form: 'hex', needle: bytes.toString('hex') },
		{ form: 'base64', needle: base64.replace(/=+$/, '') },
		{ form: 'base64url', needle: bytes.toString('base64url') },
		// Base64 of a secret embedded in a longer string (e.g. `Basic base64(id:secret)`)
		// starts at one of three byte offsets: look for the stable middle of each.
		...[1, 2].map((shift) => ({
			form: `base64(+${shift})`,
			needle: Buffer.concat([Buffer.alloc(shift, 0x3a), bytes])
				.toString('base64')
				.slice(4, -4),
		})),
		{ form: 'base64(+0)', needle: base64.slice(0, -4) },
	];
	const seen = new Set<string>();
	return forms.filter(({ needle }) => needle.length >= 8 && !seen.has(needle) && seen.add(needle));
}

/** Visits every string in a value, depth first, with an explicit stack: deep nesting cannot overflow it. */
function walk(root: unknown, rootWhere: string, visit: (text: string, where: string) => void): void {
	const seen = new Set<unknown>();
	const stack: Array<[unknown, string]> = [[root, rootWhere]];
	while (stack.length) {
		const [value, where] = stack.pop()!;
		if (value === null || value === undefined) continue;
		if (typeof value === 'string') {
			visit(value, where);
			continue;
		}
		if (typeof value !== 'object') continue;
		if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
			visit(Buffer.from(value).toString('latin1'), where);
			continue;
		}
		if (seen.has(value)) continue;
		seen.add(value);
		if (value instanceof Error) {
			// message, stack and cause may live on the prototype chain rather than the error.
			const own = Object.getOwnPropertyNames(value);
			if (!own.includes('message')) visit(value.message, `${where}.message`);
			if (!own.includes('stack') && value.stack) visit(value.stack, `${where}.stack`);
			const cause = (value as { cause?: unknown }).cause;
			if (!own.includes('cause') && cause !== undefined) stack.push([cause, `${where}.cause`]);
		}
		if (value instanceof Map) {
			for (const [k, v] of value) {
				stack.push([k, `${where}<key>`], [v, `${where}.${String(k)}`]);
			}
			continue;
		}
		const names = new Set<string>([...Object.keys(value), ...Object.getOwnPropertyNames(value)]);
		for (const key of names) {
			visit(key, `${where}<key ${key}>`);
			let child: unknown;
			try {
				child = (value as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			stack.push([child, Array.isArray(value) ? `${where}[${key}]` : `${where}.${key}`]);
		}
	}
}

type Needle = { form: string; needle: string; secret: string; lower: boolean };
const needleCache = new Map<string, Needle[]>();

/** The forms to look for, computed once per list of secrets (scans run per request). */
function needlesFor(secrets: string[]): Needle[] {
	const cacheKey = secrets.join('\u0000');
	let needles = needleCache.get(cacheKey);
	if (!needles) {
		needles = secrets
			.filter((s) => typeof s === 'string' && s.length >= 8)
			.flatMap((secret) =>
				encodedForms(secret).map((f) => {
					// Hex and URL-encoding are case-insensitive in practice; the rest are exact.
					const lower = f.form === 'hex' || f.form === 'url-encoded';
					return { ...f, needle: lower ? f.needle.toLowerCase() : f.needle, secret, lower };
				}),
			);
		if (needleCache.size > 100) needleCache.clear();
		needleCache.set(cacheKey, needles);
	}
	return needles;
}

/**
 * Every occurrence of any of `secrets` in `haystack` (any value: strings, objects, arrays,
 * errors with their message, stack and cause, buffers), in plain or encoded form. An empty
 * result means nothing was found.
 */
export function findSecrets(haystack: unknown, secrets: string[], root = '$'): SecretFinding[] {
	const needles = needlesFor(secrets);
	const findings: SecretFinding[] = [];
	walk(
		haystack,
		root,
		(text, where) => {
			if (text.length < 8) return;
			let lowered: string | undefined;
			for (const { secret, form, needle, lower } of needles) {
				const hit = lower ? (lowered ??= text.toLowerCase()).includes(needle) : text.includes(needle);
				if (hit) findings.push({ secret: `${secret.slice(0, 12)}…`, form, where });
			}
		},
	);
	return findings;
}

/** A short report for an assertion message. */
export function describeFindings(findings: SecretFinding[]): string {
	return findings.map((f) => `${f.secret} (${f.form}) at ${f.where}`).join('\n');
}

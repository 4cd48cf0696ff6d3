/**
 * Verification of Makini's webhook signature, fail-closed and in constant time.
 *
 * Makini documents `X-Webhook-Signature: base64(HMAC-SHA256(secret, JSON.stringify(payload)))`.
 * The raw bytes received are checked first (they are what was signed when Makini
 * sends compact JSON); the documented re-serialisation second, for senders whose
 * body differs from what they signed (pretty-printed, or a proxy re-encoded it), and
 * only when the raw bytes are not already compact JSON: re-serialising a compact body
 * gives the same bytes, so a forged signature on one costs one HMAC, not a parse.
 * Both the current and, during a rotation, the previous secret are tried.
 * Pure functions over Node's crypto: no n8n context, no logging, nothing secret returned.
 */
import { createHmac, timingSafeEqual } from 'crypto';

/** SHA-256 output length: any signature that does not decode to this is wrong. */
const DIGEST_BYTES = 32;
const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;
// Standard or URL-safe alphabet, optional padding.
const BASE64_SIGNATURE = /^[A-Za-z0-9+/_-]{43}=?$/;
/** At most this many candidates in one header (a sender may list one per active secret). */
const MAX_CANDIDATES = 4;

export type SignatureFailure = 'missing' | 'malformed' | 'mismatch' | 'noSecret';

export type VerifyResult =
	| { ok: true; form: 'raw' | 'documented'; secret: 'current' | 'previous' }
	| { ok: false; reason: SignatureFailure };

export interface VerifyInput {
	/** The signature header's value as received (a repeated header arrives comma-joined). */
	header: string | string[] | undefined;
	/** The bytes received. Absent when the platform kept no raw body. */
	rawBody: Buffer | undefined;
	/** The parsed payload, for the documented `JSON.stringify(payload)` form. */
	payload?: unknown;
	/** Or a way to parse it, called only when the raw bytes do not verify. */
	loadPayload?: () => unknown;
	/** Current secret first, then the previous one during a rotation; empty ones are skipped. */
	secrets: ReadonlyArray<string | undefined>;
}

/** Decodes one signature: base64 (Makini's form) or hex, with or without a `sha256=` prefix. */
export function decodeSignature(value: string): Buffer | undefined {
	let text = value.trim();
	if (text.length > 7 && text.slice(0, 7).toLowerCase() === 'sha256=') text = text.slice(7);
	if (text.length === 64 && HEX_SIGNATURE.test(text)) return Buffer.from(text, 'hex');
	if ((text.length === 43 || text.length === 44) && BASE64_SIGNATURE.test(text)) {
		const decoded = Buffer.from(text, 'base64');
		return decoded.length === DIGEST_BYTES ? decoded : undefined;
	}
	return undefined;
}

/** Every well-formed signature in the header (bounded; malformed entries are ignored). */
export function signatureCandidates(header: string | string[] | undefined): Buffer[] | undefined {
	if (header === undefined) return undefined;
	const joined = Array.isArray(header) ? header.join(',') : header;
	if (joined.trim() === '') return undefined;
	const candidates: Buffer[] = [];
	for (const part of joined.split(',', MAX_CANDIDATES)) {
		const decoded = decodeSignature(part);
		if (decoded) candidates.push(decoded);
	}
	return candidates;
}

export function hmacSha256(secret: string, message: Buffer | string): Buffer {
	return createHmac('sha256', secret).update(message).digest();
}

/** Constant-time comparison of a computed digest with every candidate (lengths are checked first). */
function matchesAny(expected: Buffer, candidates: readonly Buffer[]): boolean {
	let match = false;
	for (const candidate of candidates) {
		// Every candidate is compared, so the time taken does not tell which one matched.
		if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) match = true;
	}
	return match;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
/** JSON's insignificant whitespace: space, tab, line feed, carriage return. */
const WHITESPACE = [0x20, 0x09, 0x0a, 0x0d];

/**
 * Whether `JSON.stringify(JSON.parse(bytes))` can differ from `bytes` in the ways a
 * re-encoding sender produces: whitespace between tokens, or escapes (`\u00fc`, `\/`).
 * Found with native byte searches; only a body that has both whitespace and quotes is
 * walked (without escapes, every quote opens or closes a string).
 */
function mayDifferWhenReserialised(bytes: Buffer): boolean {
	if (bytes.indexOf(BACKSLASH) !== -1) return true;
	if (WHITESPACE.every((byte) => bytes.indexOf(byte) === -1)) return false;
	let inString = false;
	for (let i = 0; i < bytes.length; i++) {
		const byte = bytes[i];
		if (byte === QUOTE) inString = !inString;
		else if (!inString && (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d)) return true;
	}
	return false;
}

/** The documented message: the JSON re-serialisation of the payload, when it differs from the raw bytes. */
function documentedForm(payload: unknown, rawBody: Buffer | undefined): Buffer | undefined {
	if (payload === undefined) return undefined;
	let text: string | undefined;
	try {
		text = JSON.stringify(payload);
	} catch {
		return undefined;
	}
	if (text === undefined) return undefined;
	const bytes = Buffer.from(text, 'utf8');
	return rawBody && rawBody.equals(bytes) ? undefined : bytes;
}

/**
 * Checks a delivery's signature. Fails closed: no secret, no header, an undecodable
 * header or no matching form/secret combination all refuse the delivery.
 */
export function verifySignature(input: VerifyInput): VerifyResult {
	const secrets: Array<{ secret: string; which: 'current' | 'previous' }> = [];
	input.secrets.forEach((secret, index) => {
		if (typeof secret === 'string' && secret !== '') secrets.push({ secret, which: index === 0 ? 'current' : 'previous' });
	});
	if (secrets.length === 0) return { ok: false, reason: 'noSecret' };

	const candidates = signatureCandidates(input.header);
	if (candidates === undefined) return { ok: false, reason: 'missing' };
	if (candidates.length === 0) return { ok: false, reason: 'malformed' };

	if (input.rawBody) {
		for (const { secret, which } of secrets) {
			if (matchesAny(hmacSha256(secret, input.rawBody), candidates)) return { ok: true, form: 'raw', secret: which };
		}
	}
	// A compact body is its own re-serialisation: nothing more to try, nothing to parse.
	if (input.rawBody && !mayDifferWhenReserialised(input.rawBody)) return { ok: false, reason: 'mismatch' };
	const payload = input.payload !== undefined ? input.payload : input.loadPayload?.();
	const documented = documentedForm(payload, input.rawBody);
	if (documented) {
		for (const { secret, which } of secrets) {
			if (matchesAny(hmacSha256(secret, documented), candidates)) return { ok: true, form: 'documented', secret: which };
		}
	}
	return { ok: false, reason: 'mismatch' };
}

export type Freshness = 'fresh' | 'stale' | 'future' | 'unchecked';

/**
 * The replay window: a signed delivery whose payload timestamp lies further than
 * `windowMs` from now (either way: a clock far ahead is as suspect) is refused.
 * No timestamp, or a window of 0, leaves it unchecked.
 */
export function checkFreshness(timestampMs: number | null, nowMs: number, windowMs: number): Freshness {
	if (timestampMs === null || !(windowMs > 0)) return 'unchecked';
	if (nowMs - timestampMs > windowMs) return 'stale';
	if (timestampMs - nowMs > windowMs) return 'future';
	return 'fresh';
}

/** A payload timestamp as ms: ISO text, or epoch seconds / milliseconds. Null when absent or unreadable. */
export function parseTimestamp(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
		// Epoch seconds stay below 1e11 until the year 5138.
		return value < 1e11 ? Math.round(value * 1000) : Math.round(value);
	}
	if (typeof value === 'string' && value.trim() !== '') {
		const text = value.trim();
		if (/^\d+(\.\d+)?$/.test(text)) return parseTimestamp(Number(text));
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? null : ms;
	}
	return null;
}

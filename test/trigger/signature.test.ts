import {
	checkFreshness,
	decodeSignature,
	parseTimestamp,
	verifySignature,
} from '../../nodes/MakiniTrigger/signature';
import { PREVIOUS_SECRET, SECRET, sign } from './helpers';

const payload = { event: 'assets.updated', body: ['A-100', 'A-200'] };
const compact = JSON.stringify(payload);
const raw = Buffer.from(compact);

function verify(header: string | string[] | undefined, body: Buffer | undefined, parsed?: unknown, secrets = [SECRET]) {
	return verifySignature({ header, rawBody: body, payload: parsed, secrets });
}

describe('verifySignature', () => {
	it('accepts Makini’s base64 signature of the raw body', () => {
		expect(verify(sign(SECRET, raw), raw, payload)).toEqual({ ok: true, form: 'raw', secret: 'current' });
	});

	it('refuses a tampered body', () => {
		const tampered = Buffer.from(compact.replace('A-200', 'A-201'));
		expect(verify(sign(SECRET, raw), tampered, JSON.parse(tampered.toString()))).toEqual({ ok: false, reason: 'mismatch' });
	});

	it('refuses a signature made with another secret', () => {
		expect(verify(sign('not-the-secret', raw), raw, payload)).toEqual({ ok: false, reason: 'mismatch' });
	});

	it('accepts the previous secret during a rotation, and only while it is configured', () => {
		const header = sign(PREVIOUS_SECRET, raw);
		expect(verify(header, raw, payload, [SECRET, PREVIOUS_SECRET])).toEqual({ ok: true, form: 'raw', secret: 'previous' });
		expect(verify(header, raw, payload, [SECRET, ''])).toEqual({ ok: false, reason: 'mismatch' });
		expect(verify(sign(SECRET, raw), raw, payload, [SECRET, PREVIOUS_SECRET])).toMatchObject({ ok: true, secret: 'current' });
	});

	it('accepts hex, a sha256= prefix and URL-safe base64', () => {
		expect(verify(sign(SECRET, raw, 'hex'), raw, payload)).toMatchObject({ ok: true });
		expect(verify(sign(SECRET, raw, 'hex').toUpperCase(), raw, payload)).toMatchObject({ ok: true });
		expect(verify(`sha256=${sign(SECRET, raw)}`, raw, payload)).toMatchObject({ ok: true });
		expect(verify(`SHA256=${sign(SECRET, raw, 'hex')}`, raw, payload)).toMatchObject({ ok: true });
		const urlSafe = sign(SECRET, raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
		expect(verify(urlSafe, raw, payload)).toMatchObject({ ok: true });
	});

	it('fails closed: no header, an empty header, an undecodable one, no secret', () => {
		expect(verify(undefined, raw, payload)).toEqual({ ok: false, reason: 'missing' });
		expect(verify('   ', raw, payload)).toEqual({ ok: false, reason: 'missing' });
		expect(verify('not a signature', raw, payload)).toEqual({ ok: false, reason: 'malformed' });
		// Right length of base64 text but decodes to fewer than 32 bytes? Still malformed, never compared.
		expect(verify(sign(SECRET, raw).slice(0, 20), raw, payload)).toEqual({ ok: false, reason: 'malformed' });
		expect(verify(sign(SECRET, raw), raw, payload, [])).toEqual({ ok: false, reason: 'noSecret' });
		expect(verify(sign('', raw), raw, payload, [''])).toEqual({ ok: false, reason: 'noSecret' });
	});

	it('verifies an empty body like any other (the caller refuses it as not JSON)', () => {
		const empty = Buffer.alloc(0);
		expect(verify(sign(SECRET, empty), empty)).toEqual({ ok: true, form: 'raw', secret: 'current' });
		expect(verify(sign(SECRET, 'x'), empty)).toEqual({ ok: false, reason: 'mismatch' });
	});

	it('accepts the documented JSON.stringify(payload) form when the raw body is formatted differently', () => {
		const pretty = Buffer.from(JSON.stringify(payload, null, 2));
		// Makini's sample signs the re-serialisation, not the bytes on the wire.
		expect(verify(sign(SECRET, compact), pretty, payload)).toEqual({ ok: true, form: 'documented', secret: 'current' });
		// Without the parsed payload there is no documented form to fall back on.
		expect(verify(sign(SECRET, compact), pretty, undefined)).toEqual({ ok: false, reason: 'mismatch' });
	});

	it('parses the payload for the documented form only when the raw bytes do not verify', () => {
		const loadPayload = jest.fn(() => payload);
		expect(verifySignature({ header: sign(SECRET, raw), rawBody: raw, loadPayload, secrets: [SECRET] })).toMatchObject({ ok: true });
		expect(loadPayload).not.toHaveBeenCalled();
		const pretty = Buffer.from(JSON.stringify(payload, null, 1));
		expect(verifySignature({ header: sign(SECRET, compact), rawBody: pretty, loadPayload, secrets: [SECRET] })).toMatchObject({
			ok: true,
			form: 'documented',
		});
		expect(loadPayload).toHaveBeenCalledTimes(1);
	});

	it('refuses a forged signature on a compact body without parsing it', () => {
		const loadPayload = jest.fn(() => payload);
		const forged = sign('not the secret', raw);
		expect(verifySignature({ header: forged, rawBody: raw, loadPayload, secrets: [SECRET] })).toEqual({ ok: false, reason: 'mismatch' });
		// Spaces inside strings are part of the values: still compact.
		const spaced = Buffer.from('{"event":"work-orders.updated","body":["Pump 7 bearing"],"note":"a b"}');
		expect(verifySignature({ header: forged, rawBody: spaced, loadPayload, secrets: [SECRET] })).toEqual({ ok: false, reason: 'mismatch' });
		expect(loadPayload).not.toHaveBeenCalled();
		// Whitespace between tokens, or an escape, may re-serialise differently: then the documented form is tried.
		for (const body of ['{"event": "x"}', '{"event":"x"}\n', '{"event":"\\u0078"}']) {
			expect(verifySignature({ header: forged, rawBody: Buffer.from(body), loadPayload, secrets: [SECRET] })).toEqual({ ok: false, reason: 'mismatch' });
		}
		expect(loadPayload).toHaveBeenCalledTimes(3);
	});

	it('verifies the documented form when the platform kept no raw body', () => {
		expect(verify(sign(SECRET, compact), undefined, payload)).toEqual({ ok: true, form: 'documented', secret: 'current' });
		expect(verify(sign(SECRET, `${compact} `), undefined, payload)).toEqual({ ok: false, reason: 'mismatch' });
	});

	it('keeps key order as sent: a signature over re-ordered keys does not match', () => {
		const sentBody = '{"body":["A-1"],"event":"assets.updated"}';
		const parsed = JSON.parse(sentBody);
		expect(verify(sign(SECRET, sentBody), Buffer.from(sentBody), parsed)).toMatchObject({ ok: true, form: 'raw' });
		// Sorting keys is not Makini's documented form, so it is not accepted as one.
		const reordered = '{"event":"assets.updated","body":["A-1"]}';
		expect(verify(sign(SECRET, reordered), Buffer.from(sentBody), parsed)).toEqual({ ok: false, reason: 'mismatch' });
	});

	it('handles unicode: raw \\u escapes and the UTF-8 re-serialisation both verify, each against its own form', () => {
		const escaped = '{"event":"sites.updated","body":["Z\\u00fcrich-1","\\ud83c\\udfed"]}';
		const parsed = JSON.parse(escaped) as unknown;
		const utf8 = JSON.stringify(parsed);
		expect(utf8).toContain('Zürich-1');
		expect(verify(sign(SECRET, escaped), Buffer.from(escaped), parsed)).toMatchObject({ ok: true, form: 'raw' });
		expect(verify(sign(SECRET, utf8), Buffer.from(escaped), parsed)).toMatchObject({ ok: true, form: 'documented' });
		// A signature over latin-1 bytes of the same text is not the UTF-8 HMAC.
		expect(verify(sign(SECRET, Buffer.from(utf8, 'latin1')), Buffer.from(escaped), parsed)).toEqual({
			ok: false,
			reason: 'mismatch',
		});
	});

	it('checks every signature of a repeated header', () => {
		const header = [sign('other', raw), sign(SECRET, raw)];
		expect(verify(header, raw, payload)).toMatchObject({ ok: true });
		expect(verify(header.join(', '), raw, payload)).toMatchObject({ ok: true });
		expect(verify([sign('a', raw), sign('b', raw)], raw, payload)).toEqual({ ok: false, reason: 'mismatch' });
	});

	it('never returns the expected signature or the secret', () => {
		const result = verify(sign('wrong', raw), raw, payload);
		const text = JSON.stringify(result);
		expect(text).not.toContain(sign(SECRET, raw));
		expect(text).not.toContain(SECRET);
	});
});

describe('decodeSignature', () => {
	it('decodes only 32-byte digests', () => {
		expect(decodeSignature(sign(SECRET, 'x'))?.length).toBe(32);
		expect(decodeSignature(sign(SECRET, 'x', 'hex'))?.length).toBe(32);
		expect(decodeSignature(Buffer.alloc(31).toString('base64'))).toBeUndefined();
		expect(decodeSignature(Buffer.alloc(33).toString('base64'))).toBeUndefined();
		expect(decodeSignature('z'.repeat(64))).toBeUndefined();
	});
});

describe('replay window', () => {
	const now = Date.parse('2025-06-01T12:00:00Z');
	const minute = 60_000;

	it('accepts a timestamp inside the window, either side of now', () => {
		expect(checkFreshness(now - 4 * minute, now, 5 * minute)).toBe('fresh');
		expect(checkFreshness(now + 4 * minute, now, 5 * minute)).toBe('fresh');
	});

	it('refuses one older than the window, or too far ahead', () => {
		expect(checkFreshness(now - 6 * minute, now, 5 * minute)).toBe('stale');
		expect(checkFreshness(now + 6 * minute, now, 5 * minute)).toBe('future');
	});

	it('leaves deliveries without a timestamp, or a window of 0, unchecked', () => {
		expect(checkFreshness(null, now, 5 * minute)).toBe('unchecked');
		expect(checkFreshness(now - 365 * 24 * 60 * minute, now, 0)).toBe('unchecked');
	});

	it('reads ISO text, epoch seconds and epoch milliseconds', () => {
		expect(parseTimestamp('2025-06-01T12:00:00Z')).toBe(now);
		expect(parseTimestamp(now / 1000)).toBe(now);
		expect(parseTimestamp(String(now / 1000))).toBe(now);
		expect(parseTimestamp(now)).toBe(now);
		expect(parseTimestamp('yesterday')).toBeNull();
		expect(parseTimestamp(undefined)).toBeNull();
		expect(parseTimestamp(-5)).toBeNull();
	});
});

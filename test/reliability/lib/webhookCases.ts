/**
 * Generated webhook requests for the adversarial run: a seeded stream of forgeries,
 * malformed and hostile bodies, replays and odd headers, with valid controls mixed in.
 *
 * Each case says how it was made (which secret signed which bytes, in which encoding,
 * in which header), and `isGenuine` decides from that alone, by Makini's documented
 * rule, whether its signature is one a correct verifier must accept. The oracle never
 * calls the trigger's verifier: the run compares the two.
 */
import { createHash, createHmac } from 'node:crypto';

import { Prng } from '../../../sandbox/util/prng';

export type CaseLabel =
	/** Genuine, fresh, unique, a JSON object: must start exactly one execution. */
	| 'control'
	/** An exact copy of a control already delivered: must be acknowledged, start nothing. */
	| 'duplicate'
	/** Signed with no secret of the credential, or over other bytes: must be refused. */
	| 'forged'
	/** Genuine signature, timestamp outside the replay window: must be refused. */
	| 'replay'
	/** Genuine signature, but the body is not a JSON object (or is too large): must be refused. */
	| 'signedMalformed'
	/** Genuine, odd but legal content (hostile keys, deep nesting, odd timestamps...): anything but a crash. */
	| 'signedOdd';

export interface Signing {
	secret: 'current' | 'previous' | 'other' | 'none';
	/** The bytes that were signed. */
	message: Buffer;
	/** How the digest was written into the header. */
	encoding: 'base64' | 'base64-nopad' | 'base64url' | 'hex' | 'HEX' | 'sha256=hex' | 'sha256=base64' | 'broken';
}

export interface WebhookCase {
	id: number;
	label: CaseLabel;
	/** What was done to make it, e.g. `forged/mutated-body`, for the figures by kind. */
	kind: string;
	headers: Record<string, string | string[]>;
	raw: Buffer;
	contentType?: string;
	withoutRawBody?: boolean;
	/** Signatures in the signature header, in order (for the oracle). */
	signatures: Signing[];
	/** Whether the signature header itself is under the configured name (not a lookalike). */
	headerNamed: boolean;
	/** The oracle's verdict (isGenuine), computed once. */
	genuine?: boolean;
}

export interface CaseSecrets {
	current: string;
	previous: string;
}

export const SIGNATURE_HEADER = 'x-webhook-signature';
export const DELIVERY_ID_HEADER = 'x-makini-delivery-id';
/** The verifier reads at most this many comma-separated signatures (a documented bound). */
export const MAX_CANDIDATES = 4;
/** The harness's Max Body Size option in bytes (its default, 1024 KB). */
export const MAX_BODY_BYTES = 1024 * 1024;

const OTHER_SECRETS = ['whsec_attacker_guess', '', ' ', 'secret', 'whsec_rotated_out_long_ago_000000000000'];

/** Header names that look like the signature header and are not it. */
export const LOOKALIKE_HEADERS = [
	'x-webhook-signatur\u0435', // Cyrillic е
	'\u0445-webhook-signature', // Cyrillic х
	'x\u2010webhook\u2010signature', // Unicode hyphen
	'x\u2011webhook-signature', // non-breaking hyphen
	'x-webhook-signature\u200b', // zero-width space
	'\uff58-webhook-signature', // full-width x
	'x-webhook-signatures',
	'x-webhook_signature',
	'x-webhook-signature ',
	'webhook-signature',
	'x-signature',
	'x-hub-signature-256',
];

function digest(secret: string, message: Buffer, algorithm = 'sha256'): Buffer {
	return createHmac(algorithm, secret).update(message).digest();
}

function encode(bytes: Buffer, encoding: Signing['encoding']): string {
	switch (encoding) {
		case 'base64':
			return bytes.toString('base64');
		case 'base64-nopad':
			return bytes.toString('base64').replace(/=+$/, '');
		case 'base64url':
			return bytes.toString('base64url');
		case 'hex':
			return bytes.toString('hex');
		case 'HEX':
			return bytes.toString('hex').toUpperCase();
		case 'sha256=hex':
			return `sha256=${bytes.toString('hex')}`;
		case 'sha256=base64':
			return `sha256=${bytes.toString('base64')}`;
		case 'broken':
			return bytes.toString('base64');
	}
}

const GOOD_ENCODINGS: Signing['encoding'][] = ['base64', 'base64-nopad', 'base64url', 'hex', 'HEX', 'sha256=hex', 'sha256=base64'];

function tryDocumented(raw: Buffer): Buffer | undefined {
	try {
		const text = JSON.stringify(JSON.parse(raw.toString('utf8')));
		return text === undefined ? undefined : Buffer.from(text, 'utf8');
	} catch {
		return undefined;
	}
}

/**
 * Makini's rule, applied to how the case was made: a signature is genuine when one of
 * the first four in the header is HMAC-SHA256 under the current or previous secret of
 * the bytes received, or of `JSON.stringify(payload)`, in base64 or hex.
 */
export function isGenuine(c: WebhookCase, secrets: CaseSecrets): boolean {
	if (!c.headerNamed) return false;
	const messages: Buffer[] = [];
	if (!c.withoutRawBody) messages.push(c.raw);
	const documented = tryDocumented(c.raw);
	if (documented) messages.push(documented);
	return c.signatures.slice(0, MAX_CANDIDATES).some(
		(s) =>
			(s.secret === 'current' || (s.secret === 'previous' && secrets.previous !== '')) &&
			s.encoding !== 'broken' &&
			messages.some((m) => m.equals(s.message)),
	);
}

/** Whether the body is JSON whose top level is an object (what the trigger needs). */
export function isJsonObject(raw: Buffer): boolean {
	try {
		const value: unknown = JSON.parse(raw.toString('utf8'));
		return value !== null && typeof value === 'object' && !Array.isArray(value);
	} catch {
		return false;
	}
}

const ENTITY_EVENTS = ['work-orders.updated', 'work-orders.inserted', 'assets.updated', 'sites.inserted', 'purchase-orders.updated'];
const ODD_EVENTS = ['', 'x', 'work_orders.updated', 'workOrders.Updated', 'sync.completed', 'connection.syncFailed', '../../etc', '\u0000', 'A'.repeat(5000)];

export class WebhookCaseGenerator {
	private readonly prng: Prng;
	private next = 0;
	/** Controls already sent, so duplicates resend exactly their bytes. */
	private readonly sent: WebhookCase[] = [];

	constructor(
		readonly seed: string | number,
		private readonly secrets: CaseSecrets,
		/** The trigger's "now", for fresh and stale timestamps. */
		private readonly now: () => number = Date.now,
	) {
		this.prng = new Prng(`${seed}:webhooks`);
	}

	private int(min: number, max: number) {
		return this.prng.int(min, max);
	}

	private pick<T>(items: readonly T[]): T {
		return this.prng.pick(items);
	}

	private randomBytes(length: number): Buffer {
		const bytes = Buffer.alloc(length);
		for (let i = 0; i < length; i++) bytes[i] = this.int(0, 255);
		return bytes;
	}

	private randomText(length: number): string {
		let text = '';
		for (let i = 0; i < length; i++) text += String.fromCharCode(this.int(0x20, 0x7e));
		return text;
	}

	private key(): string {
		return `06${String(this.int(0, 999_999_999_999)).padStart(12, '0')}`;
	}

	private freshIso(): string {
		return new Date(this.now() - this.int(0, 60_000)).toISOString();
	}

	/** A documented payload; unique when `unique` (a never-repeated key and delivery). */
	private payload(unique: boolean): Record<string, unknown> {
		const keys = Array.from({ length: this.int(1, 4) }, () => this.key());
		if (unique) keys.push(`RELIABILITY-${this.seed}-${this.next}`);
		const payload: Record<string, unknown> = { event: this.pick(ENTITY_EVENTS), body: keys };
		if (this.prng.chance(0.6)) payload.timestamp = this.freshIso();
		return payload;
	}

	private sign(secret: Signing['secret'], message: Buffer, encoding: Signing['encoding'] = 'base64'): Signing {
		return { secret, message, encoding };
	}

	private headerValue(s: Signing): string {
		const key =
			s.secret === 'current' ? this.secrets.current : s.secret === 'previous' ? this.secrets.previous : this.pick(OTHER_SECRETS);
		if (s.secret === 'none') return encode(createHash('sha256').update(s.message).digest(), s.encoding);
		let bytes = digest(key, s.message);
		if (s.encoding === 'broken') {
			// A digest one bit, one byte or one length away from the real one.
			const how = this.int(0, 3);
			bytes = Buffer.from(bytes);
			if (how === 0) bytes[this.int(0, 31)] ^= 1 << this.int(0, 7);
			else if (how === 1) bytes = bytes.subarray(0, 31);
			else if (how === 2) bytes = Buffer.concat([bytes, Buffer.from([0])]);
			else bytes = digest(key, s.message, this.pick(['sha1', 'sha512', 'sha384']));
		}
		return encode(bytes, s.encoding);
	}

	private build(
		label: CaseLabel,
		kind: string,
		raw: Buffer,
		signatures: Signing[],
		extra: Partial<Pick<WebhookCase, 'contentType' | 'withoutRawBody'>> & {
			headers?: Record<string, string | string[]>;
			signatureHeaderName?: string;
			signatureValue?: string | string[];
			deliveryId?: string;
		} = {},
	): WebhookCase {
		const id = ++this.next;
		const headerName = extra.signatureHeaderName ?? this.pick([SIGNATURE_HEADER, 'X-Webhook-Signature', 'X-WEBHOOK-SIGNATURE']);
		const value = extra.signatureValue ?? signatures.map((s) => this.headerValue(s)).join(',');
		const headers: Record<string, string | string[]> = { ...extra.headers };
		if (signatures.length || extra.signatureValue !== undefined) headers[headerName] = value;
		headers[DELIVERY_ID_HEADER] = extra.deliveryId ?? `dlv_${this.seed}_${id}`;
		const made: WebhookCase = {
			id,
			label,
			kind,
			headers,
			raw,
			contentType: extra.contentType ?? 'application/json',
			withoutRawBody: extra.withoutRawBody,
			signatures,
			headerNamed: headerName.toLowerCase() === SIGNATURE_HEADER,
		};
		// The oracle has the last word: a "forgery" that happens to be a valid documented
		// form (a mutation that only inserted whitespace) is genuine, and is run as such.
		const genuine = isGenuine(made, this.secrets);
		made.genuine = genuine;
		if (label === 'forged' && genuine) return { ...made, label: 'signedOdd', kind: `${kind} (genuine by the documented form)` };
		if (label !== 'forged' && !genuine) throw new Error(`generator bug: ${kind} is meant to be genuine`);
		return made;
	}

	/** A valid control: genuine, fresh, unique. */
	control(): WebhookCase {
		const raw = Buffer.from(JSON.stringify(this.payload(true)));
		const variant = this.int(0, 9);
		const secret = variant === 0 ? 'previous' : 'current';
		const encoding = variant === 1 ? this.pick(GOOD_ENCODINGS) : 'base64';
		let c: WebhookCase;
		if (variant === 2) {
			// Several signatures (a sender signing with each active secret): one is right.
			c = this.build('control', 'control/several-signatures', raw, [
				this.sign('other', raw),
				this.sign('current', raw),
			]);
		} else if (variant === 3) {
			c = this.build('control', 'control/repeated-header', raw, [this.sign('current', raw)]);
			const name = Object.keys(c.headers).find((h) => h.toLowerCase() === SIGNATURE_HEADER)!;
			c.headers[name] = [this.headerValue(this.sign('other', raw)), c.headers[name] as string];
			c.signatures.unshift(this.sign('other', raw));
		} else if (variant === 4) {
			// Makini's documented form: what it signed is JSON.stringify, the body is formatted.
			const payload = JSON.parse(raw.toString('utf8')) as unknown;
			c = this.build('control', 'control/documented-form', Buffer.from(JSON.stringify(payload, null, 2)), [this.sign('current', raw)]);
		} else {
			c = this.build('control', `control/${secret}-${encoding}`, raw, [this.sign(secret, raw, encoding)]);
		}
		this.sent.push(c);
		if (this.sent.length > 200) this.sent.shift();
		return c;
	}

	/** Forgets the controls sent so far (the run moved on to a fresh workflow). */
	forgetSent(): void {
		this.sent.length = 0;
	}

	/** Nesting depth: mostly beyond the trigger's limit yet serialisable, sometimes beyond what JSON.stringify survives. */
	private depth(): number {
		return this.prng.chance(0.01) ? this.int(10_000, 20_000) : this.int(65, 3_000);
	}

	/**
	 * A copy of a control already sent: exact, under an invented delivery ID (the header
	 * is not signed), or without the ID header. None may run again.
	 */
	duplicate(): WebhookCase | undefined {
		if (this.sent.length === 0) return undefined;
		const original = this.pick(this.sent);
		const how = this.int(0, 2);
		const headers = { ...original.headers };
		if (how === 1) headers[DELIVERY_ID_HEADER] = `dlv_invented_${this.seed}_${this.next}`;
		if (how === 2) delete headers[DELIVERY_ID_HEADER];
		const kind = ['duplicate/exact-copy', 'duplicate/invented-id', 'duplicate/without-id'][how];
		return { ...original, headers, id: ++this.next, label: 'duplicate', kind };
	}

	private mutate(raw: Buffer): Buffer {
		const bytes = Buffer.from(raw);
		const how = this.int(0, 5);
		const at = this.int(0, Math.max(0, bytes.length - 1));
		if (how === 0) {
			bytes[at] ^= 1 << this.int(0, 7);
			return bytes;
		}
		if (how === 1) return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
		if (how === 2) return Buffer.concat([bytes.subarray(0, at), this.randomBytes(this.int(1, 4)), bytes.subarray(at)]);
		if (how === 3) return Buffer.from(raw.toString('utf8').replace(/"body":\[/, `"body":["${this.key()}",`));
		if (how === 4) return Buffer.from(raw.toString('utf8').replace(/updated|inserted/, 'deleted'));
		return Buffer.concat([bytes, Buffer.from(' ')]).subarray(0, bytes.length + 1);
	}

	/** A forgery: nothing in it is signed by a secret of the credential, for these bytes. */
	forged(): WebhookCase {
		const original = Buffer.from(JSON.stringify(this.payload(false)));
		const kind = this.int(0, 17);
		switch (kind) {
			case 0:
				return this.build('forged', 'forged/random-body-random-signature', this.randomBytes(this.int(0, 600)), [], {
					signatureValue: this.randomBytes(32).toString(this.pick(['base64', 'hex'] as const)),
					contentType: this.pick(['application/octet-stream', 'text/plain', '', 'application/json']),
				});
			case 1:
				return this.build('forged', 'forged/mutated-body', this.mutate(original), [this.sign('current', original)], {
					contentType: 'text/plain',
				});
			case 2: {
				const cut = this.int(0, original.length - 1);
				return this.build('forged', 'forged/truncated-body', original.subarray(0, cut), [this.sign('current', original)], {
					contentType: this.pick(['text/plain', 'application/octet-stream']),
				});
			}
			case 3:
				return this.build('forged', 'forged/signature-for-another-body', original, [
					this.sign('current', Buffer.from(JSON.stringify(this.payload(false)))),
				]);
			case 4:
				return this.build('forged', 'forged/wrong-secret', original, [this.sign('other', original, this.pick(GOOD_ENCODINGS))]);
			case 5:
				return this.build('forged', 'forged/no-secret-sha256', original, [this.sign('none', original, this.pick(GOOD_ENCODINGS))]);
			case 6:
				return this.build('forged', 'forged/near-miss-digest', original, [{ ...this.sign('current', original), encoding: 'broken' }]);
			case 7:
				return this.build('forged', 'forged/empty-signature', original, [], {
					signatureValue: this.pick(['', ' ', ',', ',,,', '\t', 'sha256=', '=']),
				});
			case 8:
				return this.build('forged', 'forged/unsigned', original, []);
			case 9:
				return this.build('forged', 'forged/garbage-signature', original, [], {
					signatureValue: this.pick([
						this.randomText(this.int(1, 300)),
						'A'.repeat(43) + '=',
						'0'.repeat(64),
						'null',
						'undefined',
						'[object Object]',
						`${'A'.repeat(43)}=,`.repeat(50),
						'sha256=' + 'g'.repeat(64),
						this.randomBytes(32).toString('base64').slice(0, 42),
						encodeURIComponent(digest(this.secrets.current, Buffer.from('x')).toString('base64')),
					]),
				});
			case 10:
				return this.build('forged', 'forged/duplicated-wrong-signatures', original, [
					this.sign('other', original),
					this.sign('none', original),
					{ ...this.sign('current', original), encoding: 'broken' },
				], { headers: {} });
			case 11: {
				// A genuine signature beyond the first four candidates is not read.
				const c = this.build('forged', 'forged/genuine-beyond-candidate-limit', original, [
					this.sign('other', original),
					this.sign('other', original),
					this.sign('none', original),
					this.sign('other', original),
					this.sign('current', original),
				]);
				return c;
			}
			case 12: {
				// A genuine signature under a header that only looks like the signature header.
				const lookalike = this.pick(LOOKALIKE_HEADERS);
				const c = this.build('forged', 'forged/lookalike-header', original, [this.sign('current', original)], {
					signatureHeaderName: lookalike,
				});
				if (this.prng.chance(0.5)) c.headers['X-Webhook-Signature'] = this.headerValue(this.sign('other', original));
				return c;
			}
			case 13: {
				const inner = this.payload(false);
				const bytes = Buffer.from(JSON.stringify({ ...inner, __proto__: { admin: true }, constructor: { prototype: { polluted: 'yes' } } }));
				return this.build('forged', 'forged/prototype-keys', Buffer.from(bytes.toString().replace('"event"', '"__proto__":{"polluted":"yes"},"event"')), [
					this.sign('other', bytes),
				]);
			}
			case 14: {
				const depth = this.depth();
				const bytes = Buffer.from(`{"event":"assets.updated","body":["A-1"],"details":${'['.repeat(depth)}${']'.repeat(depth)}}`);
				return this.build('forged', 'forged/deep-nesting', bytes, [this.sign(this.pick(['other', 'current'] as const), Buffer.from(`${bytes}x`))], {
					contentType: this.pick(['application/json', 'text/plain']),
					withoutRawBody: this.prng.chance(0.3),
				});
			}
			case 15: {
				const bytes = Buffer.concat([Buffer.from('{"event":"assets.updated","body":["'), this.randomBytes(this.int(1, 40)).map((b) => b | 0x80), Buffer.from('"]}')]);
				return this.build('forged', 'forged/invalid-utf8', bytes, [this.sign('other', bytes)], { contentType: 'text/plain' });
			}
			case 16:
				// The parsed payload is all the verifier has (no raw bytes kept).
				return this.build('forged', 'forged/no-raw-body', original, [this.sign('current', this.mutate(original))], {
					withoutRawBody: true,
				});
			default:
				// A Content-Length that does not match the body, with a wrong-secret signature.
				return this.build('forged', 'forged/content-length-lie', original, [this.sign('other', original)], {
					headers: { 'content-length': this.pick(['0', '-1', 'abc', '1e3', '99999999999', String(original.length - 1)]) },
				});
		}
	}

	/**
	 * A genuine delivery whose timestamp no retry of Makini's can carry: older than the
	 * 24-hour retry period plus the clock skew tolerance (15 minutes by default), or
	 * further ahead than the tolerance.
	 */
	replay(): WebhookCase {
		const payload = this.payload(true);
		const skew = 15 * 60_000;
		const past = this.prng.chance(0.5);
		const offset = past ? -this.int(24 * 3600_000 + skew + 1_000, 400 * 24 * 3600_000) : this.int(skew + 1_000, 400 * 24 * 3600_000);
		const at = this.now() + offset;
		payload.timestamp = this.pick([
			() => new Date(at).toISOString(),
			() => Math.floor(at / 1000),
			() => at,
			() => String(Math.floor(at / 1000)),
		])();
		const raw = Buffer.from(JSON.stringify(payload));
		return this.build('replay', offset < 0 ? 'replay/stale-timestamp' : 'replay/future-timestamp', raw, [this.sign('current', raw)]);
	}

	/** A genuine signature over bytes that are not a JSON object, or too many of them. */
	signedMalformed(): WebhookCase {
		const kind = this.int(0, 6);
		const pickBody = (): [string, Buffer] => {
			switch (kind) {
				case 0:
					return ['array', Buffer.from(JSON.stringify([this.payload(false)]))];
				case 1:
					return ['string', Buffer.from(JSON.stringify(JSON.stringify(this.payload(false))))];
				case 2:
					return ['scalar', Buffer.from(this.pick(['null', 'true', '42', '-0', '1e999', '""']))];
				case 3:
					return ['empty', Buffer.alloc(0)];
				case 4:
					return ['invalid-utf8', Buffer.concat([Buffer.from('{"event":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"')])];
				case 5:
					return ['truncated-json', Buffer.from(JSON.stringify(this.payload(false)).slice(0, -this.int(1, 5)))];
				default:
					return ['not-json', Buffer.from(this.randomText(this.int(1, 200)))];
			}
		};
		const [name, raw] = pickBody();
		return this.build('signedMalformed', `signedMalformed/${name}`, raw, [this.sign('current', raw)], {
			contentType: this.pick(['text/plain', 'application/octet-stream']),
		});
	}

	/** Genuine and well-formed, with hostile or odd content. */
	signedOdd(): WebhookCase {
		const kind = this.int(0, 8);
		const base = this.payload(true);
		let text: string;
		let name: string;
		switch (kind) {
			case 0:
				name = 'prototype-keys';
				text = JSON.stringify(base).replace(
					/^\{/,
					'{"__proto__":{"polluted":"yes","event":"x"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},',
				);
				break;
			case 1:
				name = 'prototype-keys-nested';
				text = JSON.stringify({ ...base, details: {} }).replace('"details":{}', '"details":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}');
				break;
			case 2: {
				name = 'deep-nesting';
				const depth = this.depth();
				text = JSON.stringify(base).replace(/\}$/, `,"details":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
				break;
			}
			case 3:
				name = 'odd-event-name';
				text = JSON.stringify({ ...base, event: this.pick(ODD_EVENTS) });
				break;
			case 4:
				name = 'odd-keys';
				text = JSON.stringify({ ...base, body: [null, {}, [], 1e308, -0, '', '../..', '\u0000', 'x'.repeat(10_000), ...(base.body as string[])] });
				break;
			case 5:
				name = 'odd-timestamp';
				text = JSON.stringify({ ...base, timestamp: this.pick(['', 'yesterday', 'NaN', -1, 0, null, {}, [], true, '2026-13-45T99:99:99Z']) });
				break;
			case 6:
				name = 'unicode';
				text = JSON.stringify({ ...base, details: { note: '\u202e\ufeff\ud83d\ude00 \u0000 ' + this.randomText(20) } });
				break;
			case 7:
				name = 'odd-delivery-id';
				text = JSON.stringify(base);
				return this.build('signedOdd', `signedOdd/${name}`, Buffer.from(text), [this.sign('current', Buffer.from(text))], {
					deliveryId: this.pick(['', ' ', 'x'.repeat(5000), '\u0000', '../../', `dlv_${this.next}\r\nX-Injected: 1`]),
				});
			default:
				name = 'large-but-allowed';
				text = JSON.stringify({ ...base, details: { padding: 'p'.repeat(this.int(20_000, 150_000)) } });
		}
		const raw = Buffer.from(text);
		return this.build('signedOdd', `signedOdd/${name}`, raw, [this.sign('current', raw)], {
			contentType: this.pick(['application/json', 'text/plain']),
		});
	}

	/** A body larger than Max Body Size, signed or not, with an honest or lying Content-Length. */
	huge(): WebhookCase {
		const raw = Buffer.from(JSON.stringify({ event: 'assets.updated', body: ['A'], details: { padding: 'h'.repeat(MAX_BODY_BYTES + this.int(1, 200_000)) } }));
		const signed = this.prng.chance(0.5);
		const c = this.build(signed ? 'signedMalformed' : 'forged', signed ? 'signedMalformed/huge-body' : 'forged/huge-body', raw, [
			this.sign(signed ? 'current' : 'other', raw),
		]);
		if (this.prng.chance(0.5)) c.headers['content-length'] = String(this.int(1, 1000));
		return c;
	}

	/** The next case of the stream, drawn by weight. */
	nextCase(): WebhookCase {
		const r = this.prng.next();
		if (r < 0.05) return this.control();
		if (r < 0.07) return this.duplicate() ?? this.control();
		if (r < 0.1) return this.replay();
		if (r < 0.18) return this.signedMalformed();
		if (r < 0.27) return this.signedOdd();
		if (r < 0.2705) return this.huge();
		return this.forged();
	}
}

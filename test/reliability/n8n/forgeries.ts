/**
 * Requests for the adversarial run over HTTP: forged and mutated deliveries an attacker
 * without the secret can send (or a captured delivery, replayed or altered), and valid
 * controls in the forms Makini (or a proxy) may legitimately produce. Seeded, so a
 * failing run can be repeated. Each request is built when it is sent, so the payload
 * timestamps are fresh however long the run takes.
 */
import { createHmac, randomBytes } from 'node:crypto';

import { Prng } from '../../../sandbox/util/prng';
import type { RawRequest } from './rawHttp';

export const SIGNATURE = 'X-Webhook-Signature';
export const DELIVERY_ID = 'X-Makini-Delivery-Id';

export interface AdversarialCase {
	/** `control` (valid, must start exactly one execution) or the forgery's kind. */
	kind: string;
	forged: boolean;
	/** Statuses a correct receiver may answer (controls: 200). */
	expected: readonly number[];
	/** The delivery ID header sent, if any. */
	deliveryId?: string;
	/** The record key in the payload (FORGED-… or CTRL-…). */
	key: string;
	build(now: number): RawRequest;
}

const hmac = (secret: string, body: Buffer | string, encoding: 'base64' | 'hex' = 'base64') =>
	createHmac('sha256', secret).update(body).digest(encoding);

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

const payload = (key: string, now: number, extra: Record<string, unknown> = {}) => ({
	event: 'work-orders.updated',
	body: [key],
	timestamp: new Date(now).toISOString(),
	...extra,
});

const jsonHeaders = (...more: Array<[string, string | Buffer]>): Array<[string, string | Buffer]> => [
	['Content-Type', 'application/json'],
	['User-Agent', 'Makini-Webhooks/1.0 (reliability)'],
	...more,
];

/** Letters of "Signature" swapped for Cyrillic / Greek lookalikes, and ASCII near-misses. */
const LOOKALIKE_HEADERS = [
	'X-Webhook-Signatur\u0435', // Cyrillic е
	'X-W\u0435bhook-Signature',
	'X-Webhook-\u0405ignature', // Cyrillic Ѕ
	'X-Webhook-Sign\u0430ture', // Cyrillic а
	'X-Webhook-S\u0456gnature', // Cyrillic і
	'X-Webhook-Signatur\u212e', // estimated sign ℮
	'X-Webhook-Signature\u200b', // zero-width space
	'X-Webhook_Signature',
	'X-Webhook-Signatures',
	'XWebhook-Signature',
	'X-Webhook Signature',
	'X-Webhook-Signature ',
];

/** One forgery kind: how many of it, what a correct receiver may answer, and the request. */
interface ForgeryKind {
	kind: string;
	weight: number;
	expected: readonly number[];
	/** Sent with a delivery ID header. */
	withId?: boolean;
	make(ctx: { key: string; now: number; secret: string; prng: Prng }): RawRequest;
}

const SIG_REFUSED = [401] as const;
// n8n's own body parser answers some bodies (malformed JSON, bad encodings) before the node runs.
const BODY_REFUSED = [400, 401, 413, 415, 422] as const;

function kinds(): ForgeryKind[] {
	const valid = (secret: string, body: Buffer) => hmac(secret, body);
	const flipChar = (text: string, prng: Prng) => {
		const i = prng.int(0, text.length - 2);
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
		let c = prng.pick([...alphabet]);
		while (c === text[i]) c = prng.pick([...alphabet]);
		return text.slice(0, i) + c + text.slice(i + 1);
	};
	const signedWith = (kind: string, sign: (body: Buffer, secret: string, prng: Prng) => string, weight = 100): ForgeryKind => ({
		kind,
		weight,
		expected: SIG_REFUSED,
		withId: true,
		make: ({ key, now, secret, prng }) => {
			const body = json(payload(key, now));
			return { headers: jsonHeaders([SIGNATURE, sign(body, secret, prng)]), body };
		},
	});
	/** A captured valid signature of `original`, sent with `altered` instead. */
	const tampered = (kind: string, alter: (p: Record<string, unknown>, key: string, prng: Prng) => Buffer, weight = 100): ForgeryKind => ({
		kind,
		weight,
		expected: BODY_REFUSED,
		withId: true,
		make: ({ key, now, secret, prng }) => {
			const original = payload(key, now);
			const signature = valid(secret, json(original));
			return { headers: jsonHeaders([SIGNATURE, signature]), body: alter(original, key, prng) };
		},
	});
	const wrongSig = (secret: string, body: Buffer) => hmac(`${secret}x`, body);
	return [
		{ kind: 'unsigned', weight: 100, expected: SIG_REFUSED, withId: true, make: ({ key, now }) => ({ headers: jsonHeaders(), body: json(payload(key, now)) }) },
		signedWith('empty signature', () => ''),
		signedWith('blank signature', () => '   \t '),
		signedWith('random base64', () => randomBytes(32).toString('base64')),
		signedWith('random hex', () => randomBytes(32).toString('hex')),
		signedWith('sha256= random hex', () => `sha256=${randomBytes(32).toString('hex')}`),
		signedWith('wrong secret', (body, secret) => wrongSig(secret, body)),
		signedWith('wrong secret, hex', (body, secret) => hmac(`${secret.toUpperCase()}`, body, 'hex')),
		signedWith('empty secret', (body) => hmac('', body)),
		signedWith('secret-less digest (plain SHA-256)', (body) => createHmac('sha256', Buffer.alloc(0)).update(body).digest('base64')),
		signedWith('valid signature, one character changed', (body, secret, prng) => flipChar(valid(secret, body), prng)),
		signedWith('valid signature, truncated', (body, secret) => valid(secret, body).slice(0, 40)),
		signedWith('valid signature, extended', (body, secret) => `${valid(secret, body)}AAAA`),
		signedWith('signature of another body', (body, secret) => valid(secret, Buffer.concat([body, Buffer.from(' ')])).replace(/=$/, '')),
		signedWith('five wrong candidates', (body, secret) => Array.from({ length: 5 }, (_, i) => hmac(`${secret}${i}`, body)).join(',')),
		signedWith('signature bytes as text', () => 'A'.repeat(43) + '='),
		signedWith('invalid UTF-8 in the signature', () => Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]).toString('latin1')),
		signedWith('oversized signature header (10 KB)', () => 'A'.repeat(10 * 1024)),
		{
			kind: 'oversized header block (20 KB)',
			weight: 20,
			expected: [400, 401, 431],
			withId: true,
			make: ({ key, now }) => ({ headers: jsonHeaders([SIGNATURE, 'B'.repeat(20 * 1024)]), body: json(payload(key, now)) }),
		},
		{
			kind: 'two signature headers, both wrong',
			weight: 100,
			expected: SIG_REFUSED,
			withId: true,
			make: ({ key, now, secret }) => {
				const body = json(payload(key, now));
				return { headers: jsonHeaders([SIGNATURE, wrongSig(secret, body)], [SIGNATURE, hmac(`${secret}y`, body)]), body };
			},
		},
		{
			kind: 'valid signature under a lookalike header name',
			weight: 240,
			expected: [400, 401],
			withId: true,
			make: ({ key, now, secret, prng }) => {
				const body = json(payload(key, now));
				return { headers: jsonHeaders([prng.pick(LOOKALIKE_HEADERS), valid(secret, body)]), body };
			},
		},
		{
			kind: 'valid signature in another header or the query',
			weight: 100,
			expected: SIG_REFUSED,
			withId: true,
			make: ({ key, now, secret, prng }) => {
				const body = json(payload(key, now));
				const signature = valid(secret, body);
				return prng.chance(0.5)
					? { headers: jsonHeaders(['Authorization', `HMAC ${signature}`]), body }
					: { headers: jsonHeaders(['X-Signature', signature]), body };
			},
		},
		tampered('tampered key', (p, key) => json({ ...p, body: [`${key}-X`] })),
		tampered('tampered event', (p) => json({ ...p, event: 'purchase-orders.inserted' })),
		tampered('key added', (p, key) => json({ ...p, body: [key, 'WO-1'] })),
		tampered('field added', (p) => json({ ...p, connection_id: 'attacker' })),
		tampered('timestamp moved', (p) => json({ ...p, timestamp: new Date(Date.parse(String(p.timestamp)) + 1000).toISOString() })),
		tampered('duplicate JSON key overriding the signed one', (p, key) => {
			const text = JSON.stringify(p);
			return Buffer.from(`${text.slice(0, -1)},"body":["${key}-override"]}`, 'utf8');
		}),
		tampered('truncated body', (p, _key, prng) => {
			const text = json(p);
			return text.subarray(0, prng.int(1, text.length - 1));
		}),
		tampered('body with a NUL byte', (p) => Buffer.concat([json(p).subarray(0, 5), Buffer.from([0]), json(p).subarray(5)])),
		{
			kind: 'invalid UTF-8 body',
			weight: 100,
			expected: BODY_REFUSED,
			withId: true,
			make: ({ key, now, secret, prng }) => {
				const bad = Buffer.from(prng.pick([[0xc3, 0x28], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]]));
				const text = JSON.stringify(payload(key, now));
				const at = text.indexOf(key);
				const body = Buffer.concat([Buffer.from(text.slice(0, at)), bad, Buffer.from(text.slice(at))]);
				return { headers: jsonHeaders([SIGNATURE, wrongSig(secret, body)]), body };
			},
		},
		{
			kind: 'deep JSON nesting',
			weight: 50,
			expected: BODY_REFUSED,
			withId: true,
			make: ({ key, now, secret, prng }) => {
				const depth = prng.pick([1000, 10_000, 100_000]);
				const text = `{"event":"work-orders.updated","body":["${key}"],"timestamp":"${new Date(now).toISOString()}","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
				const body = Buffer.from(text);
				return { headers: jsonHeaders([SIGNATURE, wrongSig(secret, body)]), body };
			},
		},
		{
			kind: 'prototype-pollution keys',
			weight: 100,
			expected: SIG_REFUSED,
			withId: true,
			make: ({ key, now, secret, prng }) => {
				const text = prng.pick([
					`{"__proto__":{"polluted":"yes","isAdmin":true},"event":"work-orders.updated","body":["${key}"]}`,
					`{"constructor":{"prototype":{"polluted":"yes"}},"event":"work-orders.updated","body":["${key}"]}`,
					`{"event":"work-orders.updated","body":{"__proto__":["${key}"],"keys":["${key}"]},"timestamp":"${new Date(now).toISOString()}"}`,
					`{"event":"__proto__","body":["${key}"],"toString":"x","hasOwnProperty":1}`,
				]);
				const body = Buffer.from(text);
				return { headers: jsonHeaders([SIGNATURE, wrongSig(secret, body)]), body };
			},
		},
		{
			kind: 'huge body (1.5 MB)',
			weight: 10,
			expected: [413],
			withId: true,
			make: ({ key, now, secret }) => {
				const body = json(payload(key, now, { padding: 'x'.repeat(1536 * 1024) }));
				return { headers: jsonHeaders([SIGNATURE, wrongSig(secret, body)]), body };
			},
		},
		{
			kind: 'not JSON (form, text, multipart, XML)',
			weight: 100,
			expected: BODY_REFUSED,
			withId: true,
			make: ({ key, secret, prng }) => {
				const variant = prng.pick([
					['application/x-www-form-urlencoded', `event=work-orders.updated&body[]=${key}`],
					['text/plain', `{"event":"work-orders.updated","body":["${key}"]}`],
					['multipart/form-data; boundary=XyZ', `--XyZ\r\nContent-Disposition: form-data; name="event"\r\n\r\nwork-orders.updated\r\n--XyZ--\r\n`],
					['application/xml', `<event name="work-orders.updated"><key>${key}</key></event>`],
				]);
				const body = Buffer.from(variant[1]);
				return { headers: [['Content-Type', variant[0]], [SIGNATURE, wrongSig(secret, body)]], body };
			},
		},
		{
			kind: 'JSON that is not an object',
			weight: 100,
			expected: BODY_REFUSED,
			withId: true,
			make: ({ key, secret, prng }) => {
				const body = Buffer.from(prng.pick([`["${key}"]`, `"${key}"`, '42', 'null', 'true', '', '{}', '   ']));
				return { headers: jsonHeaders([SIGNATURE, wrongSig(secret, body)]), body };
			},
		},
		{
			kind: 'replay past Makini’s retry period (captured, 24 h 20 min old)',
			weight: 100,
			expected: SIG_REFUSED,
			withId: true,
			make: ({ key, now, secret }) => {
				const body = json(payload(key, now - (24 * 60 + 20) * 60_000));
				return { headers: jsonHeaders([SIGNATURE, valid(secret, body)]), body };
			},
		},
		{
			kind: 'signed for the future (20 min ahead: past the 15-minute clock skew tolerance)',
			weight: 100,
			expected: SIG_REFUSED,
			withId: true,
			make: ({ key, now, secret }) => {
				const body = json(payload(key, now + 20 * 60_000));
				return { headers: jsonHeaders([SIGNATURE, valid(secret, body)]), body };
			},
		},
		{
			kind: 'other HTTP method',
			weight: 60,
			expected: [404, 405],
			withId: true,
			make: ({ key, now, secret, prng }) => {
				const body = json(payload(key, now));
				return { method: prng.pick(['GET', 'PUT', 'PATCH', 'DELETE']), headers: jsonHeaders([SIGNATURE, valid(secret, body)]), body };
			},
		},
	];
}

/** A valid delivery in one of the forms a legitimate sender may use. */
const CONTROL_FORMS: Array<{ form: string; make(body: Record<string, unknown>, secret: string, previous: string): { headers: Array<[string, string]>; body: Buffer } }> = [
	{ form: 'base64', make: (p, s) => ({ headers: [[SIGNATURE, hmac(s, json(p))]], body: json(p) }) },
	{ form: 'hex', make: (p, s) => ({ headers: [[SIGNATURE, hmac(s, json(p), 'hex')]], body: json(p) }) },
	{ form: 'sha256= prefix', make: (p, s) => ({ headers: [[SIGNATURE, `sha256=${hmac(s, json(p), 'hex')}`]], body: json(p) }) },
	{ form: 'lower-case header name', make: (p, s) => ({ headers: [[SIGNATURE.toLowerCase(), hmac(s, json(p))]], body: json(p) }) },
	{ form: 'previous secret (rotation)', make: (p, _s, prev) => ({ headers: [[SIGNATURE, hmac(prev, json(p))]], body: json(p) }) },
	{ form: 'wrong and right candidate', make: (p, s) => ({ headers: [[SIGNATURE, `${hmac(`${s}x`, json(p))},${hmac(s, json(p))}`]], body: json(p) }) },
	{
		form: 'pretty-printed body, documented signature',
		make: (p, s) => ({ headers: [[SIGNATURE, hmac(s, json(p))]], body: Buffer.from(JSON.stringify(p, null, 2)) }),
	},
	{
		form: 'signed payload with __proto__ and constructor keys',
		make: (p, s) => {
			const body = Buffer.from(`{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(p).slice(1)}`);
			return { headers: [[SIGNATURE, hmac(s, body)]], body };
		},
	},
];

export interface AdversarialPlan {
	cases: AdversarialCase[];
	forged: number;
	controls: number;
	/** Forgeries carrying the delivery ID of a control that is sent later. */
	idSquatters: number;
}

/**
 * `forged` forgeries (spread over the kinds by weight) and `controls` valid deliveries,
 * shuffled together. A tenth of the forgeries carry the delivery ID of a control and go
 * out before it: a refused request must not use up a delivery ID.
 */
export function adversarialPlan(input: { forged: number; controls: number; secret: string; previousSecret: string; seed: string }): AdversarialPlan {
	const prng = new Prng(input.seed);
	const all = kinds();
	const totalWeight = all.reduce((sum, k) => sum + k.weight, 0);
	const run = randomBytes(4).toString('hex');

	const controls: AdversarialCase[] = Array.from({ length: input.controls }, (_, i) => {
		const key = `CTRL-${run}-${i}`;
		const deliveryId = `dlv_ctrl_${run}_${i}`;
		const form = CONTROL_FORMS[i % CONTROL_FORMS.length];
		return {
			kind: 'control',
			forged: false,
			expected: [200],
			deliveryId,
			key,
			build: (now: number) => {
				const made = form.make(payload(key, now), input.secret, input.previousSecret);
				return { headers: [...jsonHeaders(...made.headers), [DELIVERY_ID, deliveryId]], body: made.body };
			},
		};
	});

	const forged: AdversarialCase[] = [];
	for (const kind of all) {
		const count = Math.max(1, Math.round((kind.weight / totalWeight) * input.forged));
		for (let i = 0; i < count; i++) {
			const key = `FORGED-${run}-${forged.length}`;
			const deliveryId = kind.withId ? `dlv_forged_${run}_${forged.length}` : undefined;
			const seed = prng.next();
			forged.push({
				kind: kind.kind,
				forged: true,
				expected: kind.expected,
				deliveryId,
				key,
				build: (now: number) => {
					const request = kind.make({ key, now, secret: input.secret, prng: new Prng(seed) });
					if (deliveryId) request.headers.push([DELIVERY_ID, deliveryId]);
					return request;
				},
			});
		}
	}

	// Squatters: wrong signature, a control's delivery ID, sent in the first part of the run.
	const squatters: AdversarialCase[] = prng.sample(controls, Math.round(controls.length / 10)).map((control, i) => ({
		kind: 'forgery carrying a later control’s delivery ID',
		forged: true,
		expected: SIG_REFUSED,
		deliveryId: control.deliveryId,
		key: `FORGED-${run}-squat-${i}`,
		build: (now: number) => {
			const body = json(payload(control.key, now));
			return { headers: jsonHeaders([SIGNATURE, hmac(`${input.secret}!`, body)], [DELIVERY_ID, control.deliveryId as string]), body };
		},
	}));
	const squatted = new Set(squatters.map((s) => s.deliveryId));

	const mixed = prng.shuffle([...forged, ...controls.filter((c) => !squatted.has(c.deliveryId))]);
	const late = controls.filter((c) => squatted.has(c.deliveryId));
	// Squatters go out first, their controls at the end.
	const cases = [...squatters, ...mixed, ...late];
	return { cases, forged: forged.length + squatters.length, controls: controls.length, idSquatters: squatters.length };
}

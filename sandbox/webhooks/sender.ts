/**
 * Delivers webhooks like Makini: signed JSON POSTs, retried with exponential backoff on
 * a non-2xx answer or a network error (Makini: from 30 s for up to 24 h; here from
 * `retryBaseMs`, for `maxDeliveryAttempts`). Test modes reproduce what receivers must
 * survive: duplicates, concurrent duplicates, out-of-order batches, late deliveries and
 * bad, missing or wrongly keyed signatures. Every attempt is logged with its answer.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

import { Prng } from '../util/prng';
import { entityEvent, isConnectionEvent } from './events';
import { DELIVERY_ID_HEADER, EVENT_HEADER, SIGNATURE_HEADER, serializePayload, signPayload } from './sign';

export const DELIVERY_MODES = ['normal', 'duplicate', 'concurrentDuplicates', 'outOfOrder', 'late', 'badSignature', 'unsigned', 'wrongSecret'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export interface WebhookTarget {
	id: string;
	url: string;
	/** Secret to sign with (default: the sandbox's webhook secret). */
	secret?: string;
	/** Only these events (all when absent). */
	events?: string[];
}

export interface SendOptions {
	/** Event name, e.g. "work-orders.updated" or "connection.sync_failed". */
	event: string;
	/** Keys of the changed records (entity events). */
	keys?: string[];
	/** Connection the event is about (connection events; default: the primary connection). */
	connectionId?: string;
	/** details of a connection event. */
	details?: Record<string, unknown>;
	/** Send exactly this payload instead of building one. */
	payload?: unknown;
	mode?: DeliveryMode;
	/** concurrentDuplicates: how many copies (default 3). */
	copies?: number;
	/** late: delay before sending (default 500 ms). */
	delayMs?: number;
	/** outOfOrder: the payloads to shuffle (default: one event per key). */
	batch?: Array<{ event?: string; keys?: string[]; payload?: unknown }>;
	/** Add a `timestamp` to entity payloads (receivers may use it when present). */
	includeTimestamp?: boolean;
	/** Only this target. */
	targetId?: string;
	/** Retry a failed delivery (default true). */
	retry?: boolean;
}

export interface DeliveryAttempt {
	deliveryId: string;
	targetId: string;
	url: string;
	event: string;
	mode: DeliveryMode;
	attempt: number;
	/** HTTP status answered, absent on a network error. */
	status?: number;
	error?: string;
	ok: boolean;
	signed: boolean;
	at: string;
	/** The exact body sent. */
	body: string;
}

interface Delivery {
	deliveryId: string;
	target: WebhookTarget;
	event: string;
	mode: DeliveryMode;
	body: string;
	signature?: string;
	retry: boolean;
}

export interface SenderConfig {
	secret: string;
	retryBaseMs: number;
	maxAttempts: number;
	timeoutMs: number;
	batchMs: number;
	seed: number;
	now: () => number;
	primaryConnectionId: () => string;
}

export class WebhookSender {
	readonly targets: WebhookTarget[] = [];
	readonly log: DeliveryAttempt[] = [];
	includeTimestamp = false;
	private readonly pending = new Set<Promise<void>>();
	private readonly timers = new Map<NodeJS.Timeout, () => void>();
	private readonly batches = new Map<string, Set<string>>();
	private batchTimer: NodeJS.Timeout | undefined;
	private releaseBatch: () => void = () => undefined;
	private closed = false;
	private nextTarget = 1;
	private readonly prng: Prng;

	constructor(private readonly config: SenderConfig) {
		this.prng = new Prng(`${config.seed}:webhooks`);
	}

	register(input: { url: string; secret?: string; events?: string[] }): WebhookTarget {
		const url = new URL(input.url);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('A webhook URL must be http or https');
		const target: WebhookTarget = { id: `wh_${this.nextTarget++}`, url: url.toString(), secret: input.secret, events: input.events };
		this.targets.push(target);
		return target;
	}

	unregister(id: string): boolean {
		const index = this.targets.findIndex((t) => t.id === id);
		if (index === -1) return false;
		this.targets.splice(index, 1);
		return true;
	}

	/** The payload of an event as Makini sends it. */
	payloadFor(options: Pick<SendOptions, 'event' | 'keys' | 'connectionId' | 'details' | 'includeTimestamp'>): Record<string, unknown> {
		const timestamp = new Date(this.config.now()).toISOString();
		if (isConnectionEvent(options.event)) {
			return { event: options.event, timestamp, connection_id: options.connectionId ?? this.config.primaryConnectionId(), details: options.details ?? {} };
		}
		const payload: Record<string, unknown> = { event: options.event, body: options.keys ?? [] };
		if (options.includeTimestamp ?? this.includeTimestamp) payload.timestamp = timestamp;
		return payload;
	}

	/**
	 * Announces a record change (automatic deliveries). Changes within `batchMs` are sent
	 * together, as Makini lists several keys in one event.
	 */
	announce(collection: string, kind: 'inserted' | 'updated', key: string): void {
		const event = entityEvent(collection, kind);
		if (!event || this.closed) return;
		const keys = this.batches.get(event) ?? new Set<string>();
		keys.add(key);
		this.batches.set(event, keys);
		if (this.batchTimer) return;
		const flushed = new Promise<void>((resolve) => (this.releaseBatch = resolve));
		const release = this.releaseBatch;
		this.pending.add(flushed);
		void flushed.finally(() => this.pending.delete(flushed));
		this.batchTimer = setTimeout(() => {
			this.batchTimer = undefined;
			const batches = [...this.batches];
			this.batches.clear();
			const sends = batches.map(([name, set]) => this.send({ event: name, keys: [...set] }));
			void Promise.allSettled(sends).then(() => release());
		}, this.config.batchMs);
	}

	/** Sends now; resolves with the first attempt of each delivery (retries go on in the background). */
	async send(options: SendOptions): Promise<DeliveryAttempt[]> {
		const mode = options.mode ?? 'normal';
		if (!DELIVERY_MODES.includes(mode)) throw new Error(`mode must be one of ${DELIVERY_MODES.join(', ')}`);
		const targets = this.targets.filter(
			(t) => (!options.targetId || t.id === options.targetId) && (!t.events || t.events.includes(options.event)),
		);
		const results: DeliveryAttempt[] = [];
		for (const target of targets) {
			if (mode === 'outOfOrder') {
				const items = options.batch ?? (options.keys ?? []).map((key) => ({ event: options.event, keys: [key] }));
				for (const item of this.prng.shuffle(items)) {
					const payload = item.payload ?? this.payloadFor({ ...options, event: item.event ?? options.event, keys: item.keys });
					const delivery = this.prepare(target, item.event ?? options.event, payload, mode, options.retry);
					results.push(await (this.deliver(delivery, 1)));
				}
				continue;
			}
			const payload = options.payload ?? this.payloadFor(options);
			const delivery = this.prepare(target, options.event, payload, mode, options.retry);
			if (mode === 'late') await this.delay(options.delayMs ?? 500);
			if (mode === 'duplicate') {
				results.push(await (this.deliver(delivery, 1)));
				results.push(await (this.deliver({ ...delivery, retry: false }, 1)));
			} else if (mode === 'concurrentDuplicates') {
				const copies = Math.max(2, options.copies ?? 3);
				const sent = await Promise.all(
					Array.from({ length: copies }, (_, i) => (this.deliver(i === 0 ? delivery : { ...delivery, retry: false }, 1))),
				);
				results.push(...sent);
			} else {
				results.push(await (this.deliver(delivery, 1)));
			}
		}
		return results;
	}

	/** Resolves once no delivery or retry is under way. */
	async idle(): Promise<void> {
		while (this.pending.size) await Promise.allSettled([...this.pending]);
	}

	close(): void {
		this.closed = true;
		if (this.batchTimer) clearTimeout(this.batchTimer);
		this.releaseBatch();
		for (const [timer, resolve] of this.timers) {
			clearTimeout(timer);
			resolve();
		}
		this.timers.clear();
	}

	private prepare(target: WebhookTarget, event: string, payload: unknown, mode: DeliveryMode, retry = true): Delivery {
		const body = serializePayload(payload);
		const secret = target.secret ?? this.config.secret;
		let signature: string | undefined = signPayload(secret, body);
		if (mode === 'unsigned') signature = undefined;
		if (mode === 'wrongSecret') signature = signPayload(`${secret}-rotated-away`, body);
		if (mode === 'badSignature') signature = signPayload(secret, `${body} `).split('').reverse().join('');
		return { deliveryId: `dlv_${randomBytes(10).toString('hex')}`, target, event, mode, body, signature, retry };
	}

	/** Runs an attempt; a failed one schedules the next (tracked so idle() waits for it). */
	private async deliver(delivery: Delivery, attempt: number): Promise<DeliveryAttempt> {
		const done = this.post(delivery, attempt);
		const tracked = done.then(() => undefined);
		this.pending.add(tracked);
		void tracked.finally(() => this.pending.delete(tracked));
		const result = await done;
		if (!result.ok && delivery.retry && attempt < this.config.maxAttempts && !this.closed) {
			const wait = this.config.retryBaseMs * 2 ** (attempt - 1);
			const next = this.delay(wait).then(async () => {
				if (!this.closed) await this.deliver(delivery, attempt + 1);
			});
			this.pending.add(next);
			void next.finally(() => this.pending.delete(next));
		}
		return result;
	}

	private post(delivery: Delivery, attempt: number): Promise<DeliveryAttempt> {
		const url = new URL(delivery.target.url);
		const headers: Record<string, string | number> = {
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(delivery.body),
			'User-Agent': 'Makini-Webhooks/1.0 (sandbox)',
			[DELIVERY_ID_HEADER]: delivery.deliveryId,
			[EVENT_HEADER]: delivery.event,
		};
		if (delivery.signature !== undefined) headers[SIGNATURE_HEADER] = delivery.signature;
		const record = (outcome: { status?: number; error?: string }): DeliveryAttempt => {
			const entry: DeliveryAttempt = {
				deliveryId: delivery.deliveryId,
				targetId: delivery.target.id,
				url: delivery.target.url,
				event: delivery.event,
				mode: delivery.mode,
				attempt,
				...outcome,
				ok: outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300,
				signed: delivery.signature !== undefined,
				at: new Date(this.config.now()).toISOString(),
				body: delivery.body,
			};
			this.log.push(entry);
			return entry;
		};
		return new Promise((resolve) => {
			const client = url.protocol === 'https:' ? https : http;
			const req = client.request(url, { method: 'POST', headers, timeout: this.config.timeoutMs }, (res) => {
				res.resume();
				res.on('end', () => resolve(record({ status: res.statusCode })));
				res.on('error', (error) => resolve(record({ status: res.statusCode, error: error.message })));
			});
			req.on('timeout', () => req.destroy(new Error(`no answer within ${this.config.timeoutMs} ms`)));
			req.on('error', (error: NodeJS.ErrnoException) => resolve(record({ error: error.code ?? error.message })));
			req.end(delivery.body);
		});
	}

	private delay(ms: number): Promise<void> {
		return new Promise((resolve) => {
			if (this.closed) return resolve();
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.set(timer, resolve);
		});
	}
}

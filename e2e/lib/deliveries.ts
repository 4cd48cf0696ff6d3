/**
 * Makini webhook deliveries sent by the tests themselves, signed exactly as the
 * sandbox's sender signs them (sandbox/webhooks/sign.ts: base64 HMAC-SHA256 of the JSON
 * text that is sent), so a test can repeat one delivery byte for byte (same body, same
 * delivery ID) whenever it wants, e.g. after restarting n8n.
 */
import { randomBytes } from 'node:crypto';

import { DELIVERY_ID_HEADER, EVENT_HEADER, SIGNATURE_HEADER, serializePayload, signPayload } from '../../sandbox/webhooks/sign';
import type { N8nClient } from './client';

export { DELIVERY_ID_HEADER, SIGNATURE_HEADER };

export interface Delivery {
	payload: Record<string, unknown>;
	/** The exact body sent. */
	body: string;
	headers: Record<string, string>;
	deliveryId?: string;
}

export interface DeliveryOptions {
	/** Signs with this secret; `null` sends no signature header. */
	secret: string | null;
	/** `X-Makini-Delivery-Id`; a fresh one unless given, none with `null`. */
	deliveryId?: string | null;
	/** Overrides the signature header's value (a forged signature). */
	signature?: string;
}

export function newDeliveryId(): string {
	return `dlv_${randomBytes(10).toString('hex')}`;
}

/** An entity event as Makini documents it: `{event, body: [keys]}` (+ `timestamp` when given). */
export function entityPayload(event: string, keys: string[], timestamp?: string): Record<string, unknown> {
	return timestamp ? { event, body: keys, timestamp } : { event, body: keys };
}

export function signedDelivery(payload: Record<string, unknown>, options: DeliveryOptions): Delivery {
	const body = serializePayload(payload);
	const deliveryId = options.deliveryId === undefined ? newDeliveryId() : (options.deliveryId ?? undefined);
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (typeof payload.event === 'string') headers[EVENT_HEADER.toLowerCase()] = payload.event;
	if (deliveryId) headers[DELIVERY_ID_HEADER.toLowerCase()] = deliveryId;
	const signature = options.signature ?? (options.secret === null ? undefined : signPayload(options.secret, body));
	if (signature !== undefined) headers[SIGNATURE_HEADER.toLowerCase()] = signature;
	return { payload, body, headers, deliveryId };
}

/** POSTs a delivery to a production (or, with `test`, the editor's test) webhook path of n8n, retrying while n8n registers it. */
export async function sendDelivery(
	client: N8nClient,
	path: string,
	delivery: Delivery,
	options: { test?: boolean } = {},
): Promise<{ status: number; body: unknown }> {
	return await client.callWebhook(path, { method: 'POST', rawBody: delivery.body, headers: delivery.headers, test: options.test });
}

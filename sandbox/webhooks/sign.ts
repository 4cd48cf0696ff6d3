/**
 * Makini's webhook signature, written here on purpose independently of the trigger's
 * verifier: header X-Webhook-Signature = base64(HMAC-SHA256(key = secret,
 * message = JSON.stringify(payload))), and the body sent is that same JSON text.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Webhook-Signature';
export const DELIVERY_ID_HEADER = 'X-Makini-Delivery-Id';
export const EVENT_HEADER = 'X-Makini-Event';

export function serializePayload(payload: unknown): string {
	return JSON.stringify(payload);
}

export function signPayload(secret: string, body: string): string {
	return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

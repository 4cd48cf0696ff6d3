/** Makini webhook payloads of a given size, signed as Makini signs them. */
import { createHmac, randomUUID } from 'node:crypto';

/** `{"event":"work-orders.updated","body":[keys…],"timestamp":…}` of about `bytes` bytes (compact JSON). */
export function payloadOfSize(bytes: number, seed = 0): Buffer {
	const keys: string[] = [];
	const base = { event: 'work-orders.updated', body: keys, timestamp: new Date().toISOString() };
	let size = JSON.stringify(base).length;
	for (let i = 0; size < bytes; i++) {
		const key = `0600${String(seed).padStart(4, '0')}${String(i).padStart(6, '0')}`;
		keys.push(key);
		size += key.length + 3;
	}
	return Buffer.from(JSON.stringify(base), 'utf8');
}

export function sign(secret: string, body: Buffer): string {
	return createHmac('sha256', secret).update(body).digest('base64');
}

/** One unique delivery: its own key, timestamp and delivery ID, so no copy is dropped as a duplicate. */
export function uniqueDelivery(secret: string, index: number): { body: Buffer; headers: Record<string, string> } {
	const body = Buffer.from(
		JSON.stringify({
			event: 'work-orders.updated',
			body: [`06${String(index).padStart(12, '0')}`],
			timestamp: new Date().toISOString(),
		}),
	);
	return {
		body,
		headers: {
			'content-type': 'application/json',
			'x-webhook-signature': sign(secret, body),
			'x-makini-delivery-id': randomUUID(),
			'x-makini-event': 'work-orders.updated',
		},
	};
}

/**
 * The items a delivery becomes: one per event, or one per record key. Headers are
 * passed on without the signature header; nothing of the secret is ever part of them.
 */
import type { IDataObject } from 'n8n-workflow';

import type { MakiniEvent, WebhookRequestLike } from './payload';

export interface DeliveryFacts {
	deliveryId: string | null;
	/** SHA-256 (hex) of the bytes verified: what duplicates are recognised by without a delivery ID. */
	fingerprint: string;
	receivedAt: string;
	headers: IDataObject;
}

/** The request headers minus the signature header (header names are lower-case in Node). */
export function headersWithoutSignature(headers: WebhookRequestLike['headers'], signatureHeader: string): IDataObject {
	const skip = signatureHeader.toLowerCase();
	const out: IDataObject = {};
	for (const name of Object.keys(headers)) {
		if (name.toLowerCase() === skip) continue;
		const value = headers[name];
		if (value !== undefined) out[name] = value;
	}
	return out;
}

function baseItem(event: MakiniEvent, facts: DeliveryFacts): IDataObject {
	const item: IDataObject = {
		event: event.event.name,
		receivedEvent: event.receivedEvent,
		entity: event.event.entity,
		action: event.event.action,
		connectionId: event.connectionId,
		timestamp: event.timestampMs === null ? null : new Date(event.timestampMs).toISOString(),
		receivedAt: facts.receivedAt,
		deliveryId: facts.deliveryId,
		fingerprint: facts.fingerprint,
	};
	if (event.details) item.details = event.details;
	return item;
}

/** One item for the event (with all its keys), or one item per key when `perKey` is set. */
export function eventItems(event: MakiniEvent, keys: readonly string[], facts: DeliveryFacts, perKey: boolean): IDataObject[] {
	if (!perKey || keys.length === 0) {
		return [{ ...baseItem(event, facts), keys: [...keys], headers: facts.headers }];
	}
	const base = baseItem(event, facts);
	return keys.map((key) => ({ ...base, key, headers: facts.headers }));
}

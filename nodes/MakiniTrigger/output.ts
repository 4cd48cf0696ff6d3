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

/**
 * Request headers that carry credentials of the sender or of a proxy in front of n8n:
 * never copied into an item (an item is stored with the execution and shown in the editor).
 */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token', 'x-access-token', 'x-csrf-token', 'x-xsrf-token']);
/** Names that say a header holds a secret, whatever the sender or proxy called it. */
const SECRET_HEADER_NAME = /(secret|token|passw|api[-_]?key|auth|cookie|session|signature|credential)/i;

/** The request headers minus the signature header and any header holding a credential (names are lower-case in Node). */
export function headersForOutput(headers: WebhookRequestLike['headers'], signatureHeader: string): IDataObject {
	const skip = signatureHeader.toLowerCase();
	const out: IDataObject = {};
	for (const name of Object.keys(headers)) {
		const lower = name.toLowerCase();
		if (lower === skip || CREDENTIAL_HEADERS.has(lower) || SECRET_HEADER_NAME.test(lower)) continue;
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

/** The payload without its key list: each item of a split delivery carries its own key instead. */
function payloadWithoutKeys(payload: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const name of Object.keys(payload)) {
		if ((name === 'body' || name === 'keys') && Array.isArray(payload[name])) continue;
		// defineProperty: a key named __proto__ stays a plain field.
		Object.defineProperty(out, name, { value: payload[name], enumerable: true, writable: true, configurable: true });
	}
	return out;
}

/**
 * One item for the event (with all its keys), or one item per key when `perKey` is set.
 * Every item carries the payload as received (`payload`) beside the normalised fields,
 * so a field the trigger does not know still reaches the workflow.
 */
export function eventItems(
	event: MakiniEvent,
	keys: readonly string[],
	facts: DeliveryFacts,
	perKey: boolean,
	/** Resolve Records: the current record of each key, in the same order. */
	records?: readonly IDataObject[],
): IDataObject[] {
	if (!perKey || keys.length === 0) {
		const item: IDataObject = { ...baseItem(event, facts), keys: [...keys], payload: event.payload, headers: facts.headers };
		if (records) item.records = [...records];
		return [item];
	}
	const base = baseItem(event, facts);
	const payload = payloadWithoutKeys(event.payload);
	return keys.map((key, i) => ({ ...base, key, ...(records ? { record: records[i] } : {}), payload, headers: facts.headers }));
}

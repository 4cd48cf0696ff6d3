/**
 * Reading a delivery: its raw bytes as n8n kept them, the JSON payload, and the fields
 * the trigger works with. Makini documents `{"event": "assets.updated", "body": [keys]}`
 * for entity events; its FAQ adds a timestamp, a connection ID and details for
 * connection events, with no names given, so the usual spellings are all read.
 */
import type { IDataObject } from 'n8n-workflow';

import { normaliseEvent, type NormalisedEvent } from './events';
import { parseTimestamp } from './signature';

/** The parts of n8n's (express) request the trigger reads. */
export interface WebhookRequestLike {
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	/** n8n's body parser keeps the bytes received here. */
	rawBody?: unknown;
}

export interface ReceivedBody {
	/** The bytes received; undefined when n8n kept none (only the documented JSON form can then be verified). */
	bytes: Buffer | undefined;
}

/**
 * The bytes of the request. n8n's parser keeps them as `req.rawBody` (a Buffer). Without
 * them, a string body is its own bytes; a body n8n already parsed has none, and only the
 * documented `JSON.stringify(payload)` form remains to verify against.
 */
export function receivedBody(req: WebhookRequestLike): ReceivedBody {
	if (Buffer.isBuffer(req.rawBody)) return { bytes: req.rawBody };
	if (typeof req.rawBody === 'string') return { bytes: Buffer.from(req.rawBody, 'utf8') };
	if (typeof req.body === 'string') return { bytes: Buffer.from(req.body, 'utf8') };
	if (Buffer.isBuffer(req.body)) return { bytes: req.body };
	return { bytes: undefined };
}

export type ParsedPayload =
	| { ok: true; payload: IDataObject }
	| { ok: false; reason: 'malformed' | 'notAnObject' | 'empty' | 'tooDeep' };

/**
 * Makini's payloads nest a few levels. Far deeper JSON parses, but n8n cannot save an
 * execution holding it (serialising it overflows the stack), so it is refused unparsed.
 */
export const MAX_NESTING = 64;

/** Whether JSON text nests deeper than `limit` (brackets outside strings), without parsing it. */
export function textNestsDeeperThan(bytes: Buffer, limit: number): boolean {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < bytes.length; i++) {
		const byte = bytes[i];
		if (inString) {
			if (byte === 0x5c) i++;
			else if (byte === 0x22) inString = false;
		} else if (byte === 0x22) inString = true;
		else if (byte === 0x5b || byte === 0x7b) {
			if (++depth > limit) return true;
		} else if (byte === 0x5d || byte === 0x7d) depth--;
	}
	return false;
}

/** The same for a value n8n already parsed (walked with a stack of its own: no recursion). */
export function valueNestsDeeperThan(value: unknown, limit: number): boolean {
	const stack: Array<[unknown, number]> = [[value, 0]];
	while (stack.length) {
		const [current, depth] = stack.pop()!;
		if (current === null || typeof current !== 'object') continue;
		if (depth + 1 > limit) return true;
		for (const child of Object.values(current)) stack.push([child, depth + 1]);
	}
	return false;
}

/**
 * The JSON payload. Parsed from the raw bytes when there are any (so what is read is
 * what was signed); otherwise n8n's parsed body is taken as it is.
 */
export function parsePayload(req: WebhookRequestLike, body: ReceivedBody): ParsedPayload {
	let value: unknown;
	if (body.bytes) {
		if (body.bytes.length === 0) return { ok: false, reason: 'empty' };
		if (textNestsDeeperThan(body.bytes, MAX_NESTING)) return { ok: false, reason: 'tooDeep' };
		try {
			value = JSON.parse(body.bytes.toString('utf8'));
		} catch {
			return { ok: false, reason: 'malformed' };
		}
	} else {
		// Its nesting was checked on arrival, before its size (receive.ts).
		value = req.body;
		if (value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0)) {
			return { ok: false, reason: 'empty' };
		}
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'notAnObject' };
	return { ok: true, payload: value as IDataObject };
}

export interface MakiniEvent {
	event: NormalisedEvent;
	/** The event name exactly as received. */
	receivedEvent: string;
	/** Keys of the changed records (entity events); empty when none. */
	keys: string[];
	connectionId: string | null;
	/** The payload's timestamp in ms, null when it carries none. */
	timestampMs: number | null;
	/** The timestamp as received. */
	timestamp: unknown;
	/** Connection events' details, whatever the field is called (`details`, `body`, `data`, `error`, ...), when present. */
	details: IDataObject | null;
	/** The payload as received (parsed): every field reaches the output, named or not. */
	payload: IDataObject;
	/** A delivery or event ID inside the (signed) payload, when the sender puts one there. */
	signedId: string | null;
}

function firstDefined(source: IDataObject, names: readonly string[]): unknown {
	for (const name of names) if (source[name] !== undefined && source[name] !== null) return source[name];
	return undefined;
}

function keysOf(payload: IDataObject): string[] {
	const body = firstDefined(payload, ['body', 'keys']);
	const list = Array.isArray(body) ? body : Array.isArray((body as IDataObject | undefined)?.keys) ? ((body as IDataObject).keys as unknown[]) : [];
	const keys: string[] = [];
	for (const key of list) if (typeof key === 'string' || typeof key === 'number') keys.push(String(key));
	return keys;
}

function connectionIdOf(payload: IDataObject): string | null {
	const direct = firstDefined(payload, ['connection_id', 'connectionId', 'connection_key', 'connectionKey']);
	const nested = payload.connection as IDataObject | undefined;
	const value = direct ?? (nested && typeof nested === 'object' ? firstDefined(nested, ['id', 'key']) : undefined);
	return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

/**
 * Makini's FAQ advises tracking processed webhook IDs without naming the field. Only an
 * ID inside the payload is covered by the signature; a plain `id` is left out, as it may
 * name the connection or a record rather than the delivery.
 */
const SIGNED_ID_FIELDS = ['delivery_id', 'deliveryId', 'webhook_id', 'webhookId', 'event_id', 'eventId'] as const;
const MAX_SIGNED_ID = 200;

function signedIdOf(payload: IDataObject): string | null {
	const value = firstDefined(payload, SIGNED_ID_FIELDS);
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	return text !== '' && text.length <= MAX_SIGNED_ID ? text : null;
}

/**
 * Makini's FAQ gives connection events "details" without naming the field: the first
 * object found under the usual names. A plain value there (`error: "…"`) is kept as
 * `{ <field>: value }`, so nothing the sender said is dropped.
 */
const DETAILS_FIELDS = ['details', 'detail', 'body', 'data', 'error', 'errors', 'payload', 'info', 'metadata', 'message', 'reason'] as const;

function detailsOf(payload: IDataObject): IDataObject | null {
	for (const name of DETAILS_FIELDS) {
		const value = payload[name];
		if (value === undefined || value === null) continue;
		if (typeof value === 'object' && !Array.isArray(value)) return value as IDataObject;
		// An entity event's key list is its keys, not details.
		if (name === 'body' && Array.isArray(value)) continue;
		return { [name]: value as IDataObject[keyof IDataObject] };
	}
	return null;
}

/** The fields of a Makini payload, whatever spelling the sender used. */
export function readEvent(payload: IDataObject): MakiniEvent {
	const receivedEvent = typeof payload.event === 'string' ? payload.event : typeof payload.type === 'string' ? payload.type : '';
	const timestamp = firstDefined(payload, ['timestamp', 'occurred_at', 'occurredAt', 'created_at', 'createdAt']);
	return {
		event: normaliseEvent(receivedEvent),
		receivedEvent,
		keys: keysOf(payload),
		connectionId: connectionIdOf(payload),
		timestampMs: parseTimestamp(timestamp),
		timestamp: timestamp ?? null,
		details: detailsOf(payload),
		payload,
		signedId: signedIdOf(payload),
	};
}

/** A request header's value as one string (repeated headers arrive as arrays). */
export function headerValue(headers: WebhookRequestLike['headers'], name: string): string | undefined {
	if (!name) return undefined;
	const value = headers[name.toLowerCase()];
	const text = Array.isArray(value) ? value.join(',') : value;
	return text === undefined || text.trim() === '' ? undefined : text.trim();
}

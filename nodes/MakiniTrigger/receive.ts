/**
 * What happens to one delivery, in order: size, signature, JSON, timestamp (Makini's
 * retry period), event selection, duplicates, ordering. Refusals and acknowledgements
 * that start nothing are answered here (and n8n told so with `noWebhookResponse`). An
 * accepted delivery is answered by n8n, which in n8n 2.x does so only once it has
 * stored the execution (and, in queue mode, queued it): a 200 means the delivery is
 * safe, and a failure to store it is a 5xx that Makini retries (see acceptedResponse).
 * While n8n is behind with saving the deliveries accepted before, a new one is answered
 * 503 + Retry-After (backlog.ts).
 */
import { createHash } from 'crypto';
import { sleep, type IDataObject, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import { BACKLOG_RETRY_AFTER_S } from './backlog';
import { isEventSelected } from './events';
import { checkTimestamp, deliveryIdentity, DeliveryLedger, digestKey } from './deliveryStore';
import { eventItems, headersForOutput } from './output';
import {
	headerValue,
	MAX_NESTING,
	parsePayload,
	readEvent,
	receivedBody,
	type MakiniEvent,
	type ParsedPayload,
	type WebhookRequestLike,
	valueNestsDeeperThan,
} from './payload';
import { readTriggerOptions } from './properties';
import { recordPath, resolveRecords } from './resolveRecords';
import { signatureHeaderOf, webhookSecretKey, webhookSecrets, type WebhookSecretCredentials } from './webhookSecret';
import { verifySignature } from './signature';

/** The parts of n8n's (express) response the trigger uses. */
interface WebhookResponseLike {
	status(code: number): WebhookResponseLike;
	setHeader(name: string, value: string): unknown;
	json(body: unknown): unknown;
	statusCode?: number;
	once?(event: 'finish', listener: () => void): unknown;
}

/** The answer to an accepted delivery: n8n's own words for a started workflow. */
export const ACCEPTED_MESSAGE = 'Workflow was started';

/** A delivery ID longer than this is not an ID Makini would send. */
const MAX_DELIVERY_ID = 200;

/** Answers the request itself; n8n then sends nothing more and starts no execution. */
function answer(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	(ctx.getResponseObject() as unknown as WebhookResponseLike).status(status).json(body);
	return { noWebhookResponse: true };
}

/** Refuses a delivery: logged without the secret, the signature or the body. */
function refuse(ctx: IWebhookFunctions, status: number, error: string): IWebhookResponseData {
	const node = ctx.getNode();
	ctx.logger.warn(`Makini Trigger refused a delivery (${status}): ${error}`, {
		workflowId: ctx.getWorkflow().id,
		node: node.name,
	});
	return answer(ctx, status, { error });
}

/** Acknowledges a delivery that starts nothing, so Makini does not retry it. */
function acknowledge(ctx: IWebhookFunctions, ignored: string): IWebhookResponseData {
	ctx.logger.debug(`Makini Trigger acknowledged a delivery without running: ${ignored}`, {
		workflowId: ctx.getWorkflow().id,
		node: ctx.getNode().name,
	});
	return answer(ctx, 200, { received: true, ignored });
}

/** n8n keeps no raw body (and parses none) without a Content-Type: the signature cannot be checked then. */
export const MISSING_CONTENT_TYPE = 'Content-Type header missing: send the body as application/json';

export const TIMESTAMP_ERRORS = {
	stale: 'timestamp older than Makini’s 24-hour retry period',
	future: 'timestamp ahead of this server’s clock by more than the clock skew tolerance',
	forgotten: 'delivery older than the oldest this trigger still remembers',
} as const;

/** The answer while n8n is behind with saving accepted deliveries (backlog.ts). */
export const BACKLOG_ERROR = 'n8n has not yet stored the deliveries accepted before this one; retry later';

/** When Makini could not be read for Resolve Records: Makini's retry comes after this. */
const RESOLVE_RETRY_AFTER_S = 30;

/** The answer to a copy of a delivery whose execution n8n is still storing, once waiting for it ran out. */
export const PENDING_ERROR = 'a copy of this delivery is still being stored by n8n; retry later';
/** How long a copy waits for the first one's execution to be stored (Makini expects an answer within 10 s). */
const PENDING_WAIT_MS = 5_000;
/** Makini's own first retry comes after 30 s (CONTRACT.md). */
const PENDING_RETRY_AFTER_S = 30;

const SIGNATURE_ERRORS = {
	missing: 'missing signature',
	malformed: 'invalid signature',
	mismatch: 'invalid signature',
	noSecret: 'signature cannot be verified',
} as const;

const PAYLOAD_ERRORS = {
	notAnObject: 'payload is not a JSON object',
	malformed: 'malformed JSON',
	empty: 'malformed JSON',
	tooDeep: `payload nested deeper than ${MAX_NESTING} levels`,
} as const;

/** Records (entity + key, or connection event + connection) an event is about, for ordering. */
function orderingRecords(event: MakiniEvent): Array<{ key: string | null; record: string }> {
	const entity = event.event.entity ?? event.event.name;
	if (event.keys.length === 0) return [{ key: null, record: digestKey(`${event.event.name}\u0000${event.connectionId ?? ''}`) }];
	return event.keys.map((key) => ({ key, record: digestKey(`${entity}\u0000${key}`) }));
}

export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const now = Date.now();
	const req = this.getRequestObject() as unknown as WebhookRequestLike;
	const options = readTriggerOptions(this);
	// Size first: nothing is hashed or parsed for an oversized body.
	const declared = Number(headerValue(req.headers, 'content-length'));
	const body = receivedBody(req);
	// Without raw bytes the size is that of the parsed body re-serialised, which too deep a body cannot be.
	if (!body.bytes && valueNestsDeeperThan(req.body, MAX_NESTING)) return refuse(this, 400, PAYLOAD_ERRORS.tooDeep);
	const size = body.bytes ? body.bytes.length : Buffer.byteLength(JSON.stringify(req.body ?? null) ?? '');
	if ((Number.isFinite(declared) && declared > options.maxBodyBytes) || size > options.maxBodyBytes) {
		return refuse(this, 413, `body larger than ${options.maxBodyBytes} bytes`);
	}

	// The body is parsed before it is authenticated only when the raw bytes do not verify.
	let parsed: ParsedPayload | undefined;
	const parse = () => (parsed ??= parsePayload(req, body));
	// The secret is kept in process memory for a short time (webhookSecret.ts): reading the
	// credential costs n8n an expression isolate per delivery. A refusal re-reads it, so a
	// rotated secret is picked up at once.
	const node = this.getNode();
	const { credentials, result: verdict } = await webhookSecrets.use(
		webhookSecretKey(this.getWorkflow().id, node.id ?? node.name, node.credentials?.makiniWebhookSecretApi?.id),
		now,
		async () => await this.getCredentials<WebhookSecretCredentials>('makiniWebhookSecretApi'),
		(secret) => {
			const signature = headerValue(req.headers, signatureHeaderOf(secret));
			if (signature === undefined) return { ok: false, reason: 'missing' } as const;
			return verifySignature({
				header: signature,
				rawBody: body.bytes,
				loadPayload: () => {
					const result = parse();
					return result.ok ? result.payload : undefined;
				},
				secrets: [secret.secret, secret.previousSecret],
			});
		},
	);
	if (!verdict.ok) {
		// Without a Content-Type n8n keeps no body to verify: say that, not "invalid signature".
		if (verdict.reason === 'mismatch' && !body.bytes && headerValue(req.headers, 'content-type') === undefined) {
			return refuse(this, 415, MISSING_CONTENT_TYPE);
		}
		return refuse(this, 401, SIGNATURE_ERRORS[verdict.reason]);
	}
	parsed = parse();
	if (!parsed.ok) {
		return refuse(this, 400, PAYLOAD_ERRORS[parsed.reason]);
	}

	const event = readEvent(parsed.payload);
	const age = checkTimestamp(event.timestampMs, now, options.clockSkewMs);
	if (age === 'stale' || age === 'future') return refuse(this, 401, TIMESTAMP_ERRORS[age]);

	if (!isEventSelected(event.event, options.events)) return acknowledge(this, 'event not selected');

	const verifiedBytes = verdict.form === 'raw' && body.bytes ? body.bytes : Buffer.from(JSON.stringify(parsed.payload));
	const fingerprint = createHash('sha256').update(verifiedBytes).digest('hex');
	const rawDeliveryId = options.deliveryIdHeader ? headerValue(req.headers, options.deliveryIdHeader) : undefined;
	const deliveryId = rawDeliveryId && rawDeliveryId.length <= MAX_DELIVERY_ID ? rawDeliveryId : undefined;
	// The header ID is unsigned: output only. What a copy is, the signed body alone decides.
	const dated = event.timestampMs !== null || event.signedId !== null;
	const identity = deliveryIdentity({
		fingerprint,
		dated,
		windowMs: options.deduplicationWindowMs,
		skewMs: options.clockSkewMs,
	});

	const scope = `${this.getWorkflow().id ?? ''}\u0000${node.id ?? node.name}\u0000${this.getMode()}`;
	const ledger = new DeliveryLedger(scope, this.getWorkflowStaticData('node'), now);
	let claim = ledger.claim(identity, event.timestampMs);
	// With Resolve Records an undated entity body's bytes cannot tell a copy from a second
	// real change of the same records: the records' updatedAt decides below instead.
	const resolvesByRecord = options.resolveRecords && !dated && event.event.entity !== 'connection' && event.keys.length > 0;
	if (claim === 'pending' && !resolvesByRecord) {
		// The first copy is being stored: its outcome decides. Stored, this is a duplicate;
		// released (n8n failed to store it), this copy takes its place.
		const outcome = await ledger.settled(identity, PENDING_WAIT_MS, sleep);
		if (outcome === 'released') claim = ledger.claim(identity, event.timestampMs);
		else if (outcome === 'stored') claim = 'duplicate';
		if (claim === 'pending') {
			(this.getResponseObject() as unknown as WebhookResponseLike).setHeader('Retry-After', String(PENDING_RETRY_AFTER_S));
			return refuse(this, 503, PENDING_ERROR);
		}
	}
	if (claim === 'duplicate' && !resolvesByRecord) return acknowledge(this, 'duplicate delivery');
	if (claim === 'forgotten') return refuse(this, 409, TIMESTAMP_ERRORS.forgotten);
	// Backpressure (backlog.ts): while n8n has not saved the deliveries accepted before,
	// more would only lengthen the queue in front of its database. Makini retries a 503.
	if (claim === 'new' && ledger.backlogFull) {
		ledger.release();
		(this.getResponseObject() as unknown as WebhookResponseLike).setHeader('Retry-After', String(BACKLOG_RETRY_AFTER_S));
		return refuse(this, 503, BACKLOG_ERROR);
	}

	let keys = event.keys;
	if (options.dropOutOfOrder && event.timestampMs !== null) {
		const timestamp = event.timestampMs;
		const current = orderingRecords(event).filter(({ record }) => !ledger.isOutdated(record, timestamp));
		for (const { record } of current) ledger.noteTime(record, timestamp);
		if (current.length === 0) {
			ledger.confirm();
			ledger.persist();
			return acknowledge(this, 'older than an event already received');
		}
		if (event.keys.length > 0) keys = current.map(({ key }) => key as string);
	}

	// Resolve Records: only records whose updatedAt moved since last emitted go out.
	let records: IDataObject[] | undefined;
	const path = options.resolveRecords && event.event.entity !== 'connection' && keys.length > 0 ? recordPath(event.event.name, options.system) : undefined;
	if (path) {
		const resolution = await resolveRecords(this, path, keys);
		if (!resolution.ok) {
			// Nothing ran: forget the claim, so Makini's retry of this delivery is judged afresh.
			ledger.release();
			ledger.persist();
			(this.getResponseObject() as unknown as WebhookResponseLike).setHeader('Retry-After', String(RESOLVE_RETRY_AFTER_S));
			return refuse(this, 503, `Resolve Records: ${resolution.reason}; retry later`);
		}
		const entity = event.event.entity ?? event.event.name;
		const changed = resolution.records.filter(
			(r) => r.record !== null && ledger.takeChanged(digestKey(`${options.system}\u0000${entity}\u0000${r.key}`), r.updatedAtMs),
		);
		if (changed.length === 0) {
			ledger.confirm();
			ledger.persist();
			return acknowledge(this, 'no record changed since it was last emitted');
		}
		keys = changed.map((r) => r.key);
		records = changed.map((r) => r.record as IDataObject);
	}

	const items = eventItems(
		event,
		keys,
		{
			deliveryId: deliveryId ?? null,
			fingerprint,
			receivedAt: new Date(now).toISOString(),
			headers: headersForOutput(req.headers, signatureHeaderOf(credentials)),
		},
		options.splitKeys,
		records,
	);
	return acceptedResponse(this, ledger, [this.helpers.returnJsonArray(items)]);
}

/**
 * An accepted delivery, answered by n8n: `{"message":"Workflow was started"}`, the
 * answer of its Webhook node. n8n 2.x reads `webhookResponse` for that answer only after
 * it stored the execution (and queued it, in queue mode); n8n 1.x before it stores it.
 * Reading it is the node's signal that the execution is safe: the claim is confirmed
 * then, and written to static data. Writing it there also marks static data changed
 * again (preparing the execution resets that mark on the same object), so n8n saves it
 * before its answer goes out. Should n8n answer an error instead (it failed to store
 * the execution), the claim is released, so Makini's retry runs.
 */
function acceptedResponse(ctx: IWebhookFunctions, ledger: DeliveryLedger, workflowData: IWebhookResponseData['workflowData']): IWebhookResponseData {
	let answered = false;
	const response: IWebhookResponseData = { workflowData };
	Object.defineProperty(response, 'webhookResponse', {
		enumerable: true,
		get: () => {
			if (!answered) {
				answered = true;
				ledger.confirm();
				ledger.persist();
			}
			return { message: ACCEPTED_MESSAGE };
		},
	});
	const res = ctx.getResponseObject() as unknown as WebhookResponseLike;
	res.once?.('finish', () => {
		if (!answered && (res.statusCode ?? 200) >= 400) ledger.release();
	});
	return response;
}

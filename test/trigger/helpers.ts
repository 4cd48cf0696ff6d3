/**
 * Test-side signing, written independently of the trigger's verifier: Makini's
 * documented signature is base64(HMAC-SHA256(secret, message)).
 */
import { createHmac, randomBytes } from 'node:crypto';

import { MakiniTrigger } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { WebhookHarness, type WebhookHarnessOptions } from '../harness/webhook';

export const SECRET = `whsec_${randomBytes(16).toString('hex')}`;
export const PREVIOUS_SECRET = `whsec_old_${randomBytes(16).toString('hex')}`;

export function sign(secret: string, body: string | Buffer, encoding: 'base64' | 'hex' = 'base64'): string {
	return createHmac('sha256', secret).update(body).digest(encoding);
}

export function credentials(extra: Record<string, string> = {}) {
	return { makiniWebhookSecretApi: { secret: SECRET, previousSecret: '', signatureHeader: 'X-Webhook-Signature', ...extra } };
}

/** A harness around the Makini Trigger with the given parameters (events default: all). */
export function triggerHarness(
	parameters: WebhookHarnessOptions['parameters'] = {},
	options: Partial<WebhookHarnessOptions> & { nodeType?: MakiniTrigger } = {},
) {
	const { nodeType, ...rest } = options;
	return new WebhookHarness(nodeType ?? new MakiniTrigger(), {
		credentials: credentials(),
		...rest,
		parameters: { events: ['*'], ...parameters },
	});
}

/** A signed delivery of `payload` (compact JSON, as Makini sends it). */
export function signed(payload: unknown, headers: Record<string, string> = {}, secret = SECRET) {
	const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
	return { body, headers: { 'X-Webhook-Signature': sign(secret, body), ...headers } };
}

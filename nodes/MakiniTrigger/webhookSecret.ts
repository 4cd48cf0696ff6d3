/**
 * The webhook secret's credential test. Makini has no endpoint to check a webhook
 * secret against, so nothing is sent anywhere: the test checks what can be checked
 * locally (a secret is set, the header name is a valid HTTP header name) and says
 * plainly that only a real delivery from Makini proves the secret matches Makini's.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

export const DEFAULT_SIGNATURE_HEADER = 'X-Webhook-Signature';

/** RFC 9110 token characters: what an HTTP header name may consist of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SHORT_SECRET = 16;

export interface WebhookSecretCredentials {
	secret?: string;
	previousSecret?: string;
	signatureHeader?: string;
}

/** The header the signature is read from: the credential's, or Makini's documented one. */
export function signatureHeaderOf(credentials: WebhookSecretCredentials): string {
	const configured = typeof credentials.signatureHeader === 'string' ? credentials.signatureHeader.trim() : '';
	return configured || DEFAULT_SIGNATURE_HEADER;
}

export function checkWebhookSecret(credentials: WebhookSecretCredentials): INodeCredentialTestResult {
	const secret = typeof credentials.secret === 'string' ? credentials.secret : '';
	if (secret === '') return { status: 'Error', message: 'The secret is empty: copy the webhook secret from the Makini dashboard' };
	const header = signatureHeaderOf(credentials);
	if (!HEADER_NAME.test(header)) {
		return { status: 'Error', message: `"${header}" is not a valid HTTP header name` };
	}
	const notes = [
		`Secret set; signatures are read from the ${header} header.`,
		secret.length < SHORT_SECRET ? `The secret is short (under ${SHORT_SECRET} characters): a longer one is harder to guess.` : '',
		credentials.previousSecret === secret ? 'The previous secret equals the secret: clear it.' : '',
		'Makini has no endpoint to test a webhook secret against: send a test delivery from Makini to confirm it matches.',
	];
	return { status: 'OK', message: notes.filter(Boolean).join(' ') };
}

export async function makiniWebhookSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return checkWebhookSecret((credential.data ?? {}) as WebhookSecretCredentials);
}

/**
 * How long a webhook secret read from its credential is reused. Reading a credential in
 * n8n's webhook phase costs far more than the delivery (n8n 2.x builds an expression
 * isolate to resolve it: tens of ms of CPU), so it is read once and kept in process
 * memory. A secret removed or replaced in n8n still verifies deliveries in a process
 * that read it for at most this long; a new secret is picked up at once, because a
 * delivery the kept secret refuses makes the credential be read again.
 */
export const SECRET_TTL_MS = 30_000;
/** Re-reads after a refusal, at most one per this long per node: forged deliveries cannot force a read each. */
export const REREAD_INTERVAL_MS = 1_000;
/** Nodes kept at most (the oldest goes first): bounded whatever the number of workflows. */
const MAX_ENTRIES = 1_000;

interface KeptSecret {
	credentials: WebhookSecretCredentials;
	readAt: number;
	rereadAt: number;
}

/** The verdict a kept secret gave; `ok: false` makes the credential be read again (throttled). */
export interface SecretUse<T> {
	credentials: WebhookSecretCredentials;
	result: T;
}

/**
 * Webhook secrets by node (workflow, node and credential: a workflow only ever gets the
 * secret of a credential its own node references, as n8n allows it), in process memory.
 */
export class WebhookSecretCache {
	private readonly kept = new Map<string, KeptSecret>();

	constructor(
		private readonly ttlMs = SECRET_TTL_MS,
		private readonly rereadIntervalMs = REREAD_INTERVAL_MS,
	) {}

	/**
	 * Runs `use` with the node's secret: the kept one while fresh, else one read by `load`.
	 * When the kept secret's result is not ok, the credential is read again (at most once
	 * per re-read interval) and `use` runs once more on what was read.
	 */
	async use<T extends { ok: boolean }>(
		key: string | undefined,
		now: number,
		load: () => Promise<WebhookSecretCredentials>,
		use: (credentials: WebhookSecretCredentials) => T,
	): Promise<SecretUse<T>> {
		if (key === undefined) {
			const credentials = await load();
			return { credentials, result: use(credentials) };
		}
		const kept = this.kept.get(key);
		if (kept && now - kept.readAt >= 0 && now - kept.readAt < this.ttlMs) {
			const result = use(kept.credentials);
			if (result.ok || now - kept.rereadAt < this.rereadIntervalMs) return { credentials: kept.credentials, result };
			kept.rereadAt = now;
		}
		const credentials = await load();
		this.keep(key, credentials, now);
		return { credentials, result: use(credentials) };
	}

	/** Forgets every kept secret (tests; a deactivated workflow's entry simply expires). */
	clear(): void {
		this.kept.clear();
	}

	get size(): number {
		return this.kept.size;
	}

	private keep(key: string, credentials: WebhookSecretCredentials, now: number): void {
		this.kept.delete(key);
		if (this.kept.size >= MAX_ENTRIES) {
			const oldest = this.kept.keys().next();
			if (!oldest.done) this.kept.delete(oldest.value);
		}
		this.kept.set(key, { credentials: { ...credentials }, readAt: now, rereadAt: now });
	}
}

/** The cache key of a node's secret: its workflow, the node and the credential it names (undefined: do not keep). */
export function webhookSecretKey(workflowId: string | undefined, nodeId: string, credentialId: string | null | undefined): string | undefined {
	if (!workflowId || !credentialId) return undefined;
	return `${workflowId}\u0000${nodeId}\u0000${credentialId}`;
}

/** The one cache of this n8n process. */
export const webhookSecrets = new WebhookSecretCache();

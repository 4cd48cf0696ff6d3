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

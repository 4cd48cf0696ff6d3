/**
 * End-to-end helpers: a real n8n with this package installed as a community package,
 * an owner account, a public-API key, Makini credentials, workflows and executions.
 *
 *   const { n8n, client } = await startN8nWithOwner();
 *   const credential = await createMakiniCredentials(client, sandbox);
 *   …
 *   await n8n.stop();
 */
import { N8nClient, newOwner, type Owner } from './client';
import { startN8n, type N8nProcess, type StartN8nOptions } from './process';
import type { CredentialRef } from './workflows';

export * from './client';
export * from './deliveries';
export * from './executions';
export * from './polling';
export * from './process';
export * from './queue';
export * from './workflows';

export interface N8nSession {
	n8n: N8nProcess;
	client: N8nClient;
	owner: Owner;
}

/** Starts n8n, creates the owner (logged in) and a public-API key. */
export async function startN8nWithOwner(options: StartN8nOptions = {}): Promise<N8nSession> {
	const n8n = await startN8n(options);
	try {
		const client = new N8nClient(n8n.url);
		const owner = newOwner();
		await client.setupOwner(owner);
		await client.login(owner.email, owner.password);
		await client.createApiKey();
		return { n8n, client, owner };
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}

/** What the sandbox (or a stub) hands out for the three Makini credentials. */
export interface MakiniEndpoint {
	url: string;
	apiToken: string;
	systemClientId?: string;
	systemClientSecret?: string;
	webhookSecret?: string;
}

export interface MakiniCredentials {
	api: CredentialRef;
	system?: CredentialRef;
	webhookSecret?: CredentialRef;
}

/** Names of the three credentials in n8n (the example workflows reference theirs by name). */
export interface MakiniCredentialNames {
	api: string;
	system: string;
	webhookSecret: string;
}

const E2E_CREDENTIAL_NAMES: MakiniCredentialNames = { api: 'Makini (e2e)', system: 'Makini System (e2e)', webhookSecret: 'Makini webhook secret (e2e)' };

/** Creates makiniApi (and, when given, makiniSystemApi and makiniWebhookSecretApi) credentials. */
export async function createMakiniCredentials(
	client: N8nClient,
	endpoint: MakiniEndpoint,
	names: MakiniCredentialNames = E2E_CREDENTIAL_NAMES,
): Promise<MakiniCredentials> {
	// The System API client first: a Makini node added in the editor gets the newest
	// credential it accepts, and most operations want the connection's API token.
	const system =
		endpoint.systemClientId && endpoint.systemClientSecret
			? await client.createCredential(names.system, 'makiniSystemApi', {
					clientId: endpoint.systemClientId,
					clientSecret: endpoint.systemClientSecret,
					baseUrl: endpoint.url,
				})
			: undefined;
	const api = await client.createCredential(names.api, 'makiniApi', { apiToken: endpoint.apiToken, baseUrl: endpoint.url });
	const result: MakiniCredentials = { api };
	if (system) result.system = system;
	if (endpoint.webhookSecret) {
		result.webhookSecret = await client.createCredential(names.webhookSecret, 'makiniWebhookSecretApi', {
			secret: endpoint.webhookSecret,
			signatureHeader: 'X-Webhook-Signature',
		});
	}
	return result;
}

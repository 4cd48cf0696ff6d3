/** What the end-to-end tests check the same way in n8n 1.x and 2.x. */
import { healthOf } from '../../nodes/shared/health';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../sandbox';
import {
	buildPackage,
	connectionStatusWorkflow,
	createMakiniCredentials,
	executionError,
	MANUAL_TRIGGER_NAME,
	nodeOutput,
	startN8nWithOwner,
	type CredentialRef,
	type Execution,
	type MakiniCredentials,
	type N8nClient,
	type N8nMajor,
	type N8nSession,
} from '../../e2e/lib';

export interface E2eContext {
	sandbox: SandboxHandle;
	session: N8nSession;
	credentials: MakiniCredentials;
}

export interface StartE2eOptions {
	sandbox?: SandboxOptions;
	/** n8n's user folder, kept on stop (to restart n8n on it); a fresh one removed on stop otherwise. */
	userFolder?: string;
	/** Extra environment for scripts/n8n-runtime.sh and n8n (e.g. N8N_RUNTIME=oldest). */
	env?: Record<string, string>;
}

/** Builds the package, starts the sandbox and n8n (with owner and API key), creates the credentials. */
export async function startE2e(major: N8nMajor, options: StartE2eOptions = {}): Promise<E2eContext> {
	const started = Date.now();
	buildPackage();
	const sandbox = await startSandbox({ port: 0, ...options.sandbox });
	let session: N8nSession | undefined;
	try {
		session = await startN8nWithOwner({ major, userFolder: options.userFolder, env: options.env });
		process.stdout.write(`e2e: n8n ${major}.x ready in ${session.n8n.startMs} ms (build + sandbox + n8n: ${Date.now() - started} ms)\n`);
		const credentials = await createMakiniCredentials(session.client, sandbox);
		return { sandbox, session, credentials };
	} catch (error) {
		await stopE2e({ sandbox, session });
		throw error;
	}
}

export async function stopE2e(context: Partial<E2eContext> | undefined): Promise<void> {
	await context?.session?.n8n.stop();
	await context?.sandbox?.close();
}

export const STATUS_NODE = 'Connection Status';

/** The connection as the sandbox itself reports it, read directly with the token. */
export async function sandboxConnection(sandbox: SandboxHandle): Promise<Record<string, unknown>> {
	const response = await fetch(`${sandbox.url}/api/integrations/current`, {
		headers: { authorization: `Bearer ${sandbox.apiToken}`, accept: 'application/json' },
	});
	expect(response.status).toBe(200);
	const body = (await response.json()) as { data?: Record<string, unknown> } & Record<string, unknown>;
	return body.data ?? body;
}

/**
 * Runs Connection → Get Status from the manual trigger and checks its one item is the
 * sandbox's connection with the health verdict for its sync status.
 */
export async function expectManualConnectionStatus(
	client: N8nClient,
	sandbox: SandboxHandle,
	credential: CredentialRef,
): Promise<Execution> {
	const workflow = await client.createWorkflow(connectionStatusWorkflow({ kind: 'manual' }, credential));
	const executionId = await client.runManually(workflow, MANUAL_TRIGGER_NAME);
	const execution = await client.waitForExecution(executionId);

	expect(executionError(execution)).toBeUndefined();
	expect(execution.status).toBe('success');
	const expected = await sandboxConnection(sandbox);
	const output = nodeOutput(execution, STATUS_NODE);
	expect(output).toHaveLength(1);
	expect(output[0]).toMatchObject(expected);
	expect(output[0].health).toBe(healthOf(expected.sync_status).health);
	return execution;
}

/** Fails if any of the secrets occurs in `value` (execution data, an answer, a log). */
export function expectNoSecrets(value: unknown, secrets: string[]): void {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	for (const secret of secrets) {
		expect(secret.length).toBeGreaterThan(8);
		if (text.includes(secret)) throw new Error(`A secret (${secret.length} characters, starting ${secret.slice(0, 3)}…) occurs in the checked text`);
	}
}

/** Prints how long a test file took, for the suite's timing table. */
export function reportFileTime(file: string): void {
	const started = Date.now();
	afterAll(() => {
		process.stdout.write(`e2e: ${file} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	});
}

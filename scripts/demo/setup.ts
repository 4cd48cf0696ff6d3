/**
 * The demo's setup inside a running n8n and sandbox (scripts/demo.sh starts both):
 * the owner account (or a login with the one saved in the state file), a public-API key,
 * the three Makini credentials pointing at the sandbox, the example workflows imported
 * and activated, and their webhook URLs registered with the sandbox's webhook sender.
 * Prints the editor URL and login; with --check, proves each example runs (check.ts).
 *
 *   tsx scripts/demo/setup.ts --n8n-url URL --sandbox-info FILE --state FILE [--check]
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import { createMakiniCredentials, N8nClient, N8nHttpError, pollEvery, type MakiniCredentials, type MakiniEndpoint, type Owner, type Workflow } from '../../e2e/lib';
import {
	EXAMPLE_CREDENTIAL_NAMES,
	importExample,
	loadExamples,
	webhookEndpoints,
	type ImportedExample,
} from '../../e2e/lib/examples';
import { SandboxClient } from '../../e2e/lib/sandboxClient';
import { runChecks } from './check';

interface DemoState {
	owner?: Owner;
	/** What the credentials were created for: a different sandbox means new credentials and workflows. */
	sandbox?: { url: string; apiToken: string };
	credentials?: MakiniCredentials;
	workflows?: Record<string, string>;
}

const API_KEY_LABEL = 'makini-demo';

function parseArgs(argv: string[]): { n8nUrl: string; sandboxInfo: string; stateFile: string; check: boolean } {
	const args = new Map<string, string>();
	let check = false;
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--check') check = true;
		else if (argv[i].startsWith('--')) args.set(argv[i].slice(2), argv[++i]);
	}
	const need = (name: string) => {
		const value = args.get(name);
		if (!value) throw new Error(`setup.ts needs --${name}`);
		return value;
	};
	return { n8nUrl: need('n8n-url'), sandboxInfo: need('sandbox-info'), stateFile: need('state'), check };
}

function readState(file: string): DemoState {
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoState) : {};
}

function saveState(file: string, state: DemoState): void {
	writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
}

/** Logs in with the saved owner, or creates one on a fresh n8n. */
async function signIn(client: N8nClient, state: DemoState, stateFile: string): Promise<Owner> {
	if (state.owner) {
		try {
			await client.login(state.owner.email, state.owner.password);
			return state.owner;
		} catch (error) {
			if (error instanceof N8nHttpError && error.status === 401) {
				throw new Error(`The owner saved in ${stateFile} cannot log in to this n8n: remove the demo folder (rm -rf .demo) to start over`);
			}
			throw error;
		}
	}
	const owner: Owner = {
		email: 'demo@example.com',
		password: `Demo-${randomBytes(9).toString('base64url')}1`,
		firstName: 'Makini',
		lastName: 'Demo',
	};
	await client.setupOwner(owner);
	state.owner = owner;
	saveState(stateFile, state);
	await client.login(owner.email, owner.password);
	return owner;
}

/** A fresh public-API key for this run; the previous run's is deleted. */
async function renewApiKey(client: N8nClient): Promise<void> {
	// n8n 2.x answers { items: [...] }, 1.x the list itself.
	const answer = await client.rest<unknown>('GET', '/api-keys');
	const list = Array.isArray(answer) ? answer : (answer as { items?: unknown[] } | undefined)?.items;
	const keys = (Array.isArray(list) ? list : []) as Array<{ id: string; label: string }>;
	for (const key of keys.filter((k) => k.label === API_KEY_LABEL)) await client.rest('DELETE', `/api-keys/${encodeURIComponent(key.id)}`);
	await client.createApiKey(API_KEY_LABEL);
}

async function existingWorkflow(client: N8nClient, id: string | undefined): Promise<Workflow | undefined> {
	if (!id) return undefined;
	try {
		return await client.api<Workflow>('GET', `/workflows/${encodeURIComponent(id)}`);
	} catch (error) {
		if (error instanceof N8nHttpError && error.status === 404) return undefined;
		throw error;
	}
}

async function main(): Promise<void> {
	const { n8nUrl, sandboxInfo, stateFile, check } = parseArgs(process.argv.slice(2));
	const endpoint = JSON.parse(readFileSync(sandboxInfo, 'utf8')) as MakiniEndpoint;
	const client = new N8nClient(n8nUrl);
	const sandbox = new SandboxClient(endpoint);
	const state = readState(stateFile);

	const owner = await signIn(client, state, stateFile);
	await renewApiKey(client);

	const sameSandbox = state.sandbox?.url === endpoint.url && state.sandbox.apiToken === endpoint.apiToken;
	if (!sameSandbox || !state.credentials) {
		// Workflows bound to another sandbox (other port or token) are replaced with the credentials.
		for (const id of Object.values(state.workflows ?? {})) {
			if (await existingWorkflow(client, id)) await client.api('DELETE', `/workflows/${encodeURIComponent(id)}`);
		}
		for (const credential of Object.values(state.credentials ?? {})) {
			await client.api('DELETE', `/credentials/${encodeURIComponent(credential.id)}`).catch(() => undefined);
		}
		state.credentials = await createMakiniCredentials(client, endpoint, EXAMPLE_CREDENTIAL_NAMES);
		state.sandbox = { url: endpoint.url, apiToken: endpoint.apiToken };
		state.workflows = {};
		saveState(stateFile, state);
	}

	const imported: ImportedExample[] = [];
	for (const example of loadExamples()) {
		const existing = await existingWorkflow(client, state.workflows?.[example.file]);
		if (existing) {
			imported.push({ file: example.file, workflow: existing, active: existing.active, webhooks: webhookEndpoints(n8nUrl, existing.nodes) });
			continue;
		}
		// --check polls every 5 seconds so that it proves the polling examples in seconds.
		const result = await importExample(client, example, {
			credentials: state.credentials,
			sandboxUrl: endpoint.url,
			pollTimes: check ? pollEvery(5) : undefined,
		});
		imported.push(result);
		state.workflows = { ...state.workflows, [example.file]: result.workflow.id };
		saveState(stateFile, state);
	}
	// The sandbox keeps no state across restarts: it is told the webhook URLs on every start.
	await sandbox.registerExampleWebhooks(imported.filter((example) => example.active));

	if (check) {
		const ok = await runChecks(client, sandbox, imported, state.credentials.api);
		process.exit(ok ? 0 : 1);
	}
	const lines = [
		'',
		'Makini demo is running.',
		`  n8n editor:      ${n8nUrl}`,
		`  login:           ${owner.email} / ${owner.password}`,
		`  Makini sandbox:  ${endpoint.url}  (control API ${endpoint.url}/__sandbox, alerts ${endpoint.url}/__sandbox/alerts)`,
		'  Example workflows:',
		...imported.map((example) => `    ${example.active ? 'active  ' : 'inactive'}  ${example.workflow.name}  ${n8nUrl}/workflow/${example.workflow.id}`),
		'  Credentials: Makini API, Makini System API, Makini Webhook Secret (pointing at the sandbox)',
		'',
		'  Try it: put a work order with parts on Waiting on Material, as a planner would in the CMMS:',
		`    ${await tryItCommand(sandbox, endpoint)}`,
		'  then open the first workflow\'s executions: a PO is created in the ERP and its number written back.',
		'',
		'Press Ctrl-C to stop n8n and the sandbox.',
	];
	console.log(lines.join('\n'));
}

/** A curl that sends one seeded work order down the "needs parts" path. */
async function tryItCommand(sandbox: SandboxClient, endpoint: MakiniEndpoint): Promise<string> {
	const [workOrder] = await sandbox.workOrdersWithParts(1);
	const statusKey = await sandbox.statusKey('eam', 'work-orders', 'Waiting on Material');
	const body = JSON.stringify({ records: [{ key: workOrder.key, statusKey }] });
	return `curl -s -X POST ${endpoint.url}/__sandbox/records/work-orders -H 'content-type: application/json' -d '${body}'   # ${String(workOrder.code)}`;
}

main().catch((error: unknown) => {
	console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});

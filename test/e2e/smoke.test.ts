/**
 * End-to-end smoke test: a real n8n 2.x (Node 24) with this package installed the
 * way n8n installs a community package from the registry, driven through n8n's own
 * REST and public APIs, with the Makini node calling the sandbox over loopback.
 */
import {
	connectionStatusWorkflow,
	MAKINI_NODE_TYPE,
	MAKINI_TRIGGER_TYPE,
	nodeOutput,
} from '../../e2e/lib';
import { expectManualConnectionStatus, sandboxConnection, startE2e, stopE2e, STATUS_NODE, type E2eContext } from './helpers';

describe('n8n 2.x with n8n-nodes-makini installed as a community package', () => {
	let context: E2eContext;

	beforeAll(async () => {
		context = await startE2e(2);
	});

	afterAll(async () => {
		await stopE2e(context);
	});

	test('n8n offers both nodes under the package name, as for a registry install', async () => {
		const names = await context.session.client.nodeTypeNames();
		expect(names).toEqual(expect.arrayContaining([MAKINI_NODE_TYPE, MAKINI_TRIGGER_TYPE]));
		expect(names.filter((name) => name.startsWith('CUSTOM.'))).toEqual([]);
	});

	test('n8n stored the three Makini credentials', () => {
		const { credentials } = context;
		expect(credentials.api.id).toEqual(expect.any(String));
		expect(credentials.system?.id).toEqual(expect.any(String));
		expect(credentials.webhookSecret?.id).toEqual(expect.any(String));
	});

	test('Connection → Get Status runs from the manual trigger against the sandbox', async () => {
		const { sandbox, session, credentials } = context;
		sandbox.admin.setSyncStatus({ syncStatus: 'done' });
		const execution = await expectManualConnectionStatus(session.client, sandbox, credentials.api);
		expect(nodeOutput(execution, STATUS_NODE)[0].health).toBe('healthy');
	});

	test('the same workflow answers a production webhook, and its execution is listed with data', async () => {
		const { sandbox, session, credentials } = context;
		sandbox.admin.setSyncStatus({ syncStatus: 'error' });
		const { client } = session;
		const path = `makini-status-${Date.now()}`;
		const workflow = await client.createWorkflow(connectionStatusWorkflow({ kind: 'webhook', path }, credentials.api));
		const active = await client.activateWorkflow(workflow.id);
		expect(active.active).toBe(true);

		const answer = await client.callWebhook(path);
		expect(answer.status).toBe(200);
		const expected = await sandboxConnection(sandbox);
		expect(answer.body).toMatchObject({ ...expected, health: 'sync_failed' });

		const executions = await client.waitForExecutions(workflow.id);
		expect(executions).toHaveLength(1);
		const [execution] = executions;
		expect(execution.mode).toBe('webhook');
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, STATUS_NODE)).toEqual([answer.body]);

		await client.deactivateWorkflow(workflow.id);
	});
});

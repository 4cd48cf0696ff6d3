/**
 * The package also loads and runs in the newest n8n 1.x, which runs on Node 20: all six
 * node types are offered under the package name, and each node runs once inside it
 * against the sandbox: Connection → Get Status (manual run), the Makini Trigger on one
 * signed delivery (active workflow), the Record Changes and Connection Health Triggers on
 * n8n's own poll schedule. Installs that runtime on first use (cached after).
 */
import {
	chain,
	entityPayload,
	lastExecutionId,
	MAKINI_CONNECTION_HEALTH_TRIGGER_TYPE,
	MAKINI_NODE_TYPES,
	MAKINI_RECORD_CHANGES_TRIGGER_TYPE,
	makiniTriggerNode,
	makiniTriggerPath,
	nodeOutput,
	pollEvery,
	pollingTriggerNode,
	runRuntimeScript,
	sendDelivery,
	settledExecutions,
	signedDelivery,
	type Workflow,
} from '../../e2e/lib';
import { expectManualConnectionStatus, reportFileTime, startE2e, stopE2e, STATUS_NODE, type E2eContext } from './helpers';

reportFileTime('v1.test.ts');

const POLL_SECONDS = 2;
const QUIET_MS = 3 * POLL_SECONDS * 1000;

describe('n8n 1.x with n8n-nodes-makini installed as a community package', () => {
	let context: E2eContext;

	beforeAll(async () => {
		runRuntimeScript(['install'], 1);
		context = await startE2e(1, { sandbox: { workOrders: 100, autoWebhooks: false } });
	});

	afterAll(async () => {
		await stopE2e(context);
	});

	const client = () => context.session.client;

	async function activate(workflow: Workflow): Promise<void> {
		expect((await client().activateWorkflow(workflow.id)).active).toBe(true);
	}

	test('n8n 1.x offers all six node types under the package name', async () => {
		const names = await client().nodeTypeNames();
		expect(names).toEqual(expect.arrayContaining(MAKINI_NODE_TYPES));
		expect(names.filter((name) => name.startsWith('CUSTOM.'))).toEqual([]);
	});

	test('Makini: Connection → Get Status runs from the manual trigger', async () => {
		const { sandbox, credentials } = context;
		sandbox.admin.setSyncStatus({ syncStatus: 'inprogress' });
		const execution = await expectManualConnectionStatus(client(), sandbox, credentials.api);
		expect(nodeOutput(execution, STATUS_NODE)[0].health).toBe('syncing');
		sandbox.admin.setSyncStatus({ syncStatus: 'done' });
	});

	test('Makini Trigger: one signed delivery gives one execution with its keys; its copy none', async () => {
		const trigger = makiniTriggerNode('Makini Trigger', { events: ['work-orders.updated'] }, context.credentials.webhookSecret!);
		const workflow = await client().createWorkflow(chain('Makini Trigger (1.x)', [trigger]));
		await activate(workflow);
		const keys = context.sandbox.admin
			.listRecords({ collection: 'work-orders' })
			.slice(0, 2)
			.map((r) => String(r.key));
		const delivery = signedDelivery(entityPayload('work-orders.updated', keys), { secret: context.sandbox.webhookSecret });
		const path = makiniTriggerPath(trigger);
		expect(await sendDelivery(client(), path, delivery)).toEqual({ status: 200, body: { message: 'Workflow was started' } });
		expect(await sendDelivery(client(), path, delivery)).toEqual({ status: 200, body: { received: true, ignored: 'duplicate delivery' } });
		const forged = signedDelivery(entityPayload('work-orders.updated', keys), { secret: 'not-the-secret-at-all' });
		expect((await sendDelivery(client(), path, forged)).status).toBe(401);

		const executions = await settledExecutions(client(), workflow.id, { count: 1, quietMs: 3000 });
		expect(executions).toHaveLength(1);
		expect(executions[0].mode).toBe('webhook');
		expect(nodeOutput(executions[0], 'Makini Trigger')).toEqual([
			expect.objectContaining({ event: 'work-orders.updated', keys, deliveryId: delivery.deliveryId }),
		]);
		await client().deactivateWorkflow(workflow.id);
	});

	test('Makini Record Changes Trigger: a record changed in the sandbox fires one execution on n8n’s poll schedule', async () => {
		const workflow = await client().createWorkflow(
			chain('Work order changes (1.x)', [
				pollingTriggerNode(
					'Makini Record Changes Trigger',
					MAKINI_RECORD_CHANGES_TRIGGER_TYPE,
					{ system: 'eam', resource: 'workOrder', changes: 'newOrUpdated', options: {} },
					{ makiniApi: context.credentials.api },
					pollEvery(POLL_SECONDS),
				),
			]),
		);
		await activate(workflow);
		// Let the activation poll set the cursor, then change one record.
		await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 1000 + 500));
		const afterId = await lastExecutionId(client(), workflow.id);
		const record = context.sandbox.admin.listRecords({ collection: 'work-orders' })[5];
		context.sandbox.admin.upsertRecords({ collection: 'work-orders', records: [{ key: record.key, title: 'Changed for n8n 1.x' }] });

		const executions = await settledExecutions(client(), workflow.id, { count: 1, afterId, quietMs: QUIET_MS, timeoutMs: 30_000 });
		expect(executions).toHaveLength(1);
		expect(executions[0].mode).toBe('trigger');
		expect(nodeOutput(executions[0], 'Makini Record Changes Trigger')).toEqual([
			expect.objectContaining({ key: record.key, title: 'Changed for n8n 1.x', makiniChange: 'updated' }),
		]);
		await client().deactivateWorkflow(workflow.id);
	});

	test('Makini Connection Health Trigger: a sync failure fires one alert execution on n8n’s poll schedule', async () => {
		context.sandbox.admin.setSyncStatus({ syncStatus: 'done' });
		const workflow = await client().createWorkflow(
			chain('Connection health (1.x)', [
				pollingTriggerNode(
					'Makini Connection Health Trigger',
					MAKINI_CONNECTION_HEALTH_TRIGGER_TYPE,
					{ authentication: 'apiToken', overdueHours: 0, options: {} },
					{ makiniApi: context.credentials.api },
					pollEvery(POLL_SECONDS),
				),
			]),
		);
		await activate(workflow);
		await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 1000 + 500));
		const afterId = await lastExecutionId(client(), workflow.id);
		context.sandbox.admin.setSyncStatus({ syncStatus: 'error' });

		const executions = await settledExecutions(client(), workflow.id, { count: 1, afterId, quietMs: QUIET_MS, timeoutMs: 30_000 });
		expect(executions).toHaveLength(1);
		expect(nodeOutput(executions[0], 'Makini Connection Health Trigger')).toEqual([
			expect.objectContaining({ kind: 'sync_failed', previousState: 'healthy', currentState: 'sync_failed' }),
		]);
		await client().deactivateWorkflow(workflow.id);
		context.sandbox.admin.setSyncStatus({ syncStatus: 'done' });
	});
});

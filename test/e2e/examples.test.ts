/**
 * The example workflows of examples/ inside a real n8n 2.x, imported and activated by the
 * same code as the demo (e2e/lib/examples.ts), driven through the sandbox as the
 * connected systems would drive them, and checked both through n8n's API (executions
 * with their data) and in the sandbox's records.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox, type SandboxHandle } from '../../sandbox';
import {
	buildPackage,
	createMakiniCredentials,
	executionError,
	lastExecutionId,
	nodeOutput,
	pollEvery,
	runRuntimeScript,
	settledExecutions,
	startN8nWithOwner,
	type Execution,
	type MakiniCredentials,
	type N8nSession,
} from '../../e2e/lib';
import {
	EXAMPLE_CREDENTIAL_NAMES,
	EXAMPLE_SANDBOX_URL,
	EXAMPLES_DIR,
	importExample,
	loadExample,
	loadExamples,
	PO_NUMBER_FIELD,
	purchaseOrderOutcome,
	purchaseOrderProblems,
	sendWorkOrderForParts,
	type ImportedExample,
} from '../../e2e/lib/examples';
import { SandboxClient } from '../../e2e/lib/sandboxClient';
import { waitFor } from '../../e2e/lib/wait';
import { runChecks } from '../../scripts/demo/check';

const PARTS = '01-work-order-needs-parts-purchase-order.json';
const APPROVED = '02-purchase-order-approved-work-order-status.json';
const ALERT = '03-connection-health-alert.json';
const POLLING = '04-polling-fallback-work-orders.json';
/** Across connections (System API): overdue work orders per production customer, and health of all connections. */
const MULTI = ['05-overdue-work-orders-per-customer.json', '06-sync-failure-alert-all-connections.json'];
const POLL_SECONDS = 3;
const HEALTH_POLL = 'GET /api/integrations/current';
const WORK_ORDERS_POLL = 'GET /api/eam/work-orders';

const ran = (execution: Execution, node: string) => Boolean(execution.data?.resultData?.runData?.[node]);

describe('the example workflows in n8n 2.x against the sandbox', () => {
	let sandbox: SandboxHandle;
	let session: N8nSession;
	let credentials: MakiniCredentials;
	let sb: SandboxClient;
	const imported: ImportedExample[] = [];
	let orderedWorkOrder: Record<string, unknown> | undefined;

	const importAndActivate = async (file: string, fastPolls = false) => {
		const example = await importExample(session.client, loadExample(file), {
			credentials,
			sandboxUrl: sandbox.url,
			pollTimes: fastPolls ? pollEvery(POLL_SECONDS) : undefined,
		});
		expect(example.active).toBe(true);
		await sb.registerExampleWebhooks([example]);
		imported.push(example);
		return example;
	};

	beforeAll(async () => {
		buildPackage();
		sandbox = await startSandbox({ port: 0 });
		sb = new SandboxClient(sandbox);
		session = await startN8nWithOwner({ major: 2 });
		credentials = await createMakiniCredentials(session.client, sandbox, EXAMPLE_CREDENTIAL_NAMES);
	});

	afterAll(async () => {
		await session?.n8n.stop();
		await sandbox?.close();
	});

	test('each example file is a workflow any n8n imports: package node types, core nodes only, no Code node, credentials by name, a sticky note', () => {
		const examples = loadExamples();
		expect(examples.map((e) => e.file)).toEqual([PARTS, APPROVED, ALERT, POLLING, ...MULTI]);
		for (const { file, workflow } of examples) {
			const types = workflow.nodes.map((n) => n.type);
			expect({ file, foreign: types.filter((t) => !/^n8n-nodes-(makini|base)\./.test(t)) }).toEqual({ file, foreign: [] });
			expect({ file, code: types.filter((t) => /\.(code|function|functionItem)$/.test(t)) }).toEqual({ file, code: [] });
			expect(types).toContain('n8n-nodes-base.stickyNote');
			for (const node of workflow.nodes) {
				for (const [type, ref] of Object.entries(node.credentials ?? {})) {
					expect({ file, node: node.name, type, ref }).toEqual({ file, node: node.name, type, ref: { id: '', name: expect.stringMatching(/^Makini (API|System API|Webhook Secret)$/) } });
				}
			}
			// Only the alert workflows reach the sandbox directly; the rest go through the credentials.
			const raw = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
			expect({ file, sandboxUrl: raw.includes(EXAMPLE_SANDBOX_URL) }).toEqual({ file, sandboxUrl: file === ALERT || MULTI.includes(file) });
		}
	});

	test('work order set to Waiting on Material → one PO in the ERP with its parts as lines, and the PO number on the work order', async () => {
		const example = await importAndActivate(PARTS);
		const [workOrder] = await sb.workOrdersWithParts(1);
		const after = await lastExecutionId(session.client, example.workflow.id);

		const outcome = await sendWorkOrderForParts(sb, workOrder);
		expect(purchaseOrderProblems(outcome)).toEqual([]);
		const [po] = outcome.purchaseOrders;
		expect(po).toMatchObject({ orderNo: `PO-${String(workOrder.code)}`, siteKey: workOrder.siteKey, vendorKey: expect.any(String), workOrderKey: workOrder.key });
		expect(outcome.workOrder[PO_NUMBER_FIELD]).toBe(po.orderNo);
		orderedWorkOrder = outcome.workOrder;

		// The planner's change, then the write-back's own work-orders.updated, which stops at the If.
		// Makini stamps whole seconds: a write-back inside the planner's second has the same
		// updatedAt and bytes, so Resolve Records reports the two as one change (the current record).
		const executions = await settledExecutions(session.client, example.workflow.id, { count: 1, afterId: after, quietMs: 4000 });
		expect(executions.length === 1 || executions.length === 2).toBe(true);
		expect(executions.map((e) => [e.mode, e.status, executionError(e)])).toEqual(executions.map(() => ['webhook', 'success', undefined]));
		const [ordered, writeBack = ordered] = executions;
		expect(nodeOutput(ordered, 'Work order changed')).toEqual([expect.objectContaining({ event: 'work-orders.updated', key: workOrder.key })]);
		expect(nodeOutput(ordered, 'Create purchase order in the ERP')).toEqual([expect.objectContaining({ key: po.key, orderNo: po.orderNo })]);
		expect(nodeOutput(ordered, 'Write PO number to the work order')).toEqual([expect.objectContaining({ key: workOrder.key, [PO_NUMBER_FIELD]: po.orderNo })]);
		if (writeBack !== ordered) {
			expect(nodeOutput(writeBack, 'Waiting on material, no PO yet')).toEqual([]);
			expect(ran(writeBack, 'Create purchase order in the ERP')).toBe(false);
		}
	});

	test('PO approved in the ERP → its work order moves to Waiting to be Scheduled; a PO raised elsewhere changes no work order', async () => {
		expect(orderedWorkOrder).toBeDefined();
		const workOrder = orderedWorkOrder!;
		const example = await importAndActivate(APPROVED);
		const after = await lastExecutionId(session.client, example.workflow.id);
		const [po] = await sb.purchaseOrdersNumbered(String(workOrder[PO_NUMBER_FIELD]));
		const approved = await sb.statusKey('erp', 'purchase-orders', 'Approved');

		await sb.upsert('purchase-orders', { key: po.key, statusKey: approved });
		const scheduled = await waitFor('work order Waiting to be Scheduled', 30_000, async () => {
			const current = await sb.workOrder(String(workOrder.key));
			return current.status === 'Waiting to be Scheduled' ? current : undefined;
		});
		expect(scheduled.statusKey).toBe(await sb.statusKey('eam', 'work-orders', 'Waiting to be Scheduled'));
		const [execution] = await settledExecutions(session.client, example.workflow.id, { count: 1, afterId: after });
		expect(executionError(execution)).toBeUndefined();
		expect(nodeOutput(execution, 'Update work order status')).toEqual([expect.objectContaining({ key: workOrder.key, status: 'Waiting to be Scheduled' })]);

		// A seeded PO (no workOrderKey) approved: the execution stops at the If.
		const others = await sb.api<Array<Record<string, unknown>>>(`/erp/purchase-orders?filter[statusKey]=${await sb.statusKey('erp', 'purchase-orders', 'Waiting on Approval')}&per_page=1`);
		const before = await lastExecutionId(session.client, example.workflow.id);
		await sb.upsert('purchase-orders', { key: others[0].key, statusKey: approved });
		const executions = await settledExecutions(session.client, example.workflow.id, { count: 1, afterId: before, quietMs: 3000 });
		expect(executions).toHaveLength(1);
		expect(executions[0].status).toBe('success');
		expect(nodeOutput(executions[0], 'Get purchase order')).toEqual([expect.objectContaining({ key: others[0].key, statusKey: approved })]);
		expect(ran(executions[0], 'Update work order status')).toBe(false);
	});

	test('sync failed → exactly one alert at the sandbox, not repeated while it lasts; reauthorization required → one more', async () => {
		await sb.clearAlerts();
		await sb.setSyncStatus('done');
		const example = await importAndActivate(ALERT, true);
		const after = await lastExecutionId(session.client, example.workflow.id);
		await sb.waitForPolls(HEALTH_POLL, 2);

		await sb.setSyncStatus('error');
		await waitFor('an alert', 30_000, async () => ((await sb.alerts()).length ? true : undefined));
		// Several more polls while the sync stays failed.
		await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 3000));
		const alerts = await sb.alerts();
		expect(alerts).toHaveLength(1);
		expect(alerts[0].body).toMatchObject({ kind: 'sync_failed', text: expect.stringContaining('Makini') });
		const executions = await settledExecutions(session.client, example.workflow.id, { count: 1, afterId: after, quietMs: 0 });
		expect(executions).toHaveLength(1);
		expect(nodeOutput(executions[0], 'Sync failed or reauthorization required')).toEqual([expect.objectContaining({ kind: 'sync_failed' })]);

		await sb.setSyncStatus('fail');
		await waitFor('a second alert', 30_000, async () => ((await sb.alerts()).length === 2 ? true : undefined));
		await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 2000));
		const all = await sb.alerts();
		expect(all.map((a) => a.body.kind)).toEqual(['sync_failed', 'reauthorization_required']);
		await sb.setSyncStatus('done');
		await session.client.deactivateWorkflow(example.workflow.id);
	});

	test('polling fallback: with webhooks down, each work order set to Waiting on Material is picked up once and gets its PO; others are not picked up', async () => {
		// Only the fallback runs: the webhook workflows are switched off and Makini sends nothing.
		for (const example of imported) if (example.active) await session.client.deactivateWorkflow(example.workflow.id);
		await sb.setAutoWebhooks(false);
		try {
			const example = await importAndActivate(POLLING, true);
			const after = await lastExecutionId(session.client, example.workflow.id);
			await sb.waitForPolls(WORK_ORDERS_POLL, 2);
			const exclude = new Set(orderedWorkOrder ? [String(orderedWorkOrder.key)] : []);
			const [first, second, other] = await sb.workOrdersWithParts(3, exclude);
			const waiting = await sb.statusKey('eam', 'work-orders', 'Waiting on Material');
			await sb.upsert('work-orders', { key: first.key, statusKey: waiting });
			await sb.upsert('work-orders', { key: second.key, statusKey: waiting });
			await sb.upsert('work-orders', { key: other.key, statusKey: await sb.statusKey('eam', 'work-orders', 'In Progress') });

			for (const workOrder of [first, second]) {
				expect(purchaseOrderProblems(await purchaseOrderOutcome(sb, workOrder, 60_000))).toEqual([]);
			}
			// A few more polls: the write-backs are changes too, and must not raise a second PO.
			await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 3000));
			const executions = await settledExecutions(session.client, example.workflow.id, { count: 1, afterId: after, quietMs: 0 });
			expect(executions.map((e) => executionError(e))).toEqual(executions.map(() => undefined));
			const picked = executions.flatMap((e) => nodeOutput(e, 'Work orders waiting on material'));
			const withoutPo = (key: unknown) => picked.filter((r) => r.key === key && !r[PO_NUMBER_FIELD]).length;
			expect([withoutPo(first.key), withoutPo(second.key)]).toEqual([1, 1]);
			expect(picked.filter((r) => r.key === other.key)).toEqual([]);
			expect(picked.every((r) => r.status === 'Waiting on Material')).toBe(true);
			for (const workOrder of [first, second]) {
				expect(await sb.purchaseOrdersNumbered(`PO-${String(workOrder.code)}`)).toHaveLength(1);
			}
		} finally {
			await sb.setAutoWebhooks(true);
		}
	});
});

describe('the example workflows in n8n 1.x: the demo\'s --check scenario', () => {
	let sandbox: SandboxHandle;
	let session: N8nSession;

	beforeAll(async () => {
		runRuntimeScript(['install'], 1);
		buildPackage();
		sandbox = await startSandbox({ port: 0 });
		session = await startN8nWithOwner({ major: 1 });
	});

	afterAll(async () => {
		await session?.n8n.stop();
		await sandbox?.close();
	});

	test('each example imports, activates and runs once against the sandbox (PO with its lines, approval, one alert, polling fallback)', async () => {
		const credentials = await createMakiniCredentials(session.client, sandbox, EXAMPLE_CREDENTIAL_NAMES);
		const imported: ImportedExample[] = [];
		for (const example of loadExamples()) {
			imported.push(await importExample(session.client, example, { credentials, sandboxUrl: sandbox.url, pollTimes: pollEvery(5) }));
		}
		expect(imported.map((e) => e.active)).toEqual(imported.map(() => true));
		const sb = new SandboxClient(sandbox);
		await sb.registerExampleWebhooks(imported);
		expect(await runChecks(session.client, sb, imported, credentials.api)).toBe(true);
	});
});

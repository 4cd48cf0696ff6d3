/**
 * A real n8n 2.x (Node 24) with this package installed the way n8n installs a community
 * package from the registry: all six node types are served under the package name and
 * the three credentials are stored. Then the Makini node, run by n8n's engine against the
 * sandbox from a saved workflow's manual trigger (and once from a production webhook):
 * create, get many with a filter and Return All, update status and connection status
 * succeed with what the sandbox holds; 404, 422 and a bad token fail the execution with
 * Makini's code and request ID, and with On Error "Continue" become items of a successful
 * execution. The API token appears in no execution's data and not in n8n's log.
 */
import { readFileSync } from 'node:fs';

import {
	chain,
	connectionStatusWorkflow,
	executionError,
	MAKINI_NODE_TYPES,
	makiniNode,
	MANUAL_TRIGGER_NAME,
	nodeOutput,
	startNode,
	type CredentialRef,
	type Execution,
	type WorkflowNode,
} from '../../e2e/lib';
import { findOperation } from '../../nodes/shared/registry';
import { simplifiedFields } from '../../nodes/shared/registry/simplify';
import { expectManualConnectionStatus, expectNoSecrets, reportFileTime, sandboxConnection, startE2e, stopE2e, STATUS_NODE, type E2eContext } from './helpers';

reportFileTime('node.test.ts');

const BAD_TOKEN = 'mk_live_not-a-real-token-0123456789';

describe('n8n 2.x with n8n-nodes-makini installed as a community package: the Makini node', () => {
	let context: E2eContext;
	let badToken: CredentialRef;
	const executionIds: string[] = [];

	beforeAll(async () => {
		context = await startE2e(2, { sandbox: { workOrders: 1000, autoWebhooks: false } });
		badToken = await context.session.client.createCredential('Makini (bad token)', 'makiniApi', {
			apiToken: BAD_TOKEN,
			baseUrl: context.sandbox.url,
		});
	});

	afterAll(async () => {
		await stopE2e(context);
	});

	afterEach(async () => {
		await context.sandbox.admin.resetScenarios();
	});

	const api = () => ({ type: 'makiniApi' as const, ...context.credentials.api });
	const records = (collection: string) => context.sandbox.admin.listRecords({ collection }) as unknown as Array<Record<string, unknown>>;
	const sorted = (keys: unknown[]) => keys.map(String).sort();

	/** Saves manual trigger → nodes…, runs it as the editor's Execute Workflow does, waits for the end. */
	async function run(name: string, nodes: WorkflowNode[]): Promise<Execution> {
		const { client } = context.session;
		const workflow = await client.createWorkflow(chain(name, [startNode({ kind: 'manual' }), ...nodes]));
		const execution = await client.waitForExecution(await client.runManually(workflow, MANUAL_TRIGGER_NAME));
		executionIds.push(execution.id);
		return execution;
	}

	function nodeError(execution: Execution, name: string): { message: string; description: string } {
		const error = execution.data?.resultData?.runData?.[name]?.[0]?.error;
		return { message: String(error?.message ?? ''), description: String(error?.description ?? '') };
	}

	test('n8n offers all six node types under the package name, as for a registry install, and stored the credentials', async () => {
		const names = await context.session.client.nodeTypeNames();
		expect(names).toEqual(expect.arrayContaining(MAKINI_NODE_TYPES));
		expect(names.filter((name) => name.startsWith('CUSTOM.'))).toEqual([]);
		const { credentials } = context;
		expect([credentials.api.id, credentials.system?.id, credentials.webhookSecret?.id]).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
	});

	test('Create: an EAM work order from fields, then an ERP purchase order from JSON built by expressions on it', async () => {
		const siteKey = String(records('sites')[0].key);
		const vendorKey = String(records('vendors')[0].key);
		const execution = await run('Create', [
			makiniNode(
				'Create Work Order',
				{ system: 'eam', resource: 'workOrder', operation: 'create', title: 'E2E: pump seal leaking', siteKey, customFields: { field: [{ name: 'shift', value: 'night' }] } },
				api(),
			),
			makiniNode(
				'Create Purchase Order',
				{
					system: 'erp',
					resource: 'purchaseOrder',
					operation: 'create',
					bodyMode: 'json',
					jsonBody: `={{ JSON.stringify({ vendorKey: "${vendorKey}", siteKey: $json.siteKey, title: "Parts for " + $json.key, notes: $json.title }) }}`,
				},
				api(),
			),
		]);
		expect(executionError(execution)).toBeUndefined();
		expect(execution.status).toBe('success');

		const [workOrder] = nodeOutput(execution, 'Create Work Order');
		const [purchaseOrder] = nodeOutput(execution, 'Create Purchase Order');
		const storedWo = context.sandbox.admin.getRecord({ collection: 'work-orders', key: String(workOrder.key) });
		const storedPo = context.sandbox.admin.getRecord({ collection: 'purchase-orders', key: String(purchaseOrder.key) });
		expect(storedWo).toMatchObject({ title: 'E2E: pump seal leaking', siteKey, shift: 'night' });
		expect(storedPo).toMatchObject({ vendorKey, siteKey, title: `Parts for ${String(workOrder.key)}`, notes: 'E2E: pump seal leaking' });
		expect(workOrder).toMatchObject({ key: storedWo?.key, title: storedWo?.title });
		expect(purchaseOrder.key).toBe(storedPo?.key);
	});

	test('Create or Get: a second run with the same orderNo returns the first run\'s purchase order, marked found; the sandbox holds one', async () => {
		const createOrGet = makiniNode(
			'Create or Get Purchase Order',
			{
				system: 'erp',
				resource: 'purchaseOrder',
				operation: 'create',
				vendorKey: String(records('vendors')[0].key),
				siteKey: String(records('sites')[0].key),
				additionalFields: { orderNo: 'E2E-PO-COG-1', title: 'Bearings' },
				createOrGet: true,
				createOrGetField: 'orderNo',
			},
			api(),
		);
		const first = await run('Create or Get (1)', [createOrGet]);
		const second = await run('Create or Get (2)', [createOrGet]);
		expect([executionError(first), executionError(second)]).toEqual([undefined, undefined]);
		const [created] = nodeOutput(first, 'Create or Get Purchase Order');
		const [found] = nodeOutput(second, 'Create or Get Purchase Order');
		expect(created._makini).toEqual({ found: false, matchField: 'orderNo', matchValue: 'E2E-PO-COG-1' });
		expect(found._makini).toEqual({ found: true, matchField: 'orderNo', matchValue: 'E2E-PO-COG-1' });
		expect(found.key).toBe(created.key);
		expect(records('purchase-orders').filter((po) => po.orderNo === 'E2E-PO-COG-1')).toHaveLength(1);
	});

	test('Create: an ERP purchase order with two line items from the form lands in the sandbox with both lines, quantities as numbers', async () => {
		const [m1, m2] = records('materials').slice(0, 2).map((m) => String(m.key));
		const execution = await run('Create PO with lines', [
			makiniNode(
				'Create Purchase Order',
				{
					system: 'erp',
					resource: 'purchaseOrder',
					operation: 'create',
					vendorKey: String(records('vendors')[0].key),
					siteKey: String(records('sites')[0].key),
					lineItems: {
						item: [
							{ materialKey: m1, quantity: 2, description: 'Seal kit', additionalFields: { price: 12.5 } },
							{ materialKey: m2, quantity: 5, description: 'Bearing' },
						],
					},
				},
				api(),
			),
		]);
		expect(executionError(execution)).toBeUndefined();
		const [purchaseOrder] = nodeOutput(execution, 'Create Purchase Order');
		const stored = context.sandbox.admin.getRecord({ collection: 'purchase-orders', key: String(purchaseOrder.key) });
		expect(stored?.lineItems).toEqual([
			{ materialKey: m1, quantity: 2, description: 'Seal kit', price: 12.5 },
			{ materialKey: m2, quantity: 5, description: 'Bearing' },
		]);
	});

	test('Get Many: a filter with Return All reads every matching record over several pages; the default reads one page of 50', async () => {
		const all = records('work-orders');
		// The site with the most work orders, so that Return All needs several pages of 200.
		const counts = new Map<string, number>();
		for (const wo of all) counts.set(String(wo.siteKey), (counts.get(String(wo.siteKey)) ?? 0) + 1);
		const [siteKey, count] = [...counts].sort((a, b) => b[1] - a[1])[0];
		expect(count).toBeGreaterThan(200);

		const execution = await run('Get Many', [
			makiniNode(
				'All of one site',
				{ system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: true, filters: { conditions: [{ field: 'siteKey', operator: 'equals', siteValue: { __rl: true, mode: 'id', value: siteKey } }] } },
				api(),
			),
		]);
		expect(executionError(execution)).toBeUndefined();
		const items = nodeOutput(execution, 'All of one site');
		expect(items).toHaveLength(count);
		expect(sorted(items.map((i) => i.key))).toEqual(sorted(all.filter((w) => w.siteKey === siteKey).map((w) => w.key)));
		expect(items.every((i) => i.siteKey === siteKey)).toBe(true);

		const onePage = await run('Get Many (default)', [makiniNode('One page', { system: 'eam', resource: 'workOrder', operation: 'getMany' }, api())]);
		const page = nodeOutput(onePage, 'One page');
		expect(page).toHaveLength(50);
		const known = new Set(all.map((w) => String(w.key)));
		expect(page.every((i) => known.has(String(i.key)))).toBe(true);
		// Simplify is on by default: only the fields it keeps, as n8n's own Simplify switches do.
		const kept = new Set(simplifiedFields(findOperation('eam', 'workOrder', 'getMany')!));
		expect(page.every((i) => Object.keys(i).every((name) => kept.has(name)))).toBe(true);
		expect(Object.keys(all[0]).some((name) => !kept.has(name))).toBe(true);
	});

	test('Update Status: the work order moves to the picked status in the sandbox', async () => {
		const workOrder = records('work-orders')[3];
		const target = records('statuses/work-orders').find((s) => s.key !== workOrder.statusKey)!;
		const execution = await run('Update Status', [
			makiniNode(
				'Update Status',
				{ system: 'eam', resource: 'workOrder', operation: 'updateStatus', key: { __rl: true, mode: 'id', value: String(workOrder.key) }, status: String(target.key) },
				api(),
			),
		]);
		expect(executionError(execution)).toBeUndefined();
		expect(nodeOutput(execution, 'Update Status')).toEqual([expect.objectContaining({ key: workOrder.key, statusKey: target.key })]);
		expect(context.sandbox.admin.getRecord({ collection: 'work-orders', key: String(workOrder.key) })?.statusKey).toBe(target.key);
	});

	test('Connection → Get Status reports the sandbox connection with its health', async () => {
		const { sandbox, session, credentials } = context;
		sandbox.admin.setSyncStatus({ syncStatus: 'error' });
		const execution = await expectManualConnectionStatus(session.client, sandbox, credentials.api);
		executionIds.push(execution.id);
		expect(nodeOutput(execution, STATUS_NODE)[0].health).toBe('sync_failed');
	});

	test('the same Get Status answers a production webhook of an active workflow, and its execution is listed with data', async () => {
		const { sandbox, session, credentials } = context;
		sandbox.admin.setSyncStatus({ syncStatus: 'error' });
		const { client } = session;
		const path = `makini-status-${Date.now()}`;
		const workflow = await client.createWorkflow(connectionStatusWorkflow({ kind: 'webhook', path }, credentials.api));
		expect((await client.activateWorkflow(workflow.id)).active).toBe(true);

		const answer = await client.callWebhook(path);
		expect(answer.status).toBe(200);
		const expected = await sandboxConnection(sandbox);
		expect(answer.body).toMatchObject({ ...expected, health: 'sync_failed' });

		const executions = await client.waitForExecutions(workflow.id);
		expect(executions).toHaveLength(1);
		expect(executions[0].mode).toBe('webhook');
		expect(executions[0].status).toBe('success');
		expect(nodeOutput(executions[0], STATUS_NODE)).toEqual([answer.body]);
		executionIds.push(executions[0].id);
		await client.deactivateWorkflow(workflow.id);
	});

	const getMissing = (credential: { type: 'makiniApi' } & CredentialRef, name = 'Get missing') =>
		makiniNode(name, { system: 'eam', resource: 'workOrder', operation: 'get', key: { __rl: true, mode: 'id', value: 'NOPE-404' } }, credential);
	const createInvalid = (name = 'Create invalid') =>
		makiniNode(name, { system: 'eam', resource: 'workOrder', operation: 'create', additionalFields: { notes: 'no title, no site' } }, api());

	test('404: the execution fails with NOT_FOUND and the request ID', async () => {
		const execution = await run('404', [getMissing(api())]);
		expect(execution.status).toBe('error');
		const { message, description } = nodeError(execution, 'Get missing');
		expect(message).toMatch(/404 NOT_FOUND/);
		expect(description).toMatch(/Request ID: req_\w+/);
		expect(description).toMatch(/Check the key/);
	});

	test('422: the execution fails with VALIDATION_FAILED naming the rejected fields', async () => {
		const execution = await run('422', [createInvalid()]);
		expect(execution.status).toBe('error');
		const { message, description } = nodeError(execution, 'Create invalid');
		expect(message).toMatch(/422 VALIDATION_FAILED/);
		expect(message).toMatch(/siteKey/);
		expect(message).toMatch(/title/);
		expect(description).toMatch(/Request ID: req_\w+/);
	});

	test('401: a bad token fails the execution with AUTHENTICATION_FAILED, what to do, and the request ID', async () => {
		const execution = await run('401', [getMissing({ type: 'makiniApi', ...badToken }, 'Get with bad token')]);
		expect(execution.status).toBe('error');
		const { message, description } = nodeError(execution, 'Get with bad token');
		expect(message).toMatch(/401 AUTHENTICATION_FAILED/);
		expect(description).toMatch(/reauthorization|token is wrong/);
		expect(description).toMatch(/Request ID: req_\w+/);
	});

	test('On Error "Continue": each failure becomes an item with code and request ID, and the execution succeeds', async () => {
		const nodes = [getMissing(api()), createInvalid(), getMissing({ type: 'makiniApi', ...badToken }, 'Get with bad token')];
		for (const node of nodes) node.onError = 'continueRegularOutput';
		const execution = await run('Continue on fail', nodes);
		expect(executionError(execution)).toBeUndefined();
		expect(execution.status).toBe('success');
		const expected: Array<[string, string, string]> = [
			['Get missing', '404', 'NOT_FOUND'],
			['Create invalid', '422', 'VALIDATION_FAILED'],
			['Get with bad token', '401', 'AUTHENTICATION_FAILED'],
		];
		for (const [name, httpCode, makiniCode] of expected) {
			const items = nodeOutput(execution, name);
			expect(items).toHaveLength(1);
			expect(items[0]).toMatchObject({ httpCode, makiniCode, requestId: expect.stringMatching(/^req_\w+/) });
			expect(String(items[0].error)).toContain(makiniCode);
		}
		expect(Object.keys(nodeOutput(execution, 'Create invalid')[0].fields as object).sort()).toEqual(['siteKey', 'title']);
	});

	test('no API token in any execution’s data, nor in n8n’s log', async () => {
		const { client, n8n } = context.session;
		expect(executionIds.length).toBeGreaterThanOrEqual(9);
		const secrets = [context.sandbox.apiToken, BAD_TOKEN, context.sandbox.systemClientSecret];
		for (const id of executionIds) expectNoSecrets(await client.execution(id), secrets);
		expectNoSecrets(readFileSync(n8n.logFile, 'utf8'), secrets);
	});
});

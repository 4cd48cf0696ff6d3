/**
 * `npm start -- --check`: drives each example workflow once through the sandbox and
 * prints one line per example (ok / FAIL, what the sandbox holds, the executions n8n
 * recorded). The demo's imports poll every 5 seconds in this mode.
 */
import { randomUUID } from 'node:crypto';

import {
	connectionStatusWorkflow,
	executionError,
	listExecutions,
	MANUAL_TRIGGER_NAME,
	nodeOutput,
	type CredentialRef,
	type Execution,
	type N8nClient,
	type Workflow,
} from '../../e2e/lib';
import {
	PO_NUMBER_FIELD,
	purchaseOrderProblems,
	sendWorkOrderForParts,
	type ImportedExample,
} from '../../e2e/lib/examples';
import { type SandboxClient } from '../../e2e/lib/sandboxClient';
import { waitFor } from '../../e2e/lib/wait';

const HEALTH_POLL = 'GET /api/integrations/current';
const WORK_ORDERS_POLL = 'GET /api/eam/work-orders';

type Check = (context: { client: N8nClient; sandbox: SandboxClient; example: ImportedExample; shared: Shared }) => Promise<string>;

interface Shared {
	/** The work order the first example ordered parts for (the second approves its PO). */
	ordered?: Record<string, unknown>;
}

/** The workflow's executions after `afterId`, once none is running; failed ones make the check fail. */
async function executionsAfter(client: N8nClient, example: ImportedExample, afterId: number, count = 1): Promise<Execution[]> {
	const executions = await waitFor(`${count} execution(s) of "${example.workflow.name}"`, 30_000, async () => {
		const all = (await listExecutions(client, example.workflow.id)).filter((e) => Number(e.id) > afterId);
		return all.length >= count && all.every((e) => e.finished || e.status === 'success' || e.status === 'error') ? all : undefined;
	});
	const failed = executions.find((e) => e.status !== 'success');
	if (failed) throw new Error(`execution ${failed.id} ended ${failed.status}: ${executionError(failed) ?? 'no error message'}`);
	return executions;
}

async function lastId(client: N8nClient, example: ImportedExample): Promise<number> {
	const executions = await listExecutions(client, example.workflow.id);
	return executions.length ? Number(executions[executions.length - 1].id) : 0;
}

const CHECKS: Record<string, Check> = {
	'01-work-order-needs-parts-purchase-order.json': async ({ client, sandbox, example, shared }) => {
		const after = await lastId(client, example);
		const [workOrder] = await sandbox.workOrdersWithParts(1);
		const outcome = await sendWorkOrderForParts(sandbox, workOrder);
		const problems = purchaseOrderProblems(outcome);
		if (problems.length) throw new Error(problems.join('; '));
		shared.ordered = outcome.workOrder;
		// The planner's change, and the write-back's own change (which stops at the If), unless
		// both fall in one second: then Resolve Records reports them as one change.
		const executions = await executionsAfter(client, example, after, 1).catch(async (error: Error) => {
			const attempts = (await sandbox.webhookLog()).slice(-4).map((a) => JSON.stringify(a).slice(0, 300));
			throw new Error(`${error.message}; the sender's last attempts: ${attempts.join(' | ')}`);
		});
		const lines = (outcome.purchaseOrders[0].lineItems as unknown[]).length;
		return `${String(workOrder.code)} on Waiting on Material → ${String(outcome.workOrder[PO_NUMBER_FIELD])} in the ERP (${lines} line${lines === 1 ? '' : 's'}), number written back; ${executions.length} webhook execution${executions.length === 1 ? '' : 's'} (a second is the write-back, stopped at the If)`;
	},
	'02-purchase-order-approved-work-order-status.json': async ({ client, sandbox, example, shared }) => {
		if (!shared.ordered) throw new Error('needs the PO of the first example');
		const workOrder = shared.ordered;
		const after = await lastId(client, example);
		const [po] = await sandbox.purchaseOrdersNumbered(String(workOrder[PO_NUMBER_FIELD]));
		await sandbox.upsert('purchase-orders', { key: po.key, statusKey: await sandbox.statusKey('erp', 'purchase-orders', 'Approved') });
		await waitFor(`${String(workOrder.code)} Waiting to be Scheduled`, 30_000, async () =>
			(await sandbox.workOrder(String(workOrder.key))).status === 'Waiting to be Scheduled' ? true : undefined,
		);
		const executions = await executionsAfter(client, example, after);
		return `${String(po.orderNo)} approved → ${String(workOrder.code)} Waiting to be Scheduled; ${executions.length} webhook execution${executions.length === 1 ? '' : 's'}`;
	},
	'03-connection-health-alert.json': async ({ client, sandbox, example }) => {
		await sandbox.clearAlerts();
		await sandbox.waitForPolls(HEALTH_POLL, 1);
		const after = await lastId(client, example);
		await sandbox.setSyncStatus('error');
		try {
			const alerts = await waitFor('an alert at /__sandbox/alerts', 30_000, async () => {
				const received = await sandbox.alerts();
				return received.length ? received : undefined;
			});
			const executions = await executionsAfter(client, example, after);
			return `sync failed → ${alerts.length} alert (${String(alerts[0].body.kind)}) posted to /__sandbox/alerts; ${executions.length} execution`;
		} finally {
			await sandbox.setSyncStatus('done');
		}
	},
	'04-polling-fallback-work-orders.json': async ({ client, sandbox, example, shared }) => {
		await sandbox.setAutoWebhooks(false);
		try {
			await sandbox.waitForPolls(WORK_ORDERS_POLL, 1);
			const after = await lastId(client, example);
			const [workOrder] = await sandbox.workOrdersWithParts(1, new Set(shared.ordered ? [String(shared.ordered.key)] : []));
			const outcome = await sendWorkOrderForParts(sandbox, workOrder, 90_000);
			const problems = purchaseOrderProblems(outcome);
			if (problems.length) throw new Error(problems.join('; '));
			const executions = await executionsAfter(client, example, after);
			return `webhooks off, ${String(workOrder.code)} on Waiting on Material → picked up by the poll, ${String(outcome.workOrder[PO_NUMBER_FIELD])} created; ${executions.length} poll execution${executions.length === 1 ? '' : 's'}`;
		} finally {
			await sandbox.setAutoWebhooks(true);
		}
	},
};

/** The sandbox's connections (the second one is tagged production, the third staging). */
async function sandboxConnections(sandbox: SandboxClient): Promise<Array<{ id: string }>> {
	return (await sandbox.admin<{ connections: Array<{ id: string }> }>('GET', '')).connections;
}

const MULTI_CONNECTION_CHECKS: Record<string, Check> = {
	'05-overdue-work-orders-per-customer.json': async ({ client, sandbox, example }) => {
		await sandbox.clearAlerts();
		const execution = await client.waitForExecution(await client.runManually(example.workflow, 'Every morning'), 120_000);
		if (execution.status !== 'success') throw new Error(`execution ${execution.id} ended ${execution.status}: ${executionError(execution) ?? 'no error message'}`);
		const production = new Set(
			nodeOutput(execution, 'Connections')
				.filter((c) => Array.isArray(c.tags) && c.tags.includes('production'))
				.map((c) => String(c.key)),
		);
		// Every work order read was due before the run: the filter reached Makini.
		const startedAt = Date.parse(String(execution.startedAt));
		const notDue = nodeOutput(execution, 'Work orders due before now').filter((w) => !(Date.parse(String(w.dueAt)) < startedAt + 60_000));
		if (notDue.length) throw new Error(`${notDue.length} work orders read as overdue are not due yet (first: ${String(notDue[0].key)} due ${String(notDue[0].dueAt)})`);
		const perCustomer = new Map<string, number>();
		for (const item of nodeOutput(execution, 'Customer of each work order')) perCustomer.set(String(item.connectionId), (perCustomer.get(String(item.connectionId)) ?? 0) + 1);
		const alerts = await waitFor('one summary per customer at /__sandbox/alerts', 30_000, async () => {
			const received = await sandbox.alerts();
			return received.length >= perCustomer.size ? received : undefined;
		});
		const wrong = alerts.filter((a) => !production.has(String(a.body.connectionId)) || Number(a.body.overdue) !== perCustomer.get(String(a.body.connectionId)));
		if (wrong.length || alerts.length !== perCustomer.size || perCustomer.size < 2) {
			throw new Error(`expected one summary for each of ${production.size} production customers, got ${JSON.stringify(alerts.map((a) => a.body))}`);
		}
		return `${nodeOutput(execution, 'Connections').length} connections, ${production.size} tagged production → ${alerts.map((a) => `${String(a.body.customer)}: ${String(a.body.overdue)} overdue`).join('; ')}`;
	},
	'06-sync-failure-alert-all-connections.json': async ({ client, sandbox, example }) => {
		await sandbox.clearAlerts();
		await sandbox.waitForPolls('GET /api/system/connections', 1);
		const after = await lastId(client, example);
		// A connection other than the primary one: the trigger watches all of them.
		const { id } = (await sandboxConnections(sandbox))[2];
		await sandbox.admin('POST', `connections/${id}/sync-status`, { sync_status: 'error' });
		try {
			const alerts = await waitFor('an alert at /__sandbox/alerts', 30_000, async () => {
				const received = await sandbox.alerts();
				return received.length ? received : undefined;
			});
			const executions = await executionsAfter(client, example, after);
			if (alerts.length !== 1 || alerts[0].body.connectionId !== id || alerts[0].body.kind !== 'sync_failed') {
				throw new Error(`expected one sync_failed alert for connection ${id}, got ${JSON.stringify(alerts.map((a) => a.body))}`);
			}
			return `${String(alerts[0].body.connectionName)}'s sync failed → 1 alert (${String(alerts[0].body.kind)}) naming it; ${executions.length} execution`;
		} finally {
			await sandbox.admin('POST', `connections/${id}/sync-status`, { sync_status: 'done' });
		}
	},
};

const CODE_NODE = 'Code';

/**
 * A Code node runs in the demo's n8n (its task runner is up): Connection Status → a Code
 * node that reads the Makini node's item and computes from it, run as the editor's Execute
 * Workflow button does. The workflow is deleted afterwards.
 */
async function codeNodeCheck(client: N8nClient, credential: CredentialRef): Promise<string> {
	const json = connectionStatusWorkflow({ kind: 'manual' }, credential);
	json.name = 'Demo check: a Code node';
	json.nodes.push({
		id: randomUUID(),
		name: CODE_NODE,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [520, 0],
		parameters: { jsCode: "return $input.all().map((item) => ({ json: { fields: Object.keys(item.json).length, product: 6 * 7 } }));" },
	});
	const last = json.nodes[json.nodes.length - 2];
	(json.connections as Record<string, unknown>)[last.name] = { main: [[{ node: CODE_NODE, type: 'main', index: 0 }]] };
	const workflow = await client.api<Workflow>('POST', '/workflows', json);
	try {
		const execution = await client.waitForExecution(await client.runManually(workflow, MANUAL_TRIGGER_NAME), 60_000);
		if (execution.status !== 'success') throw new Error(`execution ${execution.id} ended ${execution.status}: ${executionError(execution) ?? 'no error message'}`);
		const [item] = nodeOutput(execution, CODE_NODE);
		if (item?.product !== 42 || !(Number(item.fields) > 0)) throw new Error(`the Code node output ${JSON.stringify(item)}, not { fields: >0, product: 42 }`);
		return `Connection Status → Code node ran in the task runner (${String(item.fields)} fields read, 6 * 7 = ${String(item.product)})`;
	} finally {
		await client.api('DELETE', `/workflows/${encodeURIComponent(workflow.id)}`).catch(() => undefined);
	}
}

export async function runChecks(client: N8nClient, sandbox: SandboxClient, examples: ImportedExample[], credential: CredentialRef): Promise<boolean> {
	const shared: Shared = {};
	let ok = true;
	for (const example of examples) {
		const check = CHECKS[example.file] ?? MULTI_CONNECTION_CHECKS[example.file];
		const started = Date.now();
		let line: string;
		try {
			if (!check) throw new Error('no check for this example');
			if (!example.active) throw new Error('not active');
			line = `ok    ${example.file}: ${await check({ client, sandbox, example, shared })}`;
		} catch (error) {
			ok = false;
			line = `FAIL  ${example.file}: ${error instanceof Error ? error.message : String(error)}`;
		}
		console.log(`${line} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	}
	const started = Date.now();
	try {
		console.log(`ok    code node: ${await codeNodeCheck(client, credential)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	} catch (error) {
		ok = false;
		console.log(`FAIL  code node: ${error instanceof Error ? error.message : String(error)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	}
	return ok;
}

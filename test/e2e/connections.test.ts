/**
 * A real n8n 2.x: one workflow with the Makini System API credential loops over the
 * client's connections (Connection by expression): each item reaches its own
 * connection's data; over 1,000 items each connection's token is requested once; an
 * expired token is replaced silently; a connection that keeps refusing fails the
 * execution with its name; no connection token (in any encoding) is in n8n's execution
 * data or log.
 */
import { readFileSync } from 'node:fs';

import { chain, executionError, makiniNode, MANUAL_TRIGGER_NAME, nodeOutput, startNode, type Execution, type WorkflowNode } from '../../e2e/lib';
import { redact } from '../../nodes/shared/transport/redact';
import { reportFileTime, startE2e, stopE2e, type E2eContext } from './helpers';

reportFileTime('connections.test.ts');

describe('n8n 2.x: the Makini node on many connections with the System API credential', () => {
	let context: E2eContext;
	const executions: Execution[] = [];

	beforeAll(async () => {
		context = await startE2e(2, { sandbox: { workOrders: 400, autoWebhooks: false } });
	});

	afterAll(async () => {
		await stopE2e(context);
	});

	const system = () => ({ type: 'makiniSystemApi' as const, ...context.credentials.system! });
	const keysOf = (connectionId: string) =>
		new Set(context.sandbox.admin.listRecords({ collection: 'work-orders', connectionId }).map((r) => String(r.key)));

	async function run(name: string, nodes: WorkflowNode[]): Promise<Execution> {
		const { client } = context.session;
		const workflow = await client.createWorkflow(chain(name, [startNode({ kind: 'manual' }), ...nodes]));
		const execution = await client.waitForExecution(await client.runManually(workflow, MANUAL_TRIGGER_NAME), 300_000);
		executions.push(execution);
		return execution;
	}

	const connectionsNode = () =>
		makiniNode('Connections', { system: 'platform', resource: 'connection', operation: 'getMany', returnAll: true }, system());
	const workOrdersNode = (name: string, limit: number) =>
		makiniNode(
			name,
			{ system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: false, limit, connection: { __rl: true, mode: 'id', value: "={{ $('Connections').item.json.key }}" } },
			system(),
		);

	test('1,000 items over 3 connections: each reaches its own connection, one token request per connection', async () => {
		const connections = context.sandbox.connections.slice(0, 3);
		context.sandbox.admin.resetTokenCounts();
		const execution = await run('Makini: every connection, 1,000 reads', [
			connectionsNode(),
			workOrdersNode('Work Orders', 334),
			makiniNode(
				'Each Work Order',
				{ system: 'eam', resource: 'workOrder', operation: 'get', key: '={{ $json.key }}', connection: { __rl: true, mode: 'id', value: "={{ $('Connections').item.json.key }}" } },
				system(),
			),
		]);
		expect(executionError(execution)).toBeUndefined();
		const listed = nodeOutput(execution, 'Work Orders');
		const each = nodeOutput(execution, 'Each Work Order');
		expect(each.length).toBeGreaterThanOrEqual(1000);
		expect(each.map((i) => i.key)).toEqual(listed.map((i) => i.key));
		// Items keep their order: the first 334 are the first connection's, and so on.
		const own = connections.map((c) => keysOf(c.id));
		each.forEach((item, i) => expect(own[Math.min(2, Math.floor(i / 334))].has(String(item.key))).toBe(true));
		const issued = context.sandbox.admin.tokenCounts().issued;
		process.stdout.write(`e2e: token requests per connection over ${each.length} items: ${connections.map((c) => issued[c.id] ?? 0).join(', ')}\n`);
		expect(connections.map((c) => issued[c.id])).toEqual([1, 1, 1]);
	});

	test('an expired token is replaced once; a connection that refuses the new one too fails the execution by name', async () => {
		const [, b, c] = context.sandbox.connections;
		const before = context.sandbox.admin.tokenCounts().issued;
		context.sandbox.admin.expireConnectionTokens();
		const ok = await run('Makini: after the tokens expired', [connectionsNode(), workOrdersNode('Work Orders', 1)]);
		expect(executionError(ok)).toBeUndefined();
		expect(nodeOutput(ok, 'Work Orders').length).toBeGreaterThanOrEqual(3);
		expect(context.sandbox.admin.tokenCounts().issued[b.id]).toBe((before[b.id] ?? 0) + 1);

		context.sandbox.admin.requireReauthorization({ connectionId: c.id });
		const failed = await run('Makini: a connection needs reauthorization', [connectionsNode(), workOrdersNode('Work Orders', 1)]);
		const name = String(nodeOutput(failed, 'Connections').find((x) => x.key === c.id)?.name);
		const error = failed.data?.resultData?.runData?.['Work Orders']?.[0]?.error;
		expect(executionError(failed)).toContain(`"${name}" (${c.id})`);
		expect(String(error?.description)).toMatch(/Reconnect it through Makini Link/);
		await context.sandbox.admin.resetScenarios();
	});

	test('no connection token, refresh token or client secret is in any execution or in n8n’s log', async () => {
		const secrets = [...context.sandbox.admin.issuedTokens(), context.sandbox.systemClientSecret];
		expect(secrets.length).toBeGreaterThan(5);
		const texts = [
			...(await Promise.all(executions.map(async (e) => JSON.stringify(await context.session.client.execution(e.id, true))))),
			readFileSync(context.session.n8n.logFile, 'utf8'),
		];
		let found = 0;
		for (const text of texts) {
			const plain = redact(text);
			for (const secret of secrets) if (text.includes(secret) || redact(text, [secret]) !== plain) found++;
		}
		process.stdout.write(`e2e: secrets found in ${executions.length} executions and n8n's log: ${found}\n`);
		expect(found).toBe(0);
	});
});

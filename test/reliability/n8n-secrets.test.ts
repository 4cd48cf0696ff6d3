/**
 * Secrets inside a real n8n 2.x: the three credentials hold recognisable values (API
 * token, System API client secret, webhook secret and previous secret); the Makini node
 * runs against the sandbox and succeeds, and fails with 401 (reauthorization), 422
 * (validation), 500 (after its retries) and a failing System API token request (the
 * one carrying the client secret), stopping
 * the workflow or, with On Error "Continue", as items; the trigger gets signed, forged
 * and rotated-secret deliveries. Then n8n's log (debug level), every execution record
 * the public API returns with data, every workflow's JSON, the credential views and the
 * webhook answers are scanned: no secret in any form.
 */
import { executionError, makiniNode, MANUAL_TRIGGER_NAME, startNode, chain, type Execution, type WorkflowNode } from '../../e2e/lib';
import { signedDelivery, entityPayload } from '../../e2e/lib/deliveries';
import { describeFindings, secretValues } from './lib/secrets';
import { activeTriggerWorkflow, startReliabilityN8n, settledExecutions, type ReliabilityN8n } from './n8n/harness';
import { describeScan, scanN8nForSecrets } from './n8n/scan';

describe('n8n 2.x keeps the Makini secrets out of logs, executions, workflows and answers', () => {
	let ctx: ReliabilityN8n;

	beforeAll(async () => {
		ctx = await startReliabilityN8n('secrets');
	});

	afterAll(async () => {
		await ctx?.stop();
	});

	const api = () => ({ type: 'makiniApi' as const, ...ctx.credentials.api });
	const system = () => ({ type: 'makiniSystemApi' as const, ...ctx.credentials.system });
	const getMany = (name: string) => makiniNode(name, { system: 'eam', resource: 'workOrder', operation: 'getMany', limit: 5 }, api());
	const createInvalid = (name: string) =>
		makiniNode(name, { system: 'eam', resource: 'workOrder', operation: 'create', additionalFields: { notes: 'no title, no site' } }, api());
	const listConnections = (name: string) => makiniNode(name, { system: 'platform', resource: 'connection', operation: 'getMany', returnAll: true }, system());

	async function run(name: string, nodes: WorkflowNode[]): Promise<Execution> {
		const { client } = ctx.session;
		const workflow = await client.createWorkflow(chain(`Secrets: ${name}`, [startNode({ kind: 'manual' }), ...nodes]));
		return await client.waitForExecution(await client.runManually(workflow, MANUAL_TRIGGER_NAME), 120_000);
	}

	const outcomes: string[] = [];

	test('successful runs: connection status, work orders, System API connections', async () => {
		const execution = await run('success', [
			makiniNode('Connection Status', { system: 'platform', resource: 'connection', operation: 'getStatus' }, api()),
			getMany('Work Orders'),
			listConnections('Connections'),
		]);
		expect(executionError(execution)).toBeUndefined();
		expect(execution.status).toBe('success');
		outcomes.push('success');
	});

	test('failing runs: 401, 422, 500 after retries, a failing System API token request', async () => {
		const { admin } = ctx.sandbox;
		const cases: Array<{ label: string; arrange: () => unknown; node: WorkflowNode; expect: RegExp }> = [
			{ label: '401', arrange: () => admin.requireReauthorization({ required: true }), node: getMany('Reauthorization'), expect: /401/ },
			{ label: '422', arrange: () => undefined, node: createInvalid('Invalid'), expect: /422/ },
			{ label: '500', arrange: () => admin.injectFailure({ status: 500, times: 50, path: '/api/eam/work-orders' }), node: getMany('Failing'), expect: /500/ },
			{ label: 'token request 503', arrange: () => (admin.expireSystemTokens(), admin.injectFailure({ status: 503, times: 50, path: '/link/token' })), node: listConnections('Token failing'), expect: /503|unavailable/i },
		];
		for (const c of cases) {
			await admin.resetScenarios();
			admin.requireReauthorization({ required: false });
			c.arrange();
			const execution = await run(c.label, [c.node]);
			expect(execution.status).toBe('error');
			expect(executionError(execution)).toMatch(c.expect);
			outcomes.push(`${c.label} failed`);
		}
		await admin.resetScenarios();
		admin.requireReauthorization({ required: false });
	});

	test('On Error "Continue": the failures become items', async () => {
		const { admin } = ctx.sandbox;
		admin.injectFailure({ status: 500, times: 50, path: '/api/eam/work-orders' });
		// n8n keeps the System API token it fetched: expired, it has to fetch a new one.
		admin.expireSystemTokens();
		admin.injectFailure({ status: 503, times: 50, path: '/link/token' });
		const nodes = [createInvalid('Invalid (continue)'), getMany('Failing (continue)'), listConnections('Token failing (continue)')];
		for (const node of nodes) node.onError = 'continueRegularOutput';
		const execution = await run('continue', nodes);
		await admin.resetScenarios();
		expect(execution.status).toBe('success');
		for (const node of nodes) {
			const items = execution.data?.resultData?.runData?.[node.name]?.[0]?.data?.main?.[0] ?? [];
			expect(items.length).toBeGreaterThan(0);
			expect(items[0].json).toHaveProperty('error');
		}
		outcomes.push('continue-on-fail items');
	});

	test('the scan finds no secret anywhere, and finds one planted where it looks', async () => {
		const { client } = ctx.session;
		const { secrets } = ctx;
		// The trigger, too: signed, rotated-secret and forged deliveries.
		const trigger = await activeTriggerWorkflow(client, ctx.session.n8n.url, ctx.credentials.webhookSecret, 'Secrets: trigger');
		const stamp = () => new Date().toISOString();
		const deliveries = [
			signedDelivery(entityPayload('work-orders.updated', ['WO-S1'], stamp()), { secret: secrets.webhookSecret }),
			signedDelivery(entityPayload('assets.updated', ['A-S2'], stamp()), { secret: secrets.previousWebhookSecret }),
			signedDelivery(entityPayload('work-orders.updated', ['WO-S3'], stamp()), { secret: `${secrets.webhookSecret}-forged` }),
			signedDelivery(entityPayload('work-orders.updated', ['WO-S4'], stamp()), { secret: null }),
		];
		const answers: Array<{ status: number; body: string }> = [];
		for (const d of deliveries) {
			const response = await fetch(trigger.url, { method: 'POST', headers: d.headers, body: d.body });
			answers.push({ status: response.status, body: await response.text() });
		}
		expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 401]);
		await settledExecutions(client, trigger.workflow.id, 2);

		const scan = await scanN8nForSecrets(ctx, { answers });
		console.log(`secrets (n8n, node runs): ${outcomes.join(', ')}`);
		console.log(describeScan('secrets (n8n, node runs and trigger)', scan));
		expect(describeFindings(scan.findings)).toBe('');
		// The log scanned is the one n8n and the nodes write to, at debug level.
		const { readFileSync } = await import('node:fs');
		const log = readFileSync(ctx.session.n8n.logFile, 'utf8');
		expect(log).toMatch(/Makini Trigger refused a delivery \(401\)/);
		expect(log).toMatch(/Makini Trigger active/);

		// A scan that cannot find anything proves nothing: a workflow carrying the token is found.
		await client.createWorkflow(chain('Secrets: planted', [{ ...startNode({ kind: 'manual' }), notes: `token ${secrets.apiToken}` } as WorkflowNode]));
		const planted = await scanN8nForSecrets(ctx, { answers });
		expect(planted.findings.length).toBeGreaterThan(0);
		expect(planted.findings.every((f) => f.where.startsWith('workflows'))).toBe(true);
		expect(secretValues(secrets)).toHaveLength(4);
	});
});

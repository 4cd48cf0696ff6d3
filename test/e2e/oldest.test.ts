/**
 * A smoke test on the oldest n8n releases the package supports (README, "Supported n8n
 * versions"): n8n 1.85.3 on Node 20, from e2e/runtime-v1-oldest. The six node types are
 * offered under the package name, one action runs (Connection → Get Status, manual run)
 * and the Makini Trigger runs once on a signed delivery (active workflow). The newest
 * releases get the full suite. e2e/runtime-v2-oldest (n8n 2.0.0 on Node 24) is ready for
 * the same run: add `{ major: 2, version: '2.0.0' }` below once it has passed here.
 * Installs the runtime on first use (cached after).
 */
import {
	chain,
	entityPayload,
	makiniTriggerNode,
	makiniTriggerPath,
	MAKINI_NODE_TYPES,
	nodeOutput,
	runRuntimeScript,
	sendDelivery,
	signedDelivery,
	type N8nMajor,
} from '../../e2e/lib';
import { expectManualConnectionStatus, reportFileTime, startE2e, stopE2e, type E2eContext } from './helpers';

reportFileTime('oldest.test.ts');

const OLDEST = { N8N_RUNTIME: 'oldest' };

describe.each([
	{ major: 1 as N8nMajor, version: '1.85.3' },
])('n8n $version, the oldest supported of its major, with n8n-nodes-makini installed', ({ major, version }) => {
	let context: E2eContext;

	beforeAll(async () => {
		const previous = process.env.N8N_RUNTIME;
		process.env.N8N_RUNTIME = 'oldest';
		try {
			runRuntimeScript(['install'], major);
		} finally {
			if (previous === undefined) delete process.env.N8N_RUNTIME;
			else process.env.N8N_RUNTIME = previous;
		}
		context = await startE2e(major, { sandbox: { workOrders: 20, autoWebhooks: false }, env: OLDEST });
	});

	afterAll(async () => {
		await stopE2e(context);
	});

	const client = () => context.session.client;

	test(`it is n8n ${version} and offers all six node types under the package name`, async () => {
		const settings = await client().rest<{ versionCli?: string }>('GET', '/settings');
		expect(settings.versionCli).toBe(version);
		const names = await client().nodeTypeNames();
		expect(names).toEqual(expect.arrayContaining(MAKINI_NODE_TYPES));
	});

	test('Makini: Connection → Get Status runs from the manual trigger', async () => {
		const execution = await expectManualConnectionStatus(client(), context.sandbox, context.credentials.api);
		expect(nodeOutput(execution, 'Connection Status')).toHaveLength(1);
	});

	test('Makini Trigger: one signed delivery gives one execution with its keys', async () => {
		const trigger = makiniTriggerNode('Makini Trigger', { events: ['work-orders.updated'] }, context.credentials.webhookSecret!);
		const workflow = await client().createWorkflow(chain(`Makini Trigger (${version})`, [trigger]));
		expect((await client().activateWorkflow(workflow.id)).active).toBe(true);
		const keys = context.sandbox.admin
			.listRecords({ collection: 'work-orders' })
			.slice(0, 2)
			.map((r) => String(r.key));
		const delivery = signedDelivery(entityPayload('work-orders.updated', keys), { secret: context.sandbox.webhookSecret });
		expect(await sendDelivery(client(), makiniTriggerPath(trigger), delivery)).toEqual({ status: 200, body: { message: 'Workflow was started' } });

		// Finished by status or, as older n8n reports a webhook execution, by finished + stoppedAt.
		const executions = await client().waitForExecutions(workflow.id, 1, 120_000);
		expect(executions).toHaveLength(1);
		expect(nodeOutput(executions[0], 'Makini Trigger')).toEqual([
			expect.objectContaining({ event: 'work-orders.updated', keys, deliveryId: delivery.deliveryId }),
		]);
		await client().deactivateWorkflow(workflow.id);
	});
});

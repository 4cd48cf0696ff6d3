/**
 * The package also loads and runs in the newest n8n 1.x, which runs on Node 20: both
 * nodes are offered under the package name and Connection → Get Status runs against
 * the sandbox. Installs that runtime on first use (cached after).
 */
import { MAKINI_NODE_TYPE, MAKINI_TRIGGER_TYPE, nodeOutput, runRuntimeScript } from '../../e2e/lib';
import { expectManualConnectionStatus, startE2e, stopE2e, STATUS_NODE, type E2eContext } from './helpers';

describe('n8n 1.x with n8n-nodes-makini installed as a community package', () => {
	let context: E2eContext;

	beforeAll(async () => {
		runRuntimeScript(['install'], 1);
		context = await startE2e(1);
	});

	afterAll(async () => {
		await stopE2e(context);
	});

	test('n8n 1.x offers both nodes under the package name', async () => {
		const names = await context.session.client.nodeTypeNames();
		expect(names).toEqual(expect.arrayContaining([MAKINI_NODE_TYPE, MAKINI_TRIGGER_TYPE]));
	});

	test('Connection → Get Status runs from the manual trigger in n8n 1.x', async () => {
		const { sandbox, session, credentials } = context;
		sandbox.admin.setSyncStatus({ syncStatus: 'inprogress' });
		const execution = await expectManualConnectionStatus(session.client, sandbox, credentials.api);
		expect(nodeOutput(execution, STATUS_NODE)[0].health).toBe('syncing');
	});
});

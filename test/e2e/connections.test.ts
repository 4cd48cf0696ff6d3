/**
 * A real n8n 2.x: one workflow with the Makini System API credential loops over the
 * client's connections (Connection by expression): each item reaches its own
 * connection's data; over 1,000 items each connection's token is requested once; an
 * expired token is replaced silently; a connection that keeps refusing fails the
 * execution with its name; no connection token (in any encoding) is in n8n's execution
 * data or log. The Record Changes Trigger, active with the System API credential and
 * watching the connections tagged production, emits each tagged connection's new records
 * once, naming the connection, and none of the others; a connection that fails is one
 * connectionError item while the other goes on, and its records follow when it recovers.
 * The Makini Link OAuth2 credential end to end against the sandbox's Link emulation: the
 * authorization URL from n8n's REST API, consent, n8n's callback exchanging the code, a
 * run; then the sandbox expires the access token and the next run succeeds after n8n
 * refreshed it (one refresh grant counted).
 */
import { readFileSync } from 'node:fs';

import {
	chain,
	executionError,
	listExecutions,
	makiniNode,
	MAKINI_RECORD_CHANGES_TRIGGER_TYPE,
	MANUAL_TRIGGER_NAME,
	nodeOutput,
	pollEvery,
	pollingTriggerNode,
	startNode,
	type Execution,
	type WorkflowNode,
} from '../../e2e/lib';
import { waitFor } from '../../e2e/lib/wait';
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

	test('Record Changes Trigger active over the connections tagged production: each record once, naming its connection', async () => {
		const { client } = context.session;
		const { admin } = context.sandbox;
		const [a, b, c] = context.sandbox.connections;
		const TRIGGER = 'Work Orders of Production Customers';
		const workflow = await client.createWorkflow(
			chain('Makini: work order changes across connections (e2e)', [
				pollingTriggerNode(
					TRIGGER,
					MAKINI_RECORD_CHANGES_TRIGGER_TYPE,
					{ authentication: 'systemApi', watchConnections: 'tags', connectionTags: 'production', system: 'eam', resource: 'workOrder', changes: 'newOrUpdated', options: {} },
					{ makiniSystemApi: context.credentials.system! },
					pollEvery(2),
				),
			]),
		);
		const insert = (connectionId: string, title: string) =>
			admin.upsertRecords({ collection: 'work-orders', connectionId, records: [{ title: `${title} 1` }, { title: `${title} 2` }] }).map((r) => String(r.key));
		const reads = () => Object.values(context.sandbox.stats.snapshot().requests['GET /api/eam/work-orders'] ?? {}).reduce((x, y) => x + y, 0);
		/** Items the trigger emitted after execution `afterId`, once `done` says they are all there. */
		const emittedUntil = async (afterId: string, what: string, done: (items: Array<Record<string, unknown>>) => boolean) =>
			await waitFor(what, 60_000, async () => {
				const runs = (await listExecutions(client, workflow.id, afterId)).filter((e) => e.status === 'success' || e.status === 'error');
				const items = runs.flatMap((e) => nodeOutput(e, TRIGGER));
				return done(items) ? { runs, items } : undefined;
			}, 500);
		const keysBy = (items: Array<Record<string, unknown>>) => {
			const out: Record<string, string[]> = {};
			for (const item of items) if (item.makiniChange !== 'connectionError') (out[String((item.makiniConnection as { id: string }).id)] ??= []).push(String(item.key));
			for (const keys of Object.values(out)) keys.sort();
			return out;
		};
		try {
			const before = reads();
			expect((await client.activateWorkflow(workflow.id)).active).toBe(true);
			// The first polls set one cursor per tagged connection (a, b) and emit nothing. n8n
			// polls once to test the trigger on activation, then on its schedule: three polls'
			// reads (two connections each) are past the first poll of the schedule.
			await waitFor('the first polls', 60_000, async () => (reads() >= before + 6 ? true : undefined));
			const added = { [a.id]: insert(a.id, 'A').sort(), [b.id]: insert(b.id, 'B').sort(), [c.id]: insert(c.id, 'C').sort() };
			const first = await emittedUntil('0', 'the new records of a and b', (items) => items.length >= 4);
			expect(keysBy(first.items)).toEqual({ [a.id]: added[a.id], [b.id]: added[b.id] });
			executions.push(...first.runs);
			const names = new Map(first.items.map((i) => [String((i.makiniConnection as { id: string }).id), (i.makiniConnection as { name: string }).name]));
			expect(names.get(a.id)).toEqual(expect.any(String));
			expect(names.get(a.id)).not.toBe(names.get(b.id));

			admin.requireReauthorization({ connectionId: b.id });
			const lastId = first.runs.at(-1)!.id;
			const during = { [a.id]: insert(a.id, 'A again').sort(), [b.id]: insert(b.id, 'B during').sort() };
			const second = await emittedUntil(lastId, 'a’s records and b’s connection error', (items) => items.length >= 3);
			executions.push(...second.runs);
			expect(keysBy(second.items)).toEqual({ [a.id]: during[a.id] });
			const errors = second.items.filter((i) => i.makiniChange === 'connectionError');
			expect(errors.map((e) => e.makiniConnection)).toEqual([{ id: b.id, name: names.get(b.id) }]);

			admin.requireReauthorization({ connectionId: b.id, required: false });
			const third = await emittedUntil(second.runs.at(-1)!.id, 'b’s records after it recovered', (items) => items.length >= 2);
			executions.push(...third.runs);
			expect(keysBy(third.items)).toEqual({ [b.id]: during[b.id] });
			process.stdout.write(
				`e2e: record changes across connections: ${first.items.length + second.items.length + third.items.length} items in ${first.runs.length + second.runs.length + third.runs.length} executions, ` +
					`a ${added[a.id].length + during[a.id].length}, b ${added[b.id].length + during[b.id].length} (${during[b.id].length} after its failure), c (staging) 0, connection errors ${errors.length}\n`,
			);
		} finally {
			await client.deactivateWorkflow(workflow.id);
			await admin.resetScenarios();
		}
	});

	test('Makini Link OAuth2: authorize through n8n, run, expire the access token, run again: n8n refreshed it once and the run succeeded', async () => {
		const { client } = context.session;
		const { admin } = context.sandbox;
		const consenting = context.sandbox.connections[1];
		const credential = await client.createCredential('Makini Link (e2e)', 'makiniLinkOAuth2Api', {
			clientId: context.sandbox.systemClientId,
			clientSecret: context.sandbox.systemClientSecret,
			baseUrl: context.sandbox.url,
			linkUrl: context.sandbox.url,
		});
		admin.resetTokenCounts();

		// 1. n8n's REST API gives the URL of Makini Link's consent page.
		const authUrl = new URL(await client.rest<string>('GET', `/oauth2-credential/auth?id=${encodeURIComponent(credential.id)}`));
		expect(`${authUrl.origin}${authUrl.pathname}`).toBe(`${context.sandbox.url}/oauth/authorize`);
		expect(authUrl.searchParams.get('client_id')).toBe(context.sandbox.systemClientId);
		expect(authUrl.searchParams.get('response_type')).toBe('code');
		const redirectUri = String(authUrl.searchParams.get('redirect_uri'));
		expect(redirectUri).toMatch(/\/rest\/oauth2-credential\/callback$/);

		// 2. The customer consents (the sandbox approves at once; connection_id is the sandbox's way to say which connection).
		authUrl.searchParams.set('connection_id', consenting.id);
		const consent = await fetch(authUrl, { redirect: 'manual' });
		expect(consent.status).toBe(302);
		const back = new URL(String(consent.headers.get('location')));
		expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
		expect(back.searchParams.get('code')).toBeTruthy();

		// 3. The browser lands on n8n's callback: n8n exchanges the code at /link/token.
		const callback = await client.restPage(`/oauth2-credential/callback${back.search}`);
		expect(callback.status).toBe(200);
		expect(admin.tokenCounts().authorizationCodes[consenting.id]).toBe(1);

		const ref = { type: 'makiniLinkOAuth2Api' as const, id: credential.id, name: credential.name };
		const run = async (name: string) => {
			const workflow = await client.createWorkflow(
				chain(name, [
					startNode({ kind: 'manual' }),
					makiniNode('Work Orders', { authentication: 'linkOAuth2', system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: false, limit: 5 }, ref),
				]),
			);
			const execution = await client.waitForExecution(await client.runManually(workflow, MANUAL_TRIGGER_NAME), 120_000);
			executions.push(execution);
			return execution;
		};
		const own = new Set(admin.listRecords({ collection: 'work-orders', connectionId: consenting.id }).map((r) => String(r.key)));

		// 4. A workflow reads the consenting connection's work orders with the access token.
		const first = await run('Makini Link: work orders');
		expect(executionError(first)).toBeUndefined();
		const firstItems = nodeOutput(first, 'Work Orders');
		expect(firstItems).toHaveLength(5);
		for (const item of firstItems) expect(own.has(String(item.key))).toBe(true);
		expect(admin.tokenCounts().refreshed[consenting.id] ?? 0).toBe(0);

		// 5. The access token expires (the sandbox's clock for it): the next run gets a 401, n8n refreshes, the run succeeds.
		expect(admin.expireConnectionTokens({ connectionId: consenting.id }).expired).toBeGreaterThanOrEqual(1);
		const second = await run('Makini Link: work orders after the access token expired');
		expect(executionError(second)).toBeUndefined();
		expect(nodeOutput(second, 'Work Orders').map((i) => String(i.key)).every((k) => own.has(k))).toBe(true);
		const counts = admin.tokenCounts();
		process.stdout.write(
			`e2e: Makini Link OAuth2 in n8n 2.x: authorization codes redeemed ${counts.authorizationCodes[consenting.id] ?? 0}, refresh grants ${counts.refreshed[consenting.id] ?? 0}, runs 2 (both succeeded: ${[first, second].every((e) => e.status === 'success')})\n`,
		);
		expect(counts.refreshed[consenting.id]).toBe(1);
		expect(second.status).toBe('success');

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

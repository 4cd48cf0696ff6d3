/**
 * Issue 19's delivery-identity cases inside a real n8n 2.x, over HTTP to an active
 * Makini Trigger: a captured signed delivery re-sent 5 times identically and 200 times
 * under invented delivery IDs (and once without the header), a genuine delivery whose ID
 * was pre-claimed by such a replay, a signed delivery without a Content-Type (runs, or
 * 415 where n8n keeps no body; never 401), and
 * credential headers on a valid delivery. Executions are counted from n8n's own list.
 */
import { createHmac } from 'node:crypto';

import { activeTriggerWorkflow, runPool, settledExecutions, startReliabilityN8n, triggerItems, type ReliabilityN8n, type TriggerWorkflow } from './n8n/harness';
import { figure } from './lib/figures';

const AREA = 'n8n identity';
/** Replays under invented IDs (RELIABILITY_N8N_INVENTED_IDS to change): each is an HTTP request n8n answers after loading the workflow from SQLite. */
const INVENTED = Number(process.env.RELIABILITY_N8N_INVENTED_IDS ?? 100);

describe('n8n 2.x: no unsigned value decides what a delivery is', () => {
	let ctx: ReliabilityN8n;
	let trigger: TriggerWorkflow;

	beforeAll(async () => {
		ctx = await startReliabilityN8n('identity');
		trigger = await activeTriggerWorkflow(ctx.session.client, ctx.session.n8n.url, ctx.credentials.webhookSecret, 'Makini Trigger identity', { events: ['*'] });
	});

	afterAll(async () => {
		await ctx?.stop();
	});

	const sign = (body: string) => createHmac('sha256', ctx.secrets.webhookSecret).update(body).digest('base64');
	const post = async (body: string, headers: Record<string, string>) => {
		const response = await fetch(trigger.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': sign(body), ...headers }, body });
		return { status: response.status, body: await response.text() };
	};

	test('replays under invented IDs execute 0 extra times; a pre-claimed ID does not stop the genuine delivery; no Content-Type is never "invalid signature"; credential headers dropped', async () => {
		const run = Date.now().toString(36);
		const captured = JSON.stringify({ event: 'connection.sync_failed', connection_id: `c-${run}`, timestamp: new Date().toISOString(), body: { error: 'Invalid platform credentials' } });
		const first = await post(captured, { 'X-Makini-Delivery-Id': `dlv_${run}_genuine`, Authorization: 'Bearer leaked-proxy-token', Cookie: 'session=leaked' });
		expect(first.status).toBe(200);

		// 5 identical copies, 200 under invented IDs (the next genuine delivery's among them), 1 without the header.
		const replays = [
			...Array.from({ length: 5 }, () => ({ 'X-Makini-Delivery-Id': `dlv_${run}_genuine` })),
			...Array.from({ length: INVENTED }, (_, i) => ({ 'X-Makini-Delivery-Id': `dlv_${run}_invented_${i}` })),
			{},
		];
		// Like Makini's sender: an answer that is not 2xx (n8n's own "503 Database is not ready!" when SQLite is busy) is retried.
		const answers = await runPool(replays, 4, async (headers) => {
			let answer = await post(captured, headers);
			for (let attempt = 1; answer.status >= 500 && attempt < 20; attempt++) {
				await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
				answer = await post(captured, headers);
			}
			return answer;
		});
		const genuineNext = JSON.stringify({ event: 'work-orders.updated', body: [`WO-${run}-next`] });
		const next = await post(genuineNext, { 'X-Makini-Delivery-Id': `dlv_${run}_invented_0` });

		// Signed, but no Content-Type: run, or (where n8n keeps no body) refused naming the header; never "invalid signature".
		const untyped = JSON.stringify({ event: 'work-orders.updated', body: [`WO-${run}-untyped`] });
		const noType = await fetch(trigger.url, { method: 'POST', headers: { 'X-Webhook-Signature': sign(untyped) }, body: untyped });
		const noTypeBody = await noType.text();
		const noTypeRan = noType.status === 200 && noTypeBody.includes('Workflow was started');

		const executions = await settledExecutions(ctx.session.client, trigger.workflow.id, noTypeRan ? 3 : 2, { timeoutMs: 120_000, settleMs: 5_000 });
		const items = executions.flatMap((e) => triggerItems(e));
		const capturedRuns = items.filter((i) => i.connectionId === `c-${run}`);
		const nextRuns = items.filter((i) => JSON.stringify(i.keys) === JSON.stringify([`WO-${run}-next`]));
		const firstItem = capturedRuns[0] ?? {};
		const headers = (firstItem.headers ?? {}) as Record<string, unknown>;
		const duplicates = answers.filter((a) => a.status === 200 && a.body.includes('duplicate delivery')).length;
		const byAnswer = new Map<string, number>();
		for (const a of answers) byAnswer.set(`${a.status} ${a.body.slice(0, 80)}`, (byAnswer.get(`${a.status} ${a.body.slice(0, 80)}`) ?? 0) + 1);

		figure(AREA, `captured delivery re-sent (5 identical, ${INVENTED} invented IDs, 1 without the header): executed extra`, `${capturedRuns.length - 1} (answers: ${[...byAnswer].map(([k, n]) => `${k} ×${n}`).join('; ')})`);
		figure(AREA, 'genuine delivery whose ID a replay had taken: executed', `${nextRuns.length} (answer ${next.status})`);
		figure(AREA, 'signed delivery without Content-Type answered', `${noType.status} ${noTypeBody}${noTypeRan ? ' (n8n 2.x kept its body: it ran)' : ''}`);
		figure(AREA, 'authorization / cookie headers in the output item', `${['authorization', 'cookie'].filter((h) => h in headers).length}; details.error = ${JSON.stringify((firstItem.details as { error?: string } | undefined)?.error)}`);

		expect(capturedRuns).toHaveLength(1);
		expect(duplicates).toBe(replays.length);
		expect(nextRuns).toHaveLength(1);
		if (!noTypeRan) {
			expect(noType.status).toBe(415);
			expect(noTypeBody).toContain('Content-Type');
		}
		expect(headers).not.toHaveProperty('authorization');
		expect(headers).not.toHaveProperty('cookie');
		expect(JSON.stringify(items)).not.toContain('leaked');
		expect((firstItem.details as { error?: string }).error).toBe('Invalid platform credentials');
		expect(executions).toHaveLength(noTypeRan ? 3 : 2);
	});
});

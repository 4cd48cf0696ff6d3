/**
 * A smaller share of the adversarial stream over real HTTP on loopback: raw bytes on a
 * socket (invalid UTF-8, lookalike header names in UTF-8, huge bodies) through Node's
 * HTTP parser and the loopback webhook server, which feeds webhook() as n8n's webhook
 * server does. What the in-process run cannot show: the wire, and a server that stays up.
 */
import net from 'node:net';

import { MakiniTrigger } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { WebhookHarness } from '../harness/webhook';
import { startWebhookServer, WEBHOOK_PATH, type WebhookServer } from '../harness/webhookServer';
import { captureConsole } from './lib/console';
import { figure, runSeed } from './lib/figures';
import { describeFindings, findSecrets, recognisableSecrets, secretValues } from './lib/secrets';
import { WebhookCaseGenerator, type WebhookCase } from './lib/webhookCases';

const REQUESTS = Number(process.env.RELIABILITY_WEBHOOK_HTTP_REQUESTS ?? 5_000);
const AREA = 'webhooks over HTTP';

/** One raw HTTP/1.1 request on its own connection; resolves with the status line's code (0: no answer). */
function sendRaw(port: number, c: WebhookCase): Promise<{ status: number; body: string }> {
	const lines = [`POST ${WEBHOOK_PATH} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${c.raw.length}`, 'Connection: close'];
	if (c.contentType) lines.push(`Content-Type: ${c.contentType}`);
	for (const [name, value] of Object.entries(c.headers)) {
		if (name.toLowerCase() === 'content-length') continue;
		for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
	}
	const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const chunks: Buffer[] = [];
		socket.on('data', (chunk) => chunks.push(chunk));
		socket.on('error', () => undefined);
		socket.on('close', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
			resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
		});
		socket.setTimeout(10_000, () => socket.destroy());
		socket.end(Buffer.concat([head, c.raw]));
	});
}

/** Cases a real client can put on the wire (no CR/LF inside a header value). */
function sendable(c: WebhookCase): boolean {
	return !Object.values(c.headers).some((v) => (Array.isArray(v) ? v : [v]).some((x) => /[\r\n\0]/.test(x)));
}

describe('adversarial webhooks over loopback HTTP', () => {
	const seed = runSeed(AREA);
	const secrets = recognisableSecrets(seed);
	let server: WebhookServer;
	let harness: WebhookHarness;

	beforeAll(async () => {
		harness = new WebhookHarness(new MakiniTrigger(), {
			parameters: { events: ['*'] },
			credentials: {
				makiniWebhookSecretApi: { secret: secrets.webhookSecret, previousSecret: secrets.previousWebhookSecret, signatureHeader: 'X-Webhook-Signature' },
			},
		});
		server = await startWebhookServer(harness);
	});
	afterAll(() => server?.close());

	it(`${REQUESTS} requests on the wire: no forgery executed, no 5xx, every control executed, the server stays up`, async () => {
		const consoleCapture = captureConsole();
		const port = Number(new URL(server.url).port);
		const generator = new WebhookCaseGenerator(seed, { current: secrets.webhookSecret, previous: secrets.previousWebhookSecret });
		const problems: string[] = [];
		const byStatus = new Map<number, number>();
		let sent = 0;
		let controls = 0;
		let forgedOrRefusable = 0;
		const answers: string[] = [];
		const started = Date.now();
		while (sent < REQUESTS) {
			const c = generator.nextCase();
			if (!sendable(c)) continue;
			sent++;
			const executionsBefore = harness.executions.length;
			const { status, body } = await sendRaw(port, c);
			answers.push(body);
			byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
			const executed = harness.executions.length > executionsBefore;
			if (c.label === 'control') {
				controls++;
				if (!executed || status !== 200) problems.push(`control ${c.kind} not executed (${status})`);
			} else if (c.label !== 'signedOdd') {
				forgedOrRefusable++;
				if (executed) problems.push(`${c.label} ${c.kind} started an execution`);
			}
			if (status === 0 || status >= 500) problems.push(`${c.kind}: answered ${status || 'nothing'}`);
		}
		consoleCapture.restore();
		const health = await sendRaw(port, generator.control());
		const findings = findSecrets({ answers, logs: harness.logs, console: consoleCapture.lines }, secretValues(secrets));

		figure(AREA, 'requests sent on loopback', `${sent} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		figure(AREA, 'answers by status', [...byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', '));
		figure(AREA, 'must-not-run requests that started an execution', problems.filter((p) => p.includes('started an execution')).length + ` of ${forgedOrRefusable}`);
		figure(AREA, 'valid controls executed', `${controls - problems.filter((p) => p.startsWith('control')).length} of ${controls}`);
		figure(AREA, '5xx or no answer', problems.filter((p) => p.includes('answered')).length);
		figure(AREA, 'server healthy afterwards', health.status === 200 ? 'yes' : `no (${health.status})`);
		figure(AREA, 'secrets found', findings.length);

		expect(problems.slice(0, 30)).toEqual([]);
		expect(controls).toBeGreaterThan(REQUESTS * 0.03);
		expect(health.status).toBe(200);
		expect(describeFindings(findings)).toBe('');
	});
});

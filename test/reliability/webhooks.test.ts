/**
 * Adversarial webhooks: a seeded stream of generated requests (100,000 by default,
 * RELIABILITY_WEBHOOK_REQUESTS to change) through the signature verifier and through
 * the Makini Trigger's webhook() as n8n calls it (the webhook harness: n8n's body
 * parsing, request, response and static data). Valid controls are interleaved, so a
 * trigger that refuses everything fails as surely as one that accepts a forgery.
 */
import { verifySignature } from '../../nodes/MakiniTrigger/signature';
import { MakiniTrigger } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { buildRequest, lowerCaseHeaders, parseLikeN8n, RecordingResponse, WebhookHarness, type DeliveryOutcome } from '../harness/webhook';
import { captureConsole } from './lib/console';
import { figure, runSeed } from './lib/figures';
import { describeFindings, findSecrets, recognisableSecrets, secretValues } from './lib/secrets';
import { isGenuine, MAX_BODY_BYTES, SIGNATURE_HEADER, WebhookCaseGenerator, type CaseLabel, type WebhookCase } from './lib/webhookCases';

const REQUESTS = Number(process.env.RELIABILITY_WEBHOOK_REQUESTS ?? 100_000);
const AREA = 'webhooks';
/** Requests per workflow: each block gets a fresh trigger (as many workflows would), so static data stays as small as n8n keeps it per workflow. */
const PER_WORKFLOW = 1_000;

/** The reasons a refusal may give: short, fixed, never data from the request. */
const REFUSAL_REASONS = [
	/^missing signature$/,
	/^invalid signature$/,
	/^timestamp older than Makini’s 24-hour retry period$/,
	/^timestamp ahead of this server’s clock by more than the clock skew tolerance$/,
	/^payload is not a JSON object$/,
	/^malformed JSON$/,
	/^body larger than \d+ bytes$/,
	/^payload nested deeper than \d+ levels$/,
	/^Content-Type header missing: send the body as application\/json$/,
];

/** What a correct trigger may answer, per label (n8n's own 422 for malformed application/json included). */
const ALLOWED_REFUSALS: Record<CaseLabel, number[]> = {
	control: [],
	duplicate: [],
	forged: [400, 401, 413, 415, 422],
	replay: [401],
	signedMalformed: [400, 401, 413, 422],
	signedOdd: [400, 401, 413, 422],
};

interface Tally {
	byLabel: Record<string, { total: number; executed: number; refused: number; acknowledged: number }>;
	byKind: Map<string, number>;
	byStatus: Map<number, number>;
	crashes: Array<{ id: number; kind: string; error: string }>;
	violations: Array<{ id: number; kind: string; problem: string }>;
	verifierRuns: number;
	verifierForgedAccepted: number;
	verifierGenuineRefused: number;
	n8nParserAnswers: number;
	secretFindings: ReturnType<typeof findSecrets>;
}

/** Whether n8n could save an item in its execution record (it serialises items as JSON). */
function serialisable(value: unknown): boolean {
	try {
		JSON.stringify(value);
		return true;
	} catch {
		return false;
	}
}

describe('adversarial webhooks', () => {
	const seed = runSeed(AREA);
	const secrets = recognisableSecrets(seed);
	const caseSecrets = { current: secrets.webhookSecret, previous: secrets.previousWebhookSecret };
	const leakable = secretValues(secrets);
	const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

	it(`${REQUESTS} generated requests: no forgery accepted, no crash, every refusal a clear 4xx, every control accepted`, async () => {
		const started = Date.now();
		const consoleCapture = captureConsole();
		const newHarness = () => new WebhookHarness(new MakiniTrigger(), {
			parameters: { events: ['*'], options: { dropOutOfOrder: false } },
			credentials: {
				makiniWebhookSecretApi: {
					secret: secrets.webhookSecret,
					previousSecret: secrets.previousWebhookSecret,
					signatureHeader: 'X-Webhook-Signature',
				},
			},
		});
		let harness = newHarness();
		const harnesses = [harness];
		const generator = new WebhookCaseGenerator(seed, caseSecrets);
		const tally: Tally = {
			byLabel: {},
			byKind: new Map(),
			byStatus: new Map(),
			crashes: [],
			violations: [],
			verifierRuns: 0,
			verifierForgedAccepted: 0,
			verifierGenuineRefused: 0,
			n8nParserAnswers: 0,
			secretFindings: [],
		};
		const violation = (c: WebhookCase, problem: string) => {
			if (tally.violations.length < 50) tally.violations.push({ id: c.id, kind: c.kind, problem });
			else tally.violations.length++;
		};

		for (let i = 0; i < REQUESTS; i++) {
			if (i > 0 && i % PER_WORKFLOW === 0) {
				harness = newHarness();
				harnesses.push(harness);
				generator.forgetSent();
			}
			const c = generator.nextCase();
			const genuine = c.genuine ?? isGenuine(c, caseSecrets);
			const label = (tally.byLabel[c.label] ??= { total: 0, executed: 0, refused: 0, acknowledged: 0 });
			label.total++;
			tally.byKind.set(c.kind, (tally.byKind.get(c.kind) ?? 0) + 1);

			const headers = lowerCaseHeaders({
				...(c.contentType ? { 'content-type': c.contentType } : {}),
				'content-length': String(c.raw.length),
				...c.headers,
			});
			// 1. The verifier alone, against the oracle, both ways.
			tally.verifierRuns++;
			const verdict = verifySignature({
				header: headers[SIGNATURE_HEADER],
				rawBody: c.withoutRawBody ? undefined : c.raw,
				loadPayload: () => {
					try {
						return JSON.parse(c.raw.toString('utf8')) as unknown;
					} catch {
						return undefined;
					}
				},
				secrets: [secrets.webhookSecret, secrets.previousWebhookSecret],
			});
			if (verdict.ok && !genuine) {
				tally.verifierForgedAccepted++;
				violation(c, 'the verifier accepted a forged signature');
			}
			if (!verdict.ok && genuine && c.raw.length <= MAX_BODY_BYTES) {
				tally.verifierGenuineRefused++;
				violation(c, `the verifier refused a genuine signature (${verdict.reason})`);
			}

			let body: unknown;
			try {
				body = parseLikeN8n(c.raw, headers['content-type'] as string | undefined);
			} catch {
				// n8n answers malformed application/json with 422 before the node runs.
				tally.n8nParserAnswers++;
				tally.byStatus.set(422, (tally.byStatus.get(422) ?? 0) + 1);
				label.refused++;
				if (!ALLOWED_REFUSALS[c.label].includes(422)) violation(c, 'answered 422 by the parser, but must be accepted');
				continue;
			}
			const request = buildRequest({ headers, body, rawBody: c.withoutRawBody ? undefined : c.raw });

			// 2. The trigger's webhook(), as n8n calls it.
			let outcome: DeliveryOutcome;
			try {
				outcome = await harness.handle(request, new RecordingResponse());
			} catch (error) {
				tally.crashes.push({ id: c.id, kind: c.kind, error: String((error as Error).message).slice(0, 200) });
				continue;
			}
			const { status } = outcome.answer;
			tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
			const answerBody = outcome.answer.body as { error?: unknown; ignored?: unknown } | undefined;

			if (outcome.executed) {
				label.executed++;
				if (c.label === 'forged' || c.label === 'replay' || c.label === 'duplicate' || c.label === 'signedMalformed') {
					violation(c, `started an execution (${c.label})`);
				}
				if (status !== 200) violation(c, `executed but answered ${status}`);
				if (!serialisable(outcome.items)) violation(c, 'an output item n8n cannot save (not serialisable as JSON)');
				for (const item of outcome.items) {
					const h = item.json.headers as Record<string, unknown> | undefined;
					if (h && SIGNATURE_HEADER in h) violation(c, 'the signature header is in the output item');
				}
			} else if (status === 200) {
				label.acknowledged++;
				if (c.label === 'control') violation(c, `a control was not executed: ${JSON.stringify(answerBody)}`);
				if (c.label !== 'duplicate' && c.label !== 'signedOdd') violation(c, `acknowledged 200 (${c.label})`);
				if (c.label === 'duplicate' && answerBody?.ignored !== 'duplicate delivery') violation(c, 'a duplicate without the duplicate answer');
			} else {
				label.refused++;
				if (!ALLOWED_REFUSALS[c.label].includes(status)) violation(c, `refused with ${status}, not one of ${ALLOWED_REFUSALS[c.label].join('/') || 'none: must be accepted'}`);
				if (status < 400 || status > 499) violation(c, `refusal with non-4xx status ${status}`);
				const reason = answerBody?.error;
				if (typeof reason !== 'string' || reason.length > 80 || !REFUSAL_REASONS.some((r) => r.test(reason))) {
					violation(c, `refusal without a short known reason: ${JSON.stringify(answerBody).slice(0, 120)}`);
				}
				if (Object.keys(answerBody ?? {}).length !== 1) violation(c, `refusal body carries more than the reason: ${JSON.stringify(answerBody).slice(0, 120)}`);
			}
			if (!genuine && outcome.executed) violation(c, 'a request without a genuine signature started an execution');

			// 3. Nothing secret in what the caller got or what ran.
			const found = findSecrets({ answer: outcome.answer, items: outcome.items }, leakable, `case ${c.id}`);
			if (found.length) tally.secretFindings.push(...found.slice(0, 5));
		}
		for (const h of harnesses) tally.secretFindings.push(...findSecrets(h.logs, leakable, 'logs'));
		consoleCapture.restore();
		tally.secretFindings.push(...findSecrets(consoleCapture.lines, leakable, 'console'));
		const logLines = harnesses.reduce((n, h) => n + h.logs.length, 0);
		const prototypeAfter = Object.getOwnPropertyNames(Object.prototype).sort();
		const polluted = ({} as Record<string, unknown>).polluted !== undefined || ({} as Record<string, unknown>).admin !== undefined;
		const seconds = (Date.now() - started) / 1000;

		// The figures.
		const sum = (f: (l: Tally['byLabel'][string]) => number) => Object.values(tally.byLabel).reduce((n, l) => n + f(l), 0);
		const mustNotRun = ['forged', 'replay', 'duplicate', 'signedMalformed'];
		const forged = tally.byLabel.forged ?? { total: 0, executed: 0, refused: 0, acknowledged: 0 };
		const controls = tally.byLabel.control ?? { total: 0, executed: 0, refused: 0, acknowledged: 0 };
		figure(AREA, 'requests (verifier and webhook())', `${REQUESTS} in ${seconds.toFixed(1)} s`);
		figure(AREA, 'requests by label', Object.entries(tally.byLabel).map(([k, l]) => `${k} ${l.total}`).join(', '));
		figure(AREA, 'kinds of request generated', tally.byKind.size);
		figure(AREA, 'forged accepted (webhook())', `${forged.executed} of ${forged.total}`);
		figure(AREA, 'forged accepted (verifier alone)', `${tally.verifierForgedAccepted} of ${tally.verifierRuns} checked`);
		figure(AREA, 'genuine signatures refused by the verifier', tally.verifierGenuineRefused);
		figure(AREA, 'must-not-run requests that started an execution', mustNotRun.reduce((n, k) => n + (tally.byLabel[k]?.executed ?? 0), 0));
		figure(AREA, 'crashes', tally.crashes.length);
		figure(AREA, 'refusals', `${sum((l) => l.refused)} (all 4xx with a short reason: ${tally.violations.some((v) => v.problem.startsWith('refusal')) ? 'NO' : 'yes'}; ${tally.n8nParserAnswers} answered 422 by n8n's JSON parser before the node)`);
		figure(AREA, 'answers by status', [...tally.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', '));
		figure(AREA, 'valid controls accepted', `${controls.executed} of ${controls.total}`);
		figure(AREA, 'duplicates of controls dropped', `${tally.byLabel.duplicate?.acknowledged ?? 0} of ${tally.byLabel.duplicate?.total ?? 0}`);
		figure(AREA, 'replays (stale/future timestamp, genuine signature) refused', `${tally.byLabel.replay?.refused ?? 0} of ${tally.byLabel.replay?.total ?? 0}`);
		figure(AREA, 'prototype pollution', polluted || prototypeAfter.join() !== prototypeBefore.join() ? 'YES' : 'none');
		figure(AREA, 'secrets found in answers, items, logs and console', `${tally.secretFindings.length} (${logLines} log lines, ${consoleCapture.lines.length} console lines scanned)`);
		figure(AREA, 'violations', tally.violations.length);

		expect(tally.violations).toEqual([]);
		expect(tally.crashes).toEqual([]);
		expect(forged.executed).toBe(0);
		expect(tally.verifierForgedAccepted).toBe(0);
		expect(controls.total).toBeGreaterThan(REQUESTS * 0.03);
		expect(controls.executed).toBe(controls.total);
		expect(polluted).toBe(false);
		expect(prototypeAfter).toEqual(prototypeBefore);
		expect(describeFindings(tally.secretFindings)).toBe('');
		expect(harnesses.reduce((n, h) => n + h.executions.length, 0)).toBe(sum((l) => l.executed));
	});
});

/**
 * Regression cases for what the reliability suite found, one `describe` per fix, each
 * small enough to run with the unit tests' speed.
 */
import { createHmac } from 'node:crypto';

import { MakiniTrigger } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { MAX_NESTING, textNestsDeeperThan, valueNestsDeeperThan } from '../../nodes/MakiniTrigger/payload';
import { WebhookHarness } from '../harness/webhook';
import { recognisableSecrets } from './lib/secrets';

const secrets = recognisableSecrets('regressions');

function trigger() {
	return new WebhookHarness(new MakiniTrigger(), {
		parameters: { events: ['*'] },
		credentials: { makiniWebhookSecretApi: { secret: secrets.webhookSecret, previousSecret: '', signatureHeader: 'X-Webhook-Signature' } },
	});
}

const sign = (body: string) => createHmac('sha256', secrets.webhookSecret).update(body).digest('base64');
const nested = (depth: number) => `{"event":"assets.updated","body":["A-1"],"details":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;

describe('a genuine delivery nested too deeply for n8n to save (found by the adversarial run)', () => {
	it('is refused with 400 and a short reason, and starts nothing', async () => {
		const body = nested(20_000);
		const outcome = await trigger().deliver({ body, contentType: 'text/plain', headers: { 'X-Webhook-Signature': sign(body) } });
		expect(outcome.executed).toBe(false);
		expect(outcome.answer).toMatchObject({ status: 400, body: { error: `payload nested deeper than ${MAX_NESTING} levels` } });
	});

	it('does not crash the trigger when n8n kept no raw body', async () => {
		const body = nested(20_000);
		const outcome = await trigger().deliver({ body, withoutRawBody: true, headers: { 'X-Webhook-Signature': sign(body) } });
		expect(outcome.executed).toBe(false);
		expect(outcome.answer.status).toBe(400);
	});

	it('still accepts a payload at the limit, and its item can be saved', async () => {
		const body = nested(MAX_NESTING - 3);
		const outcome = await trigger().deliver({ body, headers: { 'X-Webhook-Signature': sign(body) } });
		expect(outcome.executed).toBe(true);
		expect(() => JSON.stringify(outcome.items)).not.toThrow();
	});

	it('counts brackets outside strings only', () => {
		expect(textNestsDeeperThan(Buffer.from(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`), 2)).toBe(false);
		expect(textNestsDeeperThan(Buffer.from('[[[]]]'), 2)).toBe(true);
		expect(valueNestsDeeperThan(JSON.parse('[[[]]]'), 2)).toBe(true);
		expect(valueNestsDeeperThan(JSON.parse('[[],[]]'), 2)).toBe(false);
	});
});

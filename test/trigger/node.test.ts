/**
 * The node's description, its webhook lifecycle (nothing to register at Makini: the URL
 * is remembered and its place in the dashboard logged) and the secret's credential test.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';

import { MakiniWebhookSecretApi } from '../../credentials/MakiniWebhookSecretApi.credentials';
import { MakiniTrigger } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { checkWebhookSecret } from '../../nodes/MakiniTrigger/webhookSecret';
import { SECRET, triggerHarness } from './helpers';

describe('Makini Trigger description', () => {
	const node = new MakiniTrigger();
	const { description } = node;

	it('is a webhook trigger answered on receipt', () => {
		expect(description).toMatchObject({ name: 'makiniTrigger', displayName: 'Makini Trigger', group: ['trigger'], inputs: [] });
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }]);
	});

	it('declares an empty response data, so n8n does not answer accepted deliveries with the text "firstEntryJson"', () => {
		// The node answers accepted deliveries itself; should n8n answer one, it evaluates responseData
		// with 'firstEntryJson' as the fallback for an undefined value and, in onReceived mode, sends any
		// truthy value as the body; only a defined, empty value gives its {"message":"Workflow was started"}
		// (the answers are checked inside n8n by test/reliability/n8n-adversarial.test.ts).
		const [webhook] = description.webhooks ?? [];
		expect(webhook).toHaveProperty('responseData', '');
	});

	it('is created at version 1.1, so n8n does not evaluate its version-1 binaryData expression on every delivery', () => {
		// n8n's parseRequestBody evaluates {{$parameter["options"]["binaryData"]}} for start nodes of
		// version 1 only; in n8n 2.x that expression may build an isolate per request (bench/cases/trigger.ts).
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
	});

	it('requires the webhook secret credential, tested by a method the node has', () => {
		const [credential] = description.credentials ?? [];
		expect(credential).toMatchObject({ name: new MakiniWebhookSecretApi().name, required: true });
		expect(typeof node.methods.credentialTest[credential.testedBy as 'makiniWebhookSecretTest']).toBe('function');
	});

	it('has the complete webhook lifecycle', () => {
		expect(Object.keys(node.webhookMethods.default).sort()).toEqual(['checkExists', 'create', 'delete']);
	});
});

describe('webhook lifecycle', () => {
	const url = 'https://n8n.example.com/webhook/abc/webhook';

	it('remembers the URL on activation, logs where to paste it, and forgets it on deactivation', async () => {
		const node = new MakiniTrigger();
		const harness = triggerHarness({}, { webhookUrl: url });

		const activate = harness.hookContext();
		expect(await node.webhookMethods.default.checkExists.call(activate.context)).toBe(false);
		expect(await node.webhookMethods.default.create.call(activate.context)).toBe(true);
		activate.save();
		expect(harness.logs.find((l) => l.level === 'info')?.message).toContain(url);

		const again = harness.hookContext();
		expect(await node.webhookMethods.default.checkExists.call(again.context)).toBe(true);

		const deactivate = harness.hookContext();
		expect(await node.webhookMethods.default.delete.call(deactivate.context)).toBe(true);
		deactivate.save();
		expect(harness.logs.at(-1)?.message).toContain('Remove');
		expect(await node.webhookMethods.default.checkExists.call(harness.hookContext().context)).toBe(false);
	});

	it('reports an unknown URL as not existing, so n8n calls create', async () => {
		const node = new MakiniTrigger();
		const harness = triggerHarness({}, { webhookUrl: url, staticData: { 'node:Makini Trigger': { makiniWebhookUrl: 'https://old.example.com/x' } } });
		expect(await node.webhookMethods.default.checkExists.call(harness.hookContext().context)).toBe(false);
	});

	it('never logs the secret', async () => {
		const node = new MakiniTrigger();
		const harness = triggerHarness({}, { webhookUrl: url });
		await node.webhookMethods.default.create.call(harness.hookContext().context);
		expect(JSON.stringify(harness.logs)).not.toContain(SECRET);
	});
});

describe('credential test', () => {
	const run = (data: Record<string, string>) =>
		new MakiniTrigger().methods.credentialTest.makiniWebhookSecretTest.call(
			{} as ICredentialTestFunctions,
			{ id: '1', name: 'secret', type: 'makiniWebhookSecretApi', data } as ICredentialsDecrypted,
		);

	it('passes a usable secret, saying honestly that Makini cannot confirm it', async () => {
		const result = await run({ secret: SECRET, signatureHeader: 'X-Webhook-Signature' });
		expect(result.status).toBe('OK');
		expect(result.message).toContain('Makini has no endpoint to test a webhook secret');
		expect(result.message).not.toContain(SECRET);
	});

	it('fails an empty secret and an invalid header name', async () => {
		expect((await run({ secret: '' })).status).toBe('Error');
		expect((await run({ secret: SECRET, signatureHeader: 'X Webhook: Signature' })).status).toBe('Error');
	});

	it('falls back to the documented header and notes a short secret or a stale previous secret', () => {
		expect(checkWebhookSecret({ secret: SECRET, signatureHeader: '  ' }).message).toContain('X-Webhook-Signature');
		expect(checkWebhookSecret({ secret: 'short' }).message).toContain('short');
		expect(checkWebhookSecret({ secret: SECRET, previousSecret: SECRET }).message).toContain('clear it');
	});
});

describe('webhook secret credential', () => {
	const credential = new MakiniWebhookSecretApi();
	it('has the secret, a previous secret for rotation and a changeable signature header', () => {
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.secret).toMatchObject({ type: 'string', typeOptions: { password: true }, required: true });
		expect(byName.previousSecret).toMatchObject({ type: 'string', typeOptions: { password: true } });
		expect(byName.signatureHeader).toMatchObject({ type: 'string', default: 'X-Webhook-Signature' });
		expect(credential.name).toBe('makiniWebhookSecretApi');
	});
});

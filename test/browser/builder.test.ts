/**
 * A builder's everyday jobs, done through the n8n editor only (no API call builds or runs
 * a workflow), in Debian's chromium against a real n8n 2.x with this package and the
 * Makini sandbox; what they produced is then checked in the sandbox. Each job counts its
 * steps (clicks, fields typed, keys) and leaves a screenshot of each step in
 * docs/screenshots/browser-*.png.
 */
import { mkdirSync } from 'node:fs';

import { startSandbox, type SandboxHandle } from '../../sandbox';
import { buildPackage, createMakiniCredentials, startN8nWithOwner, type N8nSession } from '../../e2e/lib';
import { EXAMPLE_CREDENTIAL_NAMES } from '../../e2e/lib/examples';
import { launchChromium, screenshot, SCREENSHOTS, Steps, type Browser, type Locator, type Page } from './browser';

const VIEWPORT = { width: 1366, height: 820 };

let sandbox: SandboxHandle;
let session: N8nSession;
let browser: Browser;
let page: Page;
const summaries: string[] = [];

beforeAll(async () => {
	mkdirSync(SCREENSHOTS, { recursive: true });
	buildPackage();
	sandbox = await startSandbox({ port: 0 });
	session = await startN8nWithOwner({ major: 2 });
	await createMakiniCredentials(session.client, sandbox, EXAMPLE_CREDENTIAL_NAMES);
	browser = await launchChromium();
	page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	// Generous: on a busy machine the editor's first load takes a minute; each wait still ends at its condition.
	page.setDefaultTimeout(120_000);
	await page.goto(`${session.n8n.url}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first().fill(session.owner.email);
	await page.locator('input[type="password"]').first().fill(session.owner.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.includes('signin'));
}, 8 * 60_000);

afterAll(async () => {
	await browser?.close();
	await session?.n8n.stop();
	await sandbox?.close();
	if (summaries.length) process.stdout.write(`\nbrowser: steps per job\n${summaries.join('\n')}\n`);
});

/** On failure, what the page showed, for whoever fixes the step. */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		await screenshot(page, `browser-failed-${name}`).catch(() => undefined);
		throw error;
	}
}

/** A fresh workflow's canvas, tips dismissed. */
async function newWorkflow(): Promise<void> {
	await page.goto(`${session.n8n.url}/workflow/new`);
	await page.locator('[data-test-id="canvas-add-button"], [data-test-id="canvas-plus-button"]').first().waitFor();
}

function nodeCreatorSearch(): Locator {
	return page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
}

test('alert on sync failure: the Connection Health Trigger, and a sync-failed sample from Fetch Test Event', async () => {
	const steps = new Steps();
	await step('health', async () => {
		await newWorkflow();
		await steps.click(page.locator('[data-test-id="canvas-add-button"], [data-test-id="canvas-plus-button"]').first(), 'Add first step');
		await steps.type(nodeCreatorSearch(), 'sync failed', 'the node panel search');
		const entry = page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: 'Makini Connection Health Trigger' }).first();
		await entry.waitFor();
		await screenshot(page, 'browser-health-search');
		await steps.click(entry, 'Makini Connection Health Trigger');
		// A community node's details first ("Installed", "Via npm"), then "Add to workflow".
		await steps.click(page.getByText('Add to workflow', { exact: true }).first(), 'Add to workflow');
		await page.locator('[data-test-id="ndv-close-button"]').first().waitFor();
		// The builder's Makini API credential is preselected: the samples below carry its connection's id.
		const fetch = page.getByText('Fetch Test Event', { exact: true }).first();
		await steps.click(fetch, 'Fetch Test Event');
		const output = page.locator('[data-test-id="output-panel"]').first();
		await output.getByText('sync_failed', { exact: true }).first().waitFor();
		await screenshot(page, 'browser-health-sample');
		// One sample per alert, the first the sync failure, for the sandbox's connection.
		expect(await output.locator('[data-test-id="ndv-items-count"]').first().innerText()).toMatch(/^7 items/);
		const text = await output.innerText();
		for (const kind of ['sync_failed', 'reauthorization_required', 'recovered']) expect(text).toContain(kind);
		expect(text).toContain(sandbox.connections[0].id);
	});
	summaries.push(steps.summary('alert on sync failure'));
});

/** A resource locator's "From List": open it, search, click the first record whose label holds `text`. */
async function pickFromList(steps: Steps, parameter: string, text: string, what: string): Promise<void> {
	const locator = page.locator(`[data-test-id="resource-locator-${parameter}"], [data-test-id="parameter-input-${parameter}"]`).first();
	await steps.click(locator.locator('[data-test-id="rlc-input-container"], [data-test-id="rlc-input"]').first(), `${what} (open its list)`);
	const search = page.locator('[data-test-id="rlc-search"] input, [data-test-id="rlc-search"]').first();
	if (await search.isVisible().catch(() => false)) await steps.type(search, text, `${what} search`);
	const item = page.locator('[data-test-id="rlc-item"]').filter({ hasText: text }).first();
	await item.waitFor({ timeout: 60_000 });
	await steps.click(item, `${what}: ${text}`);
}

test('PO in the ERP: the panel finds "create purchase order", the ERP action is added and executed, the PO is in the sandbox', async () => {
	const steps = new Steps();
	const [vendor] = sandbox.admin.listRecords({ collection: 'vendor' });
	const [site] = sandbox.admin.listRecords({ collection: 'site' });
	const before = new Set(sandbox.admin.listRecords({ collection: 'purchaseOrder' }).map((po) => String(po.key)));
	await step('po', async () => {
		await newWorkflow();
		await steps.click(page.locator('[data-test-id="canvas-add-button"]').first(), 'Add first step');
		await steps.type(nodeCreatorSearch(), 'create purchase order', 'the node panel search');
		const erp = page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: /^Makini ERP$/ }).first();
		await erp.waitFor();
		const results = await page.locator('[data-test-id="node-creator-item-name"]').allInnerTexts();
		expect(results.slice(0, 3)).toEqual(['Makini ERP', 'Makini CMMS', 'Makini WMS']);
		await screenshot(page, 'browser-po-search');
		await steps.click(erp, 'Makini ERP');
		// The node's details list its actions by resource: the ERP's own "Create a purchase order".
		const action = page.locator('[data-test-id="node-creator"]').getByText('Create a purchase order', { exact: true }).first();
		await action.scrollIntoViewIfNeeded();
		await screenshot(page, 'browser-po-action');
		await steps.click(action, 'Create a purchase order');
		await page.locator('[data-test-id="ndv-close-button"]').first().waitFor();
		expect(await page.locator('[data-test-id="parameter-input-operation"]').first().innerText()).toBeDefined();
		// Vendor Key and Site Key are pickers: open each list, search by name, click the record.
		await pickFromList(steps, 'vendorKey', String(vendor.name ?? vendor.code ?? vendor.key), 'Vendor Key');
		await pickFromList(steps, 'siteKey', String(site.name ?? site.code ?? site.key), 'Site Key');
		await screenshot(page, 'browser-po-form');
		await steps.click(page.locator('[data-test-id="node-execute-button"]').first(), 'Execute step');
		await page.locator('[data-test-id="output-panel"] [data-test-id="ndv-items-count"], [data-test-id="output-panel"] [data-test-id="run-data-item-count"]').first().waitFor();
		await screenshot(page, 'browser-po-executed');
	});
	const created = sandbox.admin.listRecords({ collection: 'purchaseOrder' }).filter((po) => !before.has(String(po.key)));
	expect(created).toHaveLength(1);
	expect(created[0]).toMatchObject({ vendorKey: vendor.key, siteKey: site.key });
	summaries.push(steps.summary('PO in the ERP, vendor and site picked from lists'));
});

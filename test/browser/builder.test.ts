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

/**
 * A resource locator's "From List": open it, search, click the first record whose label
 * holds `text` (or, with no text, the `index`th entry). `scope`: where the parameter is
 * (a row of a collection). Returns the label clicked.
 */
async function pickFromList(
	steps: Steps,
	parameter: string,
	text: string,
	what: string,
	options: { scope?: Locator; index?: number } = {},
): Promise<string> {
	const scope = options.scope ?? page.locator('body').first();
	const locator = scope.locator(`[data-test-id="resource-locator-${parameter}"], [data-test-id="parameter-input-${parameter}"]`).first();
	await steps.click(locator.locator('[data-test-id="rlc-input-container"], [data-test-id="rlc-input"]').first(), `${what} (open its list)`);
	const search = page.locator('[data-test-id="rlc-search"] input, [data-test-id="rlc-search"]').first();
	if (text && (await search.isVisible().catch(() => false))) await steps.type(search, text, `${what} search`);
	const items = page.locator('[data-test-id="rlc-item"]');
	const item = text ? items.filter({ hasText: text }).first() : items.nth(options.index ?? 0);
	await item.waitFor({ timeout: 60_000 });
	const label = (await item.innerText()).trim();
	await steps.click(item, `${what}: ${label}`);
	return label;
}

/** An options parameter: open it, click the option whose text is `option`. */
async function pickOption(steps: Steps, scope: Locator, parameter: string, option: string | RegExp, what: string): Promise<void> {
	await steps.click(scope.locator(`[data-test-id="parameter-input-${parameter}"]`).first(), `${what} (open)`);
	const item = page.locator('.el-select-dropdown__item:visible, [role="option"]:visible').filter({ hasText: option }).first();
	await item.waitFor();
	// An option shows its name over its description: the name is what the builder reads.
	const name = (await item.innerText()).trim().split('\n')[0];
	await steps.click(item, `${what}: ${name}`);
}

/** Adds a node from the panel: search, pick the node, click the action. */
async function addAction(steps: Steps, search: string, node: string, action: string, shot?: string): Promise<void> {
	await newWorkflow();
	await steps.click(page.locator('[data-test-id="canvas-add-button"]').first(), 'Add first step');
	await steps.type(nodeCreatorSearch(), search, 'the node panel search');
	const entry = page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: new RegExp(`^${node}$`) }).first();
	await entry.waitFor();
	await steps.click(entry, node);
	const item = page.locator('[data-test-id="node-creator"]').getByText(action, { exact: true }).first();
	await item.scrollIntoViewIfNeeded();
	if (shot) await screenshot(page, shot);
	await steps.click(item, action);
	await page.locator('[data-test-id="ndv-close-button"]').first().waitFor();
}

/** The output as JSON, for a screenshot that shows what was written (not a builder's step). */
async function showOutputJson(): Promise<void> {
	await page.locator('[data-test-id="output-panel"]').first().getByText('JSON', { exact: true }).first().click();
}

/** Execute step, then the output panel's item count ("12 items"). */
async function executeStep(steps: Steps): Promise<number> {
	await steps.click(page.locator('[data-test-id="node-execute-button"]').first(), 'Execute step');
	const count = page.locator('[data-test-id="output-panel"] [data-test-id="ndv-items-count"], [data-test-id="output-panel"] [data-test-id="run-data-item-count"]').first();
	await count.waitFor();
	const text = await count.innerText();
	return Number(/(\d[\d,]*)\s+items?/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
}

const QUANTITIES = [3, 5];

test('PO in the ERP: the panel finds "create purchase order", the ERP action is added, two line items typed, executed, the PO is in the sandbox with both lines', async () => {
	const steps = new Steps();
	const [vendor] = sandbox.admin.listRecords({ collection: 'vendor' });
	const [site] = sandbox.admin.listRecords({ collection: 'site' });
	const before = new Set(sandbox.admin.listRecords({ collection: 'purchaseOrder' }).map((po) => String(po.key)));
	const pickedMaterials: string[] = [];
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
		// Two typed line items: Add Line Item → Line Item, the material from its list, a quantity.
		const lines = page.locator('[data-test-id="fixed-collection-lineItems"]').first();
		for (const [index, quantity] of QUANTITIES.entries()) {
			await steps.click(lines.locator('input[placeholder="Add Line Item"]').first(), 'Add Line Item');
			await steps.click(page.locator('.el-select-dropdown__item:visible, [role="option"]:visible').filter({ hasText: /^Line Item$/ }).first(), 'Line Item');
			const row = lines.locator('[data-test-id="resource-locator-materialKey"]').nth(index).locator('xpath=ancestor::*[.//*[@data-test-id="parameter-input-quantity"]][1]');
			pickedMaterials.push(await pickFromList(steps, 'materialKey', '', `Line ${index + 1} Material Key`, { scope: row, index }));
			await steps.type(row.locator('[data-test-id="parameter-input-quantity"] input').first(), String(quantity), `Line ${index + 1} Quantity`);
		}
		// The first row, from the Line Items heading down (the form scrolled to the last row typed).
		await page.locator('label[for="lineItems"]').first().scrollIntoViewIfNeeded();
		await screenshot(page, 'browser-po-form');
		await steps.click(page.locator('[data-test-id="node-execute-button"]').first(), 'Execute step');
		await page.locator('[data-test-id="output-panel"] [data-test-id="ndv-items-count"], [data-test-id="output-panel"] [data-test-id="run-data-item-count"]').first().waitFor();
		await showOutputJson();
		await screenshot(page, 'browser-po-executed');
	});
	const created = sandbox.admin.listRecords({ collection: 'purchaseOrder' }).filter((po) => !before.has(String(po.key)));
	expect(created).toHaveLength(1);
	expect(created[0]).toMatchObject({ vendorKey: vendor.key, siteKey: site.key });
	// Both lines, each the material picked (its label names the record) with its quantity.
	const lineItems = (created[0].lineItems ?? []) as Array<Record<string, unknown>>;
	expect(lineItems.map((line) => Number(line.quantity))).toEqual(QUANTITIES);
	const materials = new Map(sandbox.admin.listRecords({ collection: 'material' }).map((m) => [String(m.key), m]));
	lineItems.forEach((line, index) => {
		const material = materials.get(String(line.materialKey));
		expect(material).toBeDefined();
		expect(pickedMaterials[index]).toContain(String(material!.code ?? material!.name));
	});
	expect(new Set(lineItems.map((line) => line.materialKey)).size).toBe(2);
	summaries.push(steps.summary('PO with two lines in the ERP, vendor, site and materials picked from lists'));
});

test('filtered list: Get Many work orders, a status picked from the live list, Return All; the count is the sandbox’s', async () => {
	const steps = new Steps();
	const workOrders = sandbox.admin.listRecords({ collection: 'workOrder' });
	const counts = new Map<string, number>();
	for (const w of workOrders) counts.set(String(w.statusKey), (counts.get(String(w.statusKey)) ?? 0) + 1);
	// The status with the most work orders: Return All then reads several pages.
	const [statusKey, expected] = [...counts].sort((a, b) => b[1] - a[1])[0];
	const status = sandbox.admin.listRecords({ collection: 'statuses/work-orders' }).find((s) => String(s.key) === statusKey);
	expect(status).toBeDefined();
	let count = NaN;
	await step('list', async () => {
		await addAction(steps, 'get many work orders', 'Makini CMMS', 'Get many work orders');
		await steps.click(page.locator('[data-test-id="parameter-input-returnAll"] .el-switch, [data-test-id="parameter-input-returnAll"]').first(), 'Return All');
		const filters = page.locator('[data-test-id="fixed-collection-filters"]').first();
		await steps.click(filters.locator('[data-test-id="fixed-collection-add"]').first(), 'Add Filter');
		await pickOption(steps, filters, 'field', /^Status Key/, 'Field Name or ID');
		await pickFromList(steps, 'statusValue', String(status!.name), 'Value (status)', { scope: filters });
		await screenshot(page, 'browser-list-filter');
		count = await executeStep(steps);
		await screenshot(page, 'browser-list-executed');
	});
	expect(count).toBe(expected);
	summaries.push(steps.summary(`filtered list (${String(status!.name)}: ${count} work orders)`));
});

test('status change: Update a work order status, the record and the status picked from lists; the sandbox holds the new status', async () => {
	const steps = new Steps();
	const statuses = sandbox.admin.listRecords({ collection: 'statuses/work-orders' });
	let label = '';
	await step('status', async () => {
		await addAction(steps, 'work order status', 'Makini CMMS', 'Update a work order status', 'browser-status-action');
		label = await pickFromList(steps, 'key', '', 'Work Order', { index: 0 });
		await pickOption(steps, page.locator('body').first(), 'status', /\S/, 'Status');
		await screenshot(page, 'browser-status-form');
		await executeStep(steps);
		await showOutputJson();
		await screenshot(page, 'browser-status-executed');
	});
	const code = label.split(' · ')[0];
	const changed = sandbox.admin.listRecords({ collection: 'workOrder' }).find((w) => String(w.code) === code);
	expect(changed).toBeDefined();
	const picked = await page.locator('[data-test-id="parameter-input-status"] input').first().inputValue();
	const status = statuses.find((s) => s.name === picked);
	expect(status).toBeDefined();
	expect(changed!.statusKey).toBe(status!.key);
	summaries.push(steps.summary('status change'));
});

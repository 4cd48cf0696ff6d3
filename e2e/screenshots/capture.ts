/**
 * Screenshots of the real n8n editor with this package, in Debian's chromium driven by
 * playwright-core (installed in this folder; no browser download). Starts the sandbox and
 * n8n 2.x with the example workflows (e2e/lib, as the demo does), logs in through the
 * sign-in page, and saves docs/screenshots/*.png. Run by `npm run screenshots`.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox } from '../../sandbox';
import { buildPackage, createMakiniCredentials, REPO_ROOT, startN8nWithOwner } from '../lib';
import { EXAMPLE_CREDENTIAL_NAMES, importExample, loadExamples, type ImportedExample } from '../lib/examples';

const OUT = join(REPO_ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1366, height: 820 };
const MAX_BYTES = 300 * 1024;

// The few playwright-core types used here. The module lives in e2e/screenshots/node_modules,
// which a fresh clone does not have: a typed import would break the root typecheck.
interface Locator {
	first(): Locator;
	scrollIntoViewIfNeeded(): Promise<void>;
	click(options?: { timeout?: number }): Promise<void>;
	dblclick(options?: { timeout?: number }): Promise<void>;
	fill(value: string): Promise<void>;
	waitFor(options?: { state?: 'visible' | 'attached'; timeout?: number }): Promise<void>;
	locator(selector: string): Locator;
	filter(options: { hasText?: string | RegExp; hasNot?: Locator }): Locator;
	count(): Promise<number>;
}
interface Page {
	goto(url: string): Promise<unknown>;
	locator(selector: string): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
	waitForURL(test: (url: URL) => boolean, options?: { timeout?: number }): Promise<void>;
	waitForTimeout(ms: number): Promise<void>;
	screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
	mouse: { move(x: number, y: number): Promise<void> };
}
interface Browser {
	newPage(options: { viewport: { width: number; height: number }; deviceScaleFactor?: number }): Promise<Page>;
	close(): Promise<void>;
}
interface Playwright {
	chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> };
}

async function loadPlaywright(): Promise<Playwright> {
	const name = 'playwright-core';
	return (await import(name)) as Playwright;
}

function workflowUrl(n8nUrl: string, examples: ImportedExample[], file: string): string {
	const example = examples.find((e) => e.file === file);
	if (!example) throw new Error(`No example ${file}`);
	return `${n8nUrl}/workflow/${example.workflow.id}`;
}

async function save(page: Page, name: string): Promise<void> {
	const path = join(OUT, `${name}.png`);
	// Let transitions (dropdowns, panels) settle.
	await page.waitForTimeout(800);
	await page.screenshot({ path });
	const bytes = statSync(path).size;
	if (bytes > MAX_BYTES) throw new Error(`${name}.png is ${Math.round(bytes / 1024)} KB, over ${MAX_BYTES / 1024} KB`);
	process.stdout.write(`screenshots: ${name}.png (${Math.round(bytes / 1024)} KB)\n`);
}

/** Opens a canvas node's parameter panel by double-clicking its name. */
async function openNode(page: Page, url: string, node: string): Promise<void> {
	await page.goto(url);
	// Not the sticky note, which may mention the node's name.
	const label = page.locator('.vue-flow__node').filter({ hasText: node, hasNot: page.locator('[data-test-id="sticky"]') }).first();
	await label.waitFor({ timeout: 30_000 });
	await label.dblclick();
	await page.locator('[data-test-id="ndv-close-button"]').first().waitFor({ timeout: 15_000 });
}

async function main(): Promise<void> {
	mkdirSync(OUT, { recursive: true });
	const { chromium } = await loadPlaywright();
	buildPackage();
	const sandbox = await startSandbox({ port: 0 });
	const { n8n, client, owner } = await startN8nWithOwner({ major: 2 });
	let browser: Browser | undefined;
	let page: Page | undefined;
	try {
		const credentials = await createMakiniCredentials(client, sandbox, EXAMPLE_CREDENTIAL_NAMES);
		const examples: ImportedExample[] = [];
		for (const example of loadExamples()) {
			examples.push(await importExample(client, example, { credentials, sandboxUrl: sandbox.url }, { activate: false }));
		}

		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
		page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });

		await page.goto(`${n8n.url}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first().fill(owner.email);
		await page.locator('input[type="password"]').first().fill(owner.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });

		// The node panel and the action nodes' forms are e2e/screenshots/panel.ts's and the
		// browser suite's (test/browser); here the triggers and an example.
		await page.goto(workflowUrl(n8n.url, examples, '03-connection-health-alert.json'));
		await page.locator('.vue-flow__node').first().waitFor({ timeout: 30_000 });
		const gotIt = page.getByText('Got it', { exact: true });
		if (await gotIt.count()) await gotIt.first().click();

		// 1. The Makini Trigger and its events.
		await openNode(page, workflowUrl(n8n.url, examples, '01-work-order-needs-parts-purchase-order.json'), 'Work order changed');
		await page.locator('[data-test-id="parameter-input-events"]').first().click();
		await save(page, 'makini-trigger-events');

		// 2. The Connection Health Trigger.
		await openNode(page, workflowUrl(n8n.url, examples, '03-connection-health-alert.json'), 'Sync failed or reauthorization required');
		await page.locator('[data-test-id="parameter-input-alerts"]').first().click();
		await save(page, 'connection-health-trigger');

		// 3. An example workflow on the canvas.
		await page.goto(workflowUrl(n8n.url, examples, '01-work-order-needs-parts-purchase-order.json'));
		await page.locator('.vue-flow__node').first().waitFor({ timeout: 30_000 });
		await save(page, 'example-work-order-purchase-order');
	} catch (error) {
		// What the page showed when a step failed, for whoever fixes the selectors.
		if (process.env.SCREENSHOTS_DEBUG_DIR && page) await page.screenshot({ path: join(process.env.SCREENSHOTS_DEBUG_DIR, 'failed-step.png') });
		throw error;
	} finally {
		await browser?.close();
		await n8n.stop();
		await sandbox.close();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`screenshots: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});

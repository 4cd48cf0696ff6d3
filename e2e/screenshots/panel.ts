/**
 * The node panel of the real n8n 2.x editor with this package, searched as a builder
 * would: "Makini", "purchase order", "create purchase order", "work order status"; then
 * Makini ERP's actions, scrolled to its purchase orders, and one of them added. Saves docs/screenshots/panel-*.png and
 * prints what each search listed (which nodes, which actions under which heading), for
 * the README. Run by `npm run screenshots:panel` (chromium and playwright-core as for
 * `npm run screenshots`).
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
/** A loaded machine (CI on 2 cores) can take long to serve the editor's first page. */
const SLOW = 180_000;
const SEARCHES = ['Makini', 'purchase order', 'create purchase order', 'work order status'];

// The few playwright-core types used here (the module lives in e2e/screenshots/node_modules).
interface Locator {
	first(): Locator;
	nth(index: number): Locator;
	scrollIntoViewIfNeeded(): Promise<void>;
	click(options?: { timeout?: number }): Promise<void>;
	fill(value: string): Promise<void>;
	waitFor(options?: { state?: 'visible' | 'attached'; timeout?: number }): Promise<void>;
	locator(selector: string): Locator;
	filter(options: { hasText?: string | RegExp }): Locator;
	count(): Promise<number>;
	innerText(): Promise<string>;
	allInnerTexts(): Promise<string[]>;
}
interface Page {
	goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' }): Promise<unknown>;
	locator(selector: string): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	keyboard: { press(key: string): Promise<void> };
	waitForURL(test: (url: URL) => boolean, options?: { timeout?: number }): Promise<void>;
	waitForTimeout(ms: number): Promise<void>;
	screenshot(options: { path: string }): Promise<unknown>;
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

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');

async function save(page: Page, name: string): Promise<void> {
	const path = join(OUT, `${name}.png`);
	await page.waitForTimeout(800);
	await page.screenshot({ path });
	const bytes = statSync(path).size;
	if (bytes > MAX_BYTES) throw new Error(`${name}.png is ${Math.round(bytes / 1024)} KB, over ${MAX_BYTES / 1024} KB`);
	process.stdout.write(`screenshots: ${name}.png (${Math.round(bytes / 1024)} KB)\n`);
}

/** The panel's list as text, one line per entry (headings, nodes, actions). */
async function panelText(page: Page): Promise<string> {
	const text = await page.locator('[data-test-id="node-creator"]').first().innerText();
	return text
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
		.join(' | ');
}

async function openPanel(page: Page, url: string): Promise<Locator> {
	await page.goto(url, { timeout: SLOW, waitUntil: 'domcontentloaded' });
	await page.locator('.vue-flow__node').first().waitFor({ timeout: SLOW });
	const gotIt = page.getByText('Got it', { exact: true });
	if (await gotIt.count()) await gotIt.first().click();
	await page.keyboard.press('n');
	const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
	await search.waitFor({ timeout: 60_000 });
	return search;
}

async function main(): Promise<void> {
	mkdirSync(OUT, { recursive: true });
	const { chromium } = await loadPlaywright();
	buildPackage();
	const sandbox = await startSandbox({ port: 0 });
	const { n8n, client, owner } = await startN8nWithOwner({ major: 2 });
	let browser: Browser | undefined;
	try {
		const credentials = await createMakiniCredentials(client, sandbox, EXAMPLE_CREDENTIAL_NAMES);
		const examples: ImportedExample[] = [];
		for (const example of loadExamples()) {
			examples.push(await importExample(client, example, { credentials, sandboxUrl: sandbox.url }, { activate: false }));
		}
		// A workflow with a trigger, so the panel offers actions.
		const example = examples.find((e) => e.file === '03-connection-health-alert.json');
		if (!example) throw new Error('No example 03');
		const url = `${n8n.url}/workflow/${example.workflow.id}`;

		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
		const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
		await page.goto(`${n8n.url}/signin`, { timeout: SLOW, waitUntil: 'domcontentloaded' });
		await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first().waitFor({ timeout: SLOW });
		await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first().fill(owner.email);
		await page.locator('input[type="password"]').first().fill(owner.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: SLOW });

		const items = page.locator('[data-test-id="node-creator-item-name"]');
		for (const phrase of SEARCHES) {
			const search = await openPanel(page, url);
			await search.fill(phrase);
			await items.filter({ hasText: 'Makini' }).first().waitFor({ timeout: 60_000 });
			await save(page, `panel-search-${slug(phrase)}`);
			process.stdout.write(`panel: search "${phrase}": ${await panelText(page)}\n`);
		}

		// Makini ERP's actions, from the search "create purchase order". n8n 2.x shows a
		// community node's actions in its details view, which has no search of its own.
		const search = await openPanel(page, url);
		await search.fill('create purchase order');
		await items.filter({ hasText: /^Makini ERP$/ }).first().click();
		const heading = page.getByText(/^Purchase Order Actions$/i).first();
		await heading.waitFor({ timeout: 60_000 });
		process.stdout.write(`panel: Makini ERP after "create purchase order": ${await panelText(page)}\n`);
		await heading.scrollIntoViewIfNeeded();
		await save(page, 'panel-makini-erp-actions');

		// The action added: Resource and Operation set by it.
		await page.getByText('Create a purchase order', { exact: true }).first().click();
		await page.locator('[data-test-id="ndv-close-button"]').first().waitFor({ timeout: 60_000 });
		await save(page, 'panel-makini-erp-from-action');
		const parameters = await page.locator('[data-test-id="node-parameters"], .ndv-wrapper').first().innerText();
		process.stdout.write(`panel: added node parameters: ${parameters.split('\n').slice(0, 30).join(' | ')}\n`);
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

/**
 * The browser suite's helpers: Debian's chromium driven by playwright-core (installed in
 * e2e/screenshots, no browser download), a page that counts what a builder does (clicks,
 * typed fields, key presses), and screenshots into docs/screenshots.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { REPO_ROOT } from '../../e2e/lib';

export const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const MAX_BYTES = 300 * 1024;

// The few playwright-core types used here. The module lives in e2e/screenshots/node_modules,
// which a fresh clone does not have: a typed import would break the root typecheck.
export interface Locator {
	first(): Locator;
	last(): Locator;
	nth(index: number): Locator;
	scrollIntoViewIfNeeded(): Promise<void>;
	click(options?: { timeout?: number; force?: boolean }): Promise<void>;
	dblclick(options?: { timeout?: number }): Promise<void>;
	hover(options?: { timeout?: number }): Promise<void>;
	fill(value: string, options?: { timeout?: number }): Promise<void>;
	press(key: string): Promise<void>;
	pressSequentially(text: string, options?: { delay?: number }): Promise<void>;
	waitFor(options?: { state?: 'visible' | 'attached' | 'hidden'; timeout?: number }): Promise<void>;
	locator(selector: string): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	filter(options: { hasText?: string | RegExp; hasNot?: Locator; has?: Locator }): Locator;
	count(): Promise<number>;
	innerText(): Promise<string>;
	inputValue(): Promise<string>;
	allInnerTexts(): Promise<string[]>;
	isVisible(): Promise<boolean>;
	getAttribute(name: string): Promise<string | null>;
	evaluateAll<R>(fn: (elements: Array<{ getAttribute(name: string): string | null; textContent: string | null }>) => R): Promise<R>;
}
export interface Page {
	goto(url: string): Promise<unknown>;
	url(): string;
	locator(selector: string): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Locator;
	getByPlaceholder(text: string | RegExp, options?: { exact?: boolean }): Locator;
	keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
	waitForURL(test: (url: URL) => boolean, options?: { timeout?: number }): Promise<void>;
	waitForTimeout(ms: number): Promise<void>;
	screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
	setDefaultTimeout(ms: number): void;
}
export interface Browser {
	newPage(options: { viewport: { width: number; height: number }; deviceScaleFactor?: number }): Promise<Page>;
	close(): Promise<void>;
}
interface Playwright {
	chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> };
}

export function loadPlaywright(): Playwright {
	const requireFromScreenshots = createRequire(join(REPO_ROOT, 'e2e', 'screenshots', 'package.json'));
	return requireFromScreenshots('playwright-core') as Playwright;
}

export async function launchChromium(): Promise<Browser> {
	return await loadPlaywright().chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Saves docs/screenshots/<name>.png once transitions have settled; refuses oversized files. */
export async function screenshot(page: Page, name: string): Promise<string> {
	const path = join(SCREENSHOTS, `${name}.png`);
	await page.waitForTimeout(600);
	await page.screenshot({ path });
	const bytes = statSync(path).size;
	if (bytes > MAX_BYTES) throw new Error(`${name}.png is ${Math.round(bytes / 1024)} KB, over ${MAX_BYTES / 1024} KB`);
	return path;
}

/**
 * What a builder does, counted: each click, each field typed into and each key pressed is
 * one step. A job's count is what the report gives for it.
 */
export class Steps {
	clicks = 0;
	typed = 0;
	keys = 0;
	private readonly log: string[] = [];

	async click(locator: Locator, what: string, options: { timeout?: number; double?: boolean } = {}): Promise<void> {
		await (options.double ? locator.dblclick({ timeout: options.timeout }) : locator.click({ timeout: options.timeout }));
		this.clicks += options.double ? 2 : 1;
		this.log.push(`click ${what}`);
	}

	async type(locator: Locator, text: string, what: string): Promise<void> {
		await locator.fill(text);
		this.typed++;
		this.log.push(`type "${text}" into ${what}`);
	}

	async press(page: Page, key: string, what: string): Promise<void> {
		await page.keyboard.press(key);
		this.keys++;
		this.log.push(`press ${key} (${what})`);
	}

	get total(): number {
		return this.clicks + this.typed + this.keys;
	}

	summary(job: string): string {
		return `${job}: ${this.total} steps (${this.clicks} clicks, ${this.typed} fields typed, ${this.keys} keys)\n  ${this.log.join('\n  ')}`;
	}
}

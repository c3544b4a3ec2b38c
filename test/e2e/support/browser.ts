import fs from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { PASSWORD } from '../../support/fixtures.js';

/** Debian's Chromium, driven by playwright-core: no browser download, ever. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export const browserAvailable = fs.existsSync(CHROMIUM_PATH);
if (!browserAvailable) {
  if (process.env.REQUIRE_BROWSER === '1')
    throw new Error(`Chromium is required (REQUIRE_BROWSER=1) but ${CHROMIUM_PATH} does not exist: apt-get install -y chromium`);
  console.warn(`\n[warn] ${CHROMIUM_PATH} not found: the browser end-to-end suites are skipped (apt-get install -y chromium).\n`);
}

/** `describe`, or `describe.skip` when there is no Chromium (and it is not required). */
export const describeBrowser = browserAvailable ? describe : describe.skip;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * A fresh context (own cookies) and page, with what went wrong in the page recorded:
 * uncaught exceptions and any alert/confirm dialog (none is expected anywhere in the app).
 */
export async function newPage(browser: Browser, baseUrl: string) {
  const context: BrowserContext = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  const page: Page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return { context, page, pageErrors, dialogs, close: () => context.close() };
}

/** Signs in through the login form. Waits until the app has left the login page. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Picks an option of a Mantine Select or MultiSelect by its label. */
export async function pick(page: Page, fieldLabel: string, option: string, scope: Page | ReturnType<Page['locator']> = page) {
  const escaped = fieldLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Required fields' labels end with an asterisk; the dropdown's listbox is labelled too, so take the input.
  const input = scope.getByLabel(new RegExp(`^${escaped}( \\*)?$`)).and(page.locator('input:not([type=hidden])'));
  await input.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

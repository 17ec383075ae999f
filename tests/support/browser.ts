import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './cli.js';

/** Debian's chromium (`.ci/run` installs it); OSIRIS_CHROMIUM points elsewhere. Missing, the tests fail. */
const executablePath = process.env.OSIRIS_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep a headless chromium off the network and quiet on a machine without one. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Headless chromium with a fresh profile (playwright creates and removes a temporary user data dir). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath, args: ARGS });
}

/** A page that records console errors and uncaught exceptions, to assert a page rendered cleanly. */
export async function newCheckedPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return { page, errors };
}

/** Saves a full-page screenshot under test-artifacts/ (git-ignored) and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(repoRoot, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

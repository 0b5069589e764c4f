/**
 * Debian's Chromium driven by playwright-core, for the end-to-end UI tests and the UI speed bench. No
 * browser is downloaded: `.ci/run` installs the `chromium` package when it is missing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Screenshots of the views land here (ignored by git; the README's copies live in docs/screenshots). */
export const SCREENSHOTS = fileURLToPath(new URL('../out/screenshots', import.meta.url));

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** Saves a screenshot of the whole page under `name`.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// Real Chromium for the shop's end-to-end tests, started the way scripts/browser.mjs says works here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
// @ts-expect-error plain ESM helper without types
import { chromeArgs, findBrowser } from '../../../scripts/browser.mjs';

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Launches headless Chromium with a throwaway profile. */
export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = (findBrowser() as string | null) ?? '/usr/bin/chromium';
  const profile = mkdtempSync(join(tmpdir(), 'temper-e2e-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [...(chromeArgs as string[]), `--user-data-dir=${profile}`],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

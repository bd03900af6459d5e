// axe-core from npm, run inside real Chromium (it walks the widget's open shadow root too): shared by the
// accessibility test and the feature tests that check what they add.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'puppeteer-core';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** Runs axe on the whole page (WCAG 2.x A/AA rules and axe's best practices) and returns its violations. */
export async function axe(page: Page): Promise<Violation[]> {
  // Runtime.evaluate over the DevTools protocol: the page's CSP (no inline, no eval) does not apply to it.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: Violation[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

export async function assertClean(page: Page, what: string) {
  const v = await axe(page);
  assert.deepEqual(v, [], `${what}: axe violations\n${JSON.stringify(v, null, 1)}`);
}


// Drives the shop's agent console (/agent) the way an agent does: the demo sign-in, the presence switch, the
// queue, claiming, replying. Selectors are the console's own classes and data attributes.
import { waitFor } from './poll.ts';
import type { Page } from 'puppeteer-core';

export interface ShownQueueItem {
  conversationId: string;
  language: string;
  level: string;
  reasons: string[];
  wait: string;
}

export interface ShownLine {
  from: string;
  who: string;
  text: string;
}

/** Opens /agent (or /reports) and signs in through the demo form. */
export async function signIn(page: Page, shopUrl: string, name: string, role: 'agent' | 'supervisor' = 'agent', path = '/agent'): Promise<void> {
  await page.goto(`${shopUrl}${path}`);
  const input = await page.waitForSelector('#signin-name', { visible: true });
  await input!.type(name);
  const radio = await page.$(`input[name="role"][value="${role}"]`);
  if (radio) await radio.click();
  await page.click('.signin-form button[type="submit"]');
}

/** Switches the agent online and waits until the console says so. */
export async function goOnline(page: Page): Promise<void> {
  const button = await page.waitForSelector('button.presence:not([disabled])', { visible: true });
  if ((await button!.evaluate((b) => b.getAttribute('aria-pressed'))) !== 'true') await button!.click();
  await page.waitForSelector('button.presence[aria-pressed="true"]');
}

/** The queue as the console shows it, top to bottom. */
export function queueItems(page: Page): Promise<ShownQueueItem[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.queue-list > li.queue-item')].map((li) => ({
      conversationId: li.dataset.conversationId ?? '',
      language: li.dataset.language ?? '',
      level: li.querySelector('.qi-level')?.textContent?.trim() ?? '',
      reasons: [...li.querySelectorAll<HTMLElement>('.reason')].map((r) => r.dataset.reason ?? ''),
      wait: li.querySelector('.qi-wait time')?.textContent ?? '',
    })),
  );
}

/** Waits until the console's queue satisfies `pred`. */
export function waitForQueue(page: Page, pred: (items: ShownQueueItem[]) => boolean, what: string, timeoutMs?: number): Promise<ShownQueueItem[]> {
  return waitFor(() => queueItems(page), pred, what, timeoutMs);
}

/** Clicks Claim on the queue row of `conversationId` (the button is enabled once the agent is online). */
export async function clickClaim(page: Page, conversationId: string): Promise<void> {
  await page.waitForSelector(`li.queue-item[data-conversation-id="${conversationId}"] button.claim:not([disabled])`);
  await page.$eval(`li.queue-item[data-conversation-id="${conversationId}"] button.claim`, (b) => (b as HTMLButtonElement).click());
}

/** The open chat's transcript in the console (messages only). */
export function consoleTranscript(page: Page): Promise<ShownLine[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.transcript > li.msg')].map((li) => ({
      from: [...li.classList].find((c) => c.startsWith('from-'))?.slice(5) ?? '?',
      who: li.querySelector('.who')?.textContent ?? '',
      text: li.querySelector('.text')?.textContent ?? '',
    })),
  );
}

/** Waits until the open chat's transcript satisfies `pred`. */
export function waitForConsoleTranscript(page: Page, pred: (lines: ShownLine[]) => boolean, what: string, timeoutMs?: number): Promise<ShownLine[]> {
  return waitFor(() => consoleTranscript(page), pred, what, timeoutMs);
}

/** Types a reply in the open chat and sends it with Enter. */
export async function reply(page: Page, text: string): Promise<void> {
  const box = await page.waitForSelector('#reply-input:not([disabled])', { visible: true });
  await box!.click();
  await box!.type(text);
  await page.keyboard.press('Enter');
}

/** The console's alert line (errors, the claim conflict). */
export function alertText(page: Page): Promise<string> {
  return page.$eval('p.alert', (p) => p.textContent ?? '');
}

/** The widget's handoff banner text ('' when hidden). */
export function widgetBanner(page: Page): Promise<string> {
  return page.evaluate(() => {
    const b = document.querySelector('temper-widget')?.shadowRoot?.querySelector<HTMLElement>('.banner');
    return b && !b.hidden ? (b.textContent ?? '').trim() : '';
  });
}

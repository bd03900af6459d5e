// Drives the Temper widget on a page the way a visitor does: real clicks and keystrokes inside its shadow root.
import type { Page } from 'puppeteer-core';
import { waitFor } from './poll.ts';

export interface ShownMessage {
  from: string;
  text: string;
  status: string;
}

/** Opens the chat panel from the launcher and waits for the composer. */
export async function openChat(page: Page): Promise<void> {
  const launcher = await page.waitForSelector('pierce/button.launcher', { visible: true });
  const expanded = await launcher!.evaluate((b) => b.getAttribute('aria-expanded'));
  if (expanded !== 'true') await launcher!.click();
  await page.waitForSelector('pierce/textarea.input', { visible: true });
}

/** Types a message into the composer and presses Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const input = await page.waitForSelector('pierce/textarea.input', { visible: true });
  await input!.click();
  await input!.type(text);
  await page.keyboard.press('Enter');
}

/** The transcript as the visitor sees it. */
export function transcript(page: Page): Promise<ShownMessage[]> {
  return page.evaluate(() => {
    const root = document.querySelector('temper-widget')?.shadowRoot;
    if (!root) return [];
    return [...root.querySelectorAll<HTMLElement>('.list li.msg')].map((li) => {
      const bubble = li.querySelector('.bubble')?.cloneNode(true) as HTMLElement | undefined;
      bubble?.querySelectorAll('.sr').forEach((s) => s.remove());
      const from = ['visitor', 'bot', 'agent', 'system'].find((c) => li.classList.contains(c)) ?? '?';
      return { from, text: (bubble?.textContent ?? '').trim(), status: li.dataset.status ?? '' };
    });
  });
}

/** Waits until the transcript satisfies `pred`, polling; fails with the last transcript on time-out. */
export function waitForTranscript(
  page: Page,
  pred: (t: ShownMessage[]) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<ShownMessage[]> {
  return waitFor(() => transcript(page), pred, what, timeoutMs);
}

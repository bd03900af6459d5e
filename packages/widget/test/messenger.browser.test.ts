// Messenger defects of issue 12, in real Chromium against the real @temper/server of the test runner
// (web-test-runner.config.mjs: echo bot, `bot?hold=1` gate), on a desktop window and on a 390×844 touch screen
// (CDP emulation, real touch taps and swipes: the `temper-*` commands of the config). The built npm entry.
import { executeServerCommand, sendKeys, sendMouse } from '@web/test-runner-commands';
import { createWidget, type Widget, type WidgetError } from '@temper/widget';
import { assert, equal, shadowOf, waitFor } from './helpers.js';

let widget: Widget | null = null;
let errors: WidgetError[] = [];
let phone = false;

const control = (q: string) => fetch(`/__temper_test__/${q}`).then((r) => r.json());

async function setPhone(on: boolean) {
  await executeServerCommand('temper-phone', { on });
  phone = on;
  await waitFor(() => (innerWidth === 390) === on, `viewport ${on ? '390 px' : 'desktop'}`);
}

async function bootAndOpen(extra: Record<string, unknown> = {}) {
  widget = createWidget();
  const mine: WidgetError[] = (errors = []);
  widget.on('error', (e) => mine.push(e));
  widget.boot({ endpoint: '/temper/v1', storage: 'none', locale: 'en', scoring: 'off', ...extra });
  widget.open();
  const root = await waitFor(() => shadowOf(), 'shadow root');
  const panel = await waitFor(() => root.querySelector<HTMLElement>('.panel:not([hidden])'), 'open panel');
  const input = root.querySelector('textarea')!;
  await waitFor(() => root.activeElement === input, 'focus in the composer');
  return { root, panel, input };
}

const center = (el: Element) => {
  const r = el.getBoundingClientRect();
  return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };
};

/** Presses Send the way the visitor does: a touch tap on a phone, a mouse click on a desktop. */
async function pressSend(root: ShadowRoot) {
  const p = center(root.querySelector('.send')!);
  if (phone) await executeServerCommand('temper-tap', p);
  else await sendMouse({ type: 'click', position: [p.x, p.y] });
}

const bots = (root: ShadowRoot) => root.querySelectorAll('.msg.bot').length;
const enter = (input: HTMLTextAreaElement, text: string) => {
  input.value = text;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
};
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

/** True when the thread's newest message is wholly inside the list's box. */
function lastVisible(list: HTMLElement) {
  const items = list.querySelectorAll('.msg');
  const last = items[items.length - 1]!.getBoundingClientRect();
  const box = list.getBoundingClientRect();
  return last.bottom <= box.bottom + 1 && last.top >= box.top - 1;
}

/** Six long messages and their replies, each followed into view: a thread that overflows, read at the bottom. */
async function longThread(root: ShadowRoot, input: HTMLTextAreaElement) {
  const list = root.querySelector<HTMLElement>('.list')!;
  const line = 'Could you check my order please? '.repeat(4);
  for (let i = 1; i <= 6; i++) {
    const before = bots(root);
    enter(input, `${i}. ${line}`);
    await waitFor(() => bots(root) > before, `reply ${i}`);
    await waitFor(() => lastVisible(list), `reply ${i} scrolled into view`, 3000);
  }
  assert(list.scrollHeight > list.clientHeight * 1.5, 'the thread overflows');
  return list;
}

/** Sends a message to the held bot and waits until it is stored and the bot's typing indicator shows. */
async function askHeldBot(root: ShadowRoot, input: HTMLTextAreaElement, text: string) {
  await control('bot?hold=1');
  enter(input, text);
  await waitFor(
    () => root.querySelector('.msg.visitor:last-of-type[data-status="sent"]')?.textContent?.includes(text) && root.querySelector('.typing:not([hidden])') && lastVisible(root.querySelector('.list')!),
    'own message stored, the bot typing',
  );
}

beforeEach(async () => {
  await control('bot?hold=0');
});
afterEach(async () => {
  await control('bot?hold=0');
  await widget?.shutdown();
  widget = null;
  if (phone) await setPhone(false);
  document.documentElement.dir = '';
  document.querySelectorAll('.page-probe').forEach((e) => e.remove());
  scrollTo(0, 0);
});

for (const device of ['desktop', 'phone'] as const) {
  describe(`messenger on a ${device === 'phone' ? '390×844 touch screen' : 'desktop'}`, () => {
    beforeEach(async () => {
      if (device === 'phone') await setPhone(true);
    });

    it('a message over 2,000 characters stays in the composer with an accessible error; nothing is lost', async () => {
      const { root, input } = await bootAndOpen();
      const long = 'x'.repeat(1990) + ' the end 😀 ' + 'y'.repeat(10); // 2,011 code points
      input.value = long;
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await pressSend(root);
      const err = await waitFor(() => root.querySelector<HTMLElement>('.composer-error:not([hidden])'), 'the error');
      equal(input.value, long, 'the text is still in the composer');
      equal(root.querySelectorAll('.msg').length, 0, 'nothing was sent');
      equal(err.getAttribute('role'), 'alert', 'announced');
      assert(/2,000/.test(err.textContent!) && /2,011/.test(err.textContent!), `says the limit and the length: ${err.textContent}`);
      equal(input.getAttribute('aria-invalid'), 'true', 'composer marked invalid');
      assert(input.getAttribute('aria-describedby')!.split(' ').includes(err.id), 'the error describes the composer');
      assert(errors.some((e) => e.code === 'message-too-long'), 'the host hears message-too-long');
      equal(root.activeElement, input, 'focus stays in the composer');

      // Shortened to the limit, it sends, and the error goes.
      input.value = [...long].slice(0, 2000).join('');
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await waitFor(() => root.querySelector<HTMLElement>('.composer-error')!.hidden, 'error cleared once it fits');
      equal(input.getAttribute('aria-invalid'), null, 'valid again');
      await pressSend(root);
      await waitFor(() => root.querySelectorAll('.msg.visitor').length === 1, 'sent');
      equal(input.value, '', 'the composer clears only after a message was accepted');
    });

    it('tapping Send keeps focus (and the phone keyboard) in the composer', async () => {
      const { root, input } = await bootAndOpen();
      let blurs = 0;
      input.addEventListener('blur', () => blurs++);
      for (const text of ['first', 'second']) {
        input.value = text;
        await pressSend(root);
        await waitFor(() => [...root.querySelectorAll('.msg.visitor')].some((m) => m.textContent!.includes(text)), `"${text}" sent`);
        equal(root.activeElement, input, `focus in the composer after sending "${text}"`);
      }
      equal(blurs, 0, 'the composer never lost focus (a blur closes a phone keyboard)');
    });

    it('follows new messages, unless the visitor scrolled up: then an accessible "new messages" button', async () => {
      const { root, input } = await bootAndOpen();
      const list = await longThread(root, input);

      // The visitor scrolls up to reread; a reply arrives: it must not yank them down. Scrolled only once the
      // held bot's typing indicator shows: this case is the scroll event's (a script or assistive technology
      // scrolling, no input); the render racing a hand's scroll is the next case.
      const before = bots(root);
      await askHeldBot(root, input, 'one more question');
      const scrolled = new Promise((r) => list.addEventListener('scroll', r, { once: true }));
      list.scrollTop = 0;
      await scrolled;
      await frames();
      await control('bot?hold=0');
      await waitFor(() => bots(root) > before, 'the reply');
      const pill = await waitFor(() => root.querySelector<HTMLButtonElement>('button.new-messages:not([hidden])'), 'the new-messages button');
      equal(list.scrollTop, 0, 'the reader stayed where they were');
      equal(pill.textContent, 'New messages', 'labelled');
      if (phone) await executeServerCommand('temper-tap', center(pill));
      else pill.click();
      await waitFor(() => lastVisible(list), 'the button scrolls to the newest message');
      await waitFor(() => pill.hidden, 'and goes away');
    });

    it('a reply rendered between the reader\'s scroll and its scroll event does not pull them back down', async () => {
      const { root, input } = await bootAndOpen();
      const list = await longThread(root, input);
      // The browser fires `scroll` at the next frame; a render in between still saw the reader at the bottom and
      // followed the thread down again. Made certain here: the reader's wheel and the scroll it makes happen in
      // the task that delivers the reply (the widget's `message` listeners run before Preact renders it).
      let read = -1;
      widget!.on('message', (m) => {
        if (m.from !== 'bot' || read >= 0) return;
        list.dispatchEvent(new WheelEvent('wheel', { deltaY: -300, bubbles: true }));
        list.scrollTop -= 300;
        read = list.scrollTop;
      });
      const before = bots(root);
      enter(input, 'one more question');
      await waitFor(() => bots(root) > before, 'the reply');
      await waitFor(() => root.querySelector('button.new-messages:not([hidden])'), 'the new-messages button');
      await frames();
      assert(read > 0, `the reader scrolled up from the bottom (to ${read})`);
      equal(list.scrollTop, read, 'the reader stayed where they scrolled to');
      assert(!lastVisible(list), 'the reply is below, behind the button');
    });

    for (const how of device === 'phone' ? ['a slow finger'] : ['a trackpad', 'the arrow keys'])
    it(`scrolling up by hand in small steps (${how}) is not undone`, async () => {
      const { root, input } = await bootAndOpen();
      const list = await longThread(root, input);
      const before = bots(root);
      await askHeldBot(root, input, 'one more question');
      const bottom = list.scrollTop;
      // Every step is under the 40 px that count as "at the bottom", and that margin snapped each one back: 20 px
      // finger moves and wheel steps, and an arrow key's 40 px, scrolled smoothly in frames of 3, 8, 15 px.
      const c = center(list);
      if (phone) await executeServerCommand('temper-swipe', { x: c.x, y: c.y - 100, dy: -200 });
      else if (how === 'a trackpad') for (let i = 0; i < 5; i++) await executeServerCommand('temper-wheel', { ...c, dy: -20 });
      else {
        list.focus();
        for (let i = 0; i < 3; i++) await sendKeys({ press: 'ArrowUp' });
      }
      // Key presses scroll smoothly (frames later); a fling may go on.
      const { at: read } = await waitFor(() => list.scrollTop < bottom - 60 && { at: list.scrollTop }, `scrolled up by hand from ${bottom}`, 3000);
      await control('bot?hold=0');
      await waitFor(() => bots(root) > before, 'the reply');
      await waitFor(() => root.querySelector('button.new-messages:not([hidden])'), 'the new-messages button');
      await frames();
      // A touch fling may still carry the list further up; never down.
      assert(list.scrollTop <= read, `the reply did not pull the reader down (${read} → ${list.scrollTop})`);
    });
  });
}

describe('messenger layout', () => {
  it('on an RTL page the panel keeps its own direction; each message takes the direction of its text', async () => {
    document.documentElement.dir = 'rtl';
    for (const locale of ['en', 'zh-CN']) {
      const { root, panel, input } = await bootAndOpen({ locale });
      equal(panel.getAttribute('dir'), 'ltr', `${locale}: dir on the widget's root from its locale`);
      equal(getComputedStyle(panel).direction, 'ltr', `${locale}: panel is LTR`);
      equal(getComputedStyle(input).direction, 'ltr', `${locale}: composer (placeholder) is LTR when empty`);
      equal(input.getAttribute('dir'), 'auto', 'the composer follows what is typed');
      widget!.send('مرحبا، أين طلبي؟');
      widget!.send('Hello, where is my order?');
      await waitFor(() => root.querySelectorAll('.msg.visitor').length === 2, 'two messages');
      const [ar, en] = [...root.querySelectorAll<HTMLElement>('.msg.visitor .bubble')];
      equal(ar!.getAttribute('dir'), 'auto', 'dir=auto per message');
      assert(ar!.matches(':dir(rtl)'), 'the Arabic message is RTL');
      assert(en!.matches(':dir(ltr)'), 'the English message is LTR');
      // The launcher still sits at the page's inline end (left on an RTL page).
      assert(root.querySelector('.launcher')!.getBoundingClientRect().right < innerWidth / 2, 'launcher on the left');
      await widget!.shutdown();
      widget = null;
    }
  });

  it('the composer grows with its content up to a limit, then scrolls', async () => {
    const { input } = await bootAndOpen();
    const h0 = input.getBoundingClientRect().height;
    input.focus();
    await sendKeys({ type: 'line one' });
    for (const l of ['two', 'three']) {
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Shift' });
      await sendKeys({ type: `line ${l}` });
    }
    equal(input.value, 'line one\nline two\nline three', 'three lines typed');
    const h3 = await waitFor(() => (input.getBoundingClientRect().height > h0 + 30 ? input.getBoundingClientRect().height : 0), 'grown for three lines');
    assert(input.scrollHeight <= input.clientHeight + 1, `three lines fit without scrolling (${h0} → ${h3} px)`);
    input.value = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await waitFor(() => input.scrollHeight > input.clientHeight, 'twenty lines scroll');
    const hMax = input.getBoundingClientRect().height;
    assert(hMax <= 121 && hMax > h3, `capped at 120 px (got ${hMax})`);
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await waitFor(() => Math.abs(input.getBoundingClientRect().height - h0) < 1, 'back to one line when emptied');
  });

  it('the page behind the full-screen phone panel does not scroll; on a desktop the page still does', async () => {
    const tall = document.createElement('div');
    tall.className = 'page-probe';
    tall.style.height = '4000px';
    document.body.append(tall);
    await setPhone(true);
    const { root } = await bootAndOpen();
    const head = root.querySelector('.head')!;
    const p = center(head);
    await executeServerCommand('temper-swipe', { ...p, dy: 400 });
    await executeServerCommand('temper-swipe', { x: p.x, y: 400, dy: 400 });
    equal(scrollY, 0, 'the page did not scroll under the panel');
    widget!.close();
    await waitFor(() => root.querySelector<HTMLElement>('.panel')!.hidden, 'closed');
    await executeServerCommand('temper-swipe', { x: 100, y: 500, dy: 300 });
    await waitFor(() => scrollY > 0, 'with the panel closed the page scrolls again');
    scrollTo(0, 0);
    await setPhone(false);
    widget!.open();
    await waitFor(() => !root.querySelector<HTMLElement>('.panel')!.hidden, 'open on a desktop');
    equal(getComputedStyle(document.documentElement).overflowY, 'visible', 'a desktop page keeps its scrolling');
  });
});

import { h, render } from 'preact';
import { effect, signal } from '@preact/signals';
import type { MountPanel } from '../core/types.js';
import { PANEL_STRINGS } from '../ui/strings.js';
import { PANEL_CSS } from './panel-css.js';
import { Panel, who } from './Panel.js';

/**
 * Renders the chat panel into the widget's shadow root. The core is injected: this chunk shares no module
 * instance with temper.js, only the `PanelCore` interface. The conversation (same chunk) is read through its
 * signals, so the panel re-renders exactly when what it shows changed.
 *
 * @example
 * const handle = mount(core, shadowRoot, conversation);
 * handle.focus();
 */
export const mount: MountPanel = (core, root, conv) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PANEL_CSS);
  // Sized from the host, which the shell keeps over the visual viewport (ui/shell.ts): the composer stays
  // above the on-screen keyboard and the close button on-screen on pages wider than the phone.
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];

  // The core's part of the view (open, locale) lives in temper.js, which has no signals: this is its one
  // signal here, set from the core's own notification.
  const view = signal(core.getState());
  const unsubscribe = core.subscribe(() => (view.value = core.getState()));
  const announce = signal('');
  // Everything already in the transcript was seen on an earlier page or before the panel loaded: announcing
  // it again would read the whole history aloud on every navigation.
  const seen = new Set(conv.state.messages.peek().map((m) => m.key));
  const stopAnnouncing = effect(() => {
    const all = conv.state.messages.value;
    const fresh = all.filter((m) => !seen.has(m.key) && m.status === 'sent' && m.from !== 'visitor');
    for (const m of all) if (m.status === 'sent') seen.add(m.key);
    if (fresh.length) {
      const s = PANEL_STRINGS[view.peek().locale];
      announce.value = fresh.map((m) => s.newMessage(who(m, s), m.text)).join('\n');
    }
  });

  // The full-screen phone panel (panel-css.ts, max-width 480px) covers the page: the page must not scroll
  // behind it. A constructed sheet on the document, so strict CSPs allow it, only while the panel is open.
  const lock = new CSSStyleSheet();
  lock.replaceSync('@media (max-width:480px){html{overflow:hidden!important}}');
  const unlock = () => (document.adoptedStyleSheets = document.adoptedStyleSheets.filter((x) => x !== lock));
  const stopLocking = effect(() => {
    unlock();
    if (view.value.open) document.adoptedStyleSheets = [...document.adoptedStyleSheets, lock];
  });

  const container = document.createElement('div');
  root.append(container);
  const inputRef: { current: HTMLTextAreaElement | null } = { current: null };
  render(<Panel core={core} view={view} conv={conv} announce={announce} inputRef={inputRef} />, container);

  return {
    focus() {
      inputRef.current?.focus();
    },
    unmount() {
      unsubscribe();
      stopAnnouncing();
      stopLocking();
      unlock();
      render(null, container);
      container.remove();
      root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
    },
  };
};

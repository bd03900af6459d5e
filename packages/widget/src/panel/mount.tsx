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
  // The visual viewport shrinks when the on-screen keyboard opens; size the panel to it so the composer
  // stays visible (https://developer.mozilla.org/docs/Web/API/VisualViewport). A stylesheet, not an inline
  // style attribute, keeps strict CSPs happy.
  const vvSheet = new CSSStyleSheet();
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet, vvSheet];
  const vv = typeof visualViewport === 'undefined' ? null : visualViewport;
  const onViewport = () => {
    if (vv) vvSheet.replaceSync(`:host{--_vvh:${Math.round(vv.height)}px;--_vvt:${Math.round(vv.offsetTop)}px}`);
  };
  onViewport();
  vv?.addEventListener('resize', onViewport);
  vv?.addEventListener('scroll', onViewport);

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
      vv?.removeEventListener('resize', onViewport);
      vv?.removeEventListener('scroll', onViewport);
      render(null, container);
      container.remove();
      root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet && s !== vvSheet);
    },
  };
};

import { h, render } from 'preact';
import { signal } from '@preact/signals';
import type { MountPanel } from '../core/types.js';
import { PANEL_STRINGS } from '../ui/strings.js';
import { PANEL_CSS } from './panel-css.js';
import { Panel, who } from './Panel.js';

/**
 * Renders the chat panel into the widget's shadow root. The core is injected: this chunk shares no module
 * instance with temper.js, only the `PanelCore` interface.
 *
 * @example
 * const handle = mount(core, shadowRoot);
 * handle.focus();
 */
export const mount: MountPanel = (core, root) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PANEL_CSS);
  // Sized from the host, which the shell keeps over the visual viewport (ui/shell.ts): the composer stays
  // above the on-screen keyboard and the close button on-screen on pages wider than the phone.
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];

  const state = signal(core.getState());
  const announce = signal('');
  // Everything already in the transcript was seen on an earlier page or before the panel loaded: announcing
  // it again would read the whole history aloud on every navigation.
  const seen = new Set(state.value.messages.map((m) => m.key));
  const unsubscribe = core.subscribe(() => {
    const next = core.getState();
    const fresh = next.messages.filter((m) => !seen.has(m.key) && m.status === 'sent' && m.from !== 'visitor');
    for (const m of next.messages) if (m.status === 'sent') seen.add(m.key);
    if (fresh.length) {
      const s = PANEL_STRINGS[next.locale];
      announce.value = fresh.map((m) => s.newMessage(who(m, s), m.text)).join('\n');
    }
    state.value = next;
  });

  const container = document.createElement('div');
  root.append(container);
  const inputRef: { current: HTMLTextAreaElement | null } = { current: null };
  render(<Panel core={core} state={state} announce={announce} inputRef={inputRef} />, container);

  return {
    focus() {
      inputRef.current?.focus();
    },
    unmount() {
      unsubscribe();
      render(null, container);
      container.remove();
      root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
    },
  };
};

// The privacy bar at the top of the panel, in plain DOM: temper-scoring.js carries no UI library, and the
// panel chunk (Preact) has no room left under its budget. Text only through textContent, never HTML.
import type { Locale, Signal } from '@temper/protocol';
import { PRIVACY_STRINGS } from '../ui/privacy-strings.js';

/** A signal as the widget recorded it when the server received it (`at`: device time, ms). */
export interface SentSignal extends Signal {
  at: number;
}

/** What the bar shows. */
export interface PrivacyView {
  locale: Locale;
  /** Whether the visitor may switch scoring (false when the host set `scoring: 'off'`). */
  switchable: boolean;
  enabled: boolean;
  unavailable: boolean;
  sent: readonly SentSignal[];
}

export interface PrivacyHandlers {
  onToggle(on: boolean): void;
  onForget(): void;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string) => {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

/**
 * Builds the notice, the mood-detection switch (a labelled checkbox with `role="switch"`), the "What's
 * shared" disclosure listing every signal sent in this conversation, and "Forget this chat".
 *
 * @example
 * const ui = createPrivacyUI({ onToggle: (on) => setScoring(on), onForget: () => forget() });
 * slot.append(ui.el);
 * ui.update({ locale: 'en', switchable: true, enabled: true, unavailable: false, sent: [] });
 */
export function createPrivacyUI(handlers: PrivacyHandlers) {
  const root = el('div', 'privacy-bar');
  const notice = el('p', 'notice');
  notice.id = 'temper-notice';
  const controls = el('div', 'privacy-controls');
  const label = el('label', 'switch');
  const input = el('input', 'switch-input');
  input.type = 'checkbox';
  input.setAttribute('role', 'switch');
  input.setAttribute('aria-describedby', 'temper-notice');
  const labelText = el('span', 'switch-label');
  label.append(input, labelText);
  const toggle = el('button', 'shared-toggle');
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', 'temper-shared');
  controls.append(label, toggle);
  const shared = el('div', 'shared');
  shared.id = 'temper-shared';
  shared.hidden = true;
  const intro = el('p', 'shared-intro');
  const list = el('ol', 'shared-list');
  const empty = el('p', 'shared-empty');
  const forget = el('button', 'forget');
  forget.type = 'button';
  shared.append(intro, list, empty, forget);
  root.append(notice, controls, shared);

  input.addEventListener('change', () => handlers.onToggle(input.checked));
  toggle.addEventListener('click', () => {
    shared.hidden = !shared.hidden;
    toggle.setAttribute('aria-expanded', String(!shared.hidden));
  });
  forget.addEventListener('click', () => handlers.onForget());

  return {
    el: root,
    update(v: PrivacyView) {
      const s = PRIVACY_STRINGS[v.locale];
      notice.textContent = v.enabled ? (v.unavailable ? s.unavailable : s.on) : s.off;
      label.hidden = !v.switchable;
      input.checked = v.enabled;
      labelText.textContent = s.toggle;
      toggle.textContent = s.shared;
      intro.textContent = s.sharedIntro;
      empty.textContent = s.sharedEmpty;
      empty.hidden = v.sent.length > 0;
      intro.hidden = !empty.hidden;
      forget.textContent = s.forget;
      list.replaceChildren(
        ...v.sent.map((sig) => {
          const li = el('li', 'shared-item');
          li.dataset.seq = String(sig.seq);
          li.dataset.level = String(sig.level);
          li.dataset.trend = String(sig.trend);
          const time = el('time', 'shared-time', new Date(sig.at).toLocaleTimeString(v.locale));
          time.dateTime = new Date(sig.at).toISOString();
          li.append(time, ' · ', el('span', 'shared-level', s.levels[sig.level]), ' · ', el('span', 'shared-trend', s.trends[`${sig.trend}`]));
          return li;
        }),
      );
    },
  };
}
export type PrivacyUI = ReturnType<typeof createPrivacyUI>;

// The privacy bar at the top of the panel, in plain DOM: temper-scoring.js carries no UI library, and the
// panel chunk (Preact) has no room left under its budget. Text only through textContent, never HTML.
import type { Locale, Signal } from '@temper/protocol';
import type { StorageMode } from '../core/types.js';
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
  /** Issue 15: where the chat is kept and for how long (the "what's stored" line), and the host's privacy policy. */
  storage: StorageMode;
  idleExpiryHours: number;
  policyUrl?: string | undefined;
}

export interface PrivacyHandlers {
  onToggle(on: boolean): void;
  /** The conversation id as the server knows it (the reference shown before forgetting), or null if none yet. */
  reference(): Promise<string | null>;
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
 * shared" disclosure listing every signal sent in this conversation and what is stored where, and "Forget this
 * chat", which first shows the conversation's reference (with a copy button) and asks to confirm.
 *
 * @example
 * const ui = createPrivacyUI({ onToggle: (on) => setScoring(on), reference: async () => 'c_8f2a', onForget: () => forget() });
 * slot.append(ui.el);
 * ui.update({ locale: 'en', switchable: true, enabled: true, unavailable: false, sent: [], storage: 'local', idleExpiryHours: 24 });
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
  const stored = el('p', 'stored');
  const cards = el('p', 'stored');
  const forget = el('button', 'forget');
  forget.type = 'button';
  forget.setAttribute('aria-expanded', 'false');
  forget.setAttribute('aria-controls', 'temper-forget');
  // Issue 15, finding 6: before the device forgets, the visitor gets the conversation's reference to copy, so the
  // site can still find, export or erase the conversation for them (a data-subject request).
  const confirm = el('div', 'forget-confirm');
  confirm.id = 'temper-forget';
  confirm.setAttribute('role', 'group');
  confirm.setAttribute('aria-labelledby', 'temper-ref-intro');
  confirm.hidden = true;
  const refIntro = el('p', 'ref-intro');
  refIntro.id = 'temper-ref-intro';
  const refRow = el('div', 'ref-row');
  const refLabel = el('label', 'ref-label');
  refLabel.htmlFor = 'temper-ref';
  const ref = el('input', 'ref');
  ref.id = 'temper-ref';
  ref.readOnly = true;
  const copy = el('button', 'copy');
  copy.type = 'button';
  refRow.append(refLabel, ref, copy);
  const status = el('p', 'ref-status');
  status.setAttribute('role', 'status');
  const yes = el('button', 'forget-yes');
  yes.type = 'button';
  const no = el('button', 'forget-no');
  no.type = 'button';
  const actions = el('div', 'forget-actions');
  actions.append(yes, no);
  confirm.append(refIntro, refRow, status, actions);
  shared.append(intro, list, empty, stored, cards, forget, confirm);
  root.append(notice, controls, shared);
  let strings = PRIVACY_STRINGS.en;

  input.addEventListener('change', () => handlers.onToggle(input.checked));
  toggle.addEventListener('click', () => {
    shared.hidden = !shared.hidden;
    toggle.setAttribute('aria-expanded', String(!shared.hidden));
  });
  const ask = (open: boolean) => {
    confirm.hidden = !open;
    forget.setAttribute('aria-expanded', String(open));
  };
  forget.addEventListener('click', async () => {
    const id = await handlers.reference();
    ref.value = id ?? '';
    refRow.hidden = !id;
    refIntro.textContent = id ? strings.refIntro : strings.noRef;
    status.textContent = '';
    ask(true);
    (id ? copy : yes).focus();
  });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(ref.value);
      status.textContent = strings.copied;
    } catch {
      // No clipboard access (permissions, an insecure origin): leave the reference selected for the visitor.
      ref.select();
      status.textContent = strings.copyFailed;
    }
  });
  no.addEventListener('click', () => {
    ask(false);
    forget.focus();
  });
  yes.addEventListener('click', () => handlers.onForget());

  return {
    el: root,
    update(v: PrivacyView) {
      const s = (strings = PRIVACY_STRINGS[v.locale]);
      notice.textContent = v.enabled ? (v.unavailable ? s.unavailable : s.on(location.hostname)) : s.off;
      if (v.policyUrl) {
        const a = el('a', 'policy', s.policy);
        a.href = v.policyUrl;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        notice.append(' ', a);
      }
      label.hidden = !v.switchable;
      input.checked = v.enabled;
      labelText.textContent = s.toggle;
      toggle.textContent = s.shared;
      intro.textContent = s.sharedIntro;
      empty.textContent = s.sharedEmpty;
      empty.hidden = v.sent.length > 0;
      intro.hidden = !empty.hidden;
      forget.textContent = s.forget;
      stored.textContent = s.stored(v.storage, v.idleExpiryHours);
      cards.textContent = s.cards;
      refLabel.textContent = s.refLabel;
      copy.textContent = s.copy;
      yes.textContent = s.confirm;
      no.textContent = s.cancel;
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

import { h, Fragment } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { signal, type Signal } from '@preact/signals';
import { MAX_MESSAGE_LENGTH, codePointLength, writtenIn, hasCardNumber } from '@temper/protocol';
import type { HandoffEvent, Locale } from '@temper/protocol';
import type { Conversation } from '../core/conversation.js';
import type { CoreView, PanelCore, ShownMessage } from '../core/types.js';
import { MESSENGER_PANEL_STRINGS, PANEL_STRINGS, type PanelStrings } from '../ui/strings.js';
import { splitLinks } from './linkify.js';

export interface PanelProps {
  core: PanelCore;
  view: Signal<CoreView>;
  conv: Conversation;
  /** Text for the polite live region: only messages that arrived while this panel was mounted. */
  announce: Signal<string>;
  inputRef: { current: HTMLTextAreaElement | null };
}

function Text({ text }: { text: string }) {
  return (
    <Fragment>
      {splitLinks(text).map((p, i) =>
        'href' in p ? (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer">
            {p.text}
          </a>
        ) : (
          p.text
        ),
      )}
    </Fragment>
  );
}

/**
 * The name a message is attributed to, for sighted users and the live region alike.
 *
 * @example
 * who({ from: 'agent', name: 'Lin' }, PANEL_STRINGS.en); // 'Lin'
 */
export function who(m: Pick<ShownMessage, 'from' | 'name'>, s: PanelStrings): string {
  if (m.from === 'visitor') return s.you;
  return m.name ?? s[m.from];
}

// --- Messenger basics (issue 12): agent initials, "seen" receipts, the lazily loaded rating and history ---
/** An agent's initials for the avatar: the first letters of the first and last word ("Mei Lin" → "ML", "李梅" → "李"). */
const initials = (name: string) => {
  const w = name.trim().split(/\s+/);
  return ([...w[0]!][0]! + (w.length > 1 ? [...w.at(-1)!][0] : '')).toUpperCase();
};
type MessengerModule = typeof import('../messenger/Messenger.js');
/** The rating and history views, loaded the first time one is needed (shared by every panel of the page). */
const messenger = signal<MessengerModule | null>(null);
let loadingMessenger: Promise<unknown> | null = null;
const loadMessenger = () =>
  (loadingMessenger ??= import('../messenger/Messenger.js').then((m) => (messenger.value = m), () => (loadingMessenger = null)));
const showHistory = signal(false);

// Names go in their own <bdi>: direction from their own first strong character and `unicode-bidi: isolate`, so
// bidi controls in them (U+202E…) cannot reorder the labels around them. Each bubble is `dir="auto"` (isolated
// too): an Arabic message reads right to left in an English panel. Its screen-reader prefix carries the
// panel's own `dir`, which also keeps it out of the bubble's direction detection.
function Message({ m, s, seen }: { m: ShownMessage; s: PanelStrings; seen: string | false }) {
  return (
    <li class={`msg ${m.from}`} data-key={m.key} data-status={m.status} data-seen={m.seen}>
      {m.from !== 'visitor' && m.from !== 'system' && (
        <span class="by">
          {m.from === 'agent' && m.name && (
            <span class="avatar" aria-hidden="true">
              {initials(m.name)}
            </span>
          )}
          <span class="who">
            <bdi>{who(m, s)}</bdi>
          </span>
        </span>
      )}
      <span class="bubble" dir="auto">
        <span class="sr" dir={s.dir}>
          {who(m, s)}:{' '}
        </span>
        {/* lang: CJK in an English panel on an English page still gets Simplified Chinese glyphs. */}
        <span class="text" lang={writtenIn(m.text) ?? undefined}>
          <Text text={m.text} />
        </span>
      </span>
      {m.status !== 'sent' && <span class={`status ${m.status}`}>{m.status === 'sending' ? s.sending : s.failed}</span>}
      {seen && <span class="status seen">{seen}</span>}
    </li>
  );
}

function banner(hf: HandoffEvent | null, s: PanelStrings) {
  if (!hf) return '';
  if (hf.state === 'queued') return s.queued(hf.position, hf.waitSeconds);
  if (hf.state === 'agent')
    return (
      <Fragment>
        <bdi>{hf.name ?? s.someone}</bdi>
        {s.joined}
      </Fragment>
    );
  if (hf.state === 'closed') return s.closed;
  return '';
}

/**
 * The chat panel: header, handoff banner, message list, typing indicator, composer.
 *
 * @example
 * render(<Panel core={core} view={view} conv={conv} announce={announce} inputRef={ref} />, container);
 */
export function Panel({ core, view, conv, announce, inputRef }: PanelProps) {
  const { open, locale } = view.value;
  const cs = conv.state;
  const messages = cs.messages.value;
  const typing = cs.typing.value;
  const online = cs.online.value;
  const refused = cs.refused.value;
  const s = PANEL_STRINGS[locale];
  const list = useRef<HTMLOListElement>(null);
  // Follow new messages while the reader is at the bottom. Only the reader's own scrolling unpins: a scroll
  // event that finds the position we set ourselves is ours, even when a reply grew the list before it fired
  // (that race lost the thread from the 2nd–4th reply on). Their own new message always scrolls. Unpinned, a
  // new message shows the "new messages" button.
  // While pinned the list also moves without the reader: a shrinking message ("Sending…" going) clamps it up to
  // the new bottom, scroll anchoring moves it back. So "moved" alone is not theirs: `up()` is, their input on
  // the list (wheel, touch, pointer, keys) within the last second and the list above where we left it, not at
  // the bottom. It unpins a render that comes before their scroll event (fired at the next frame), which
  // followed them down again, and it beats the 40 px bottom margin, which undid every small step of a finger,
  // trackpad or arrow key. A scroll without input (a script, assistive technology) unpins in the scroll event.
  const pinned = useRef(true);
  const ours = useRef(0);
  const acted = useRef(-1e4);
  const up = () => {
    const el = list.current!;
    return performance.now() - acted.current < 1000 && el.scrollTop < ours.current - 1 && el.scrollTop < el.scrollHeight - el.clientHeight - 1;
  };
  const lastKey = useRef(messages[messages.length - 1]?.key);
  // Local view state of this component (not shared, not stored): plain hooks.
  const [unseen, setUnseen] = useState(false);
  // The composer's error: the visitor's text stays in it until it can be sent (issue 12: nothing vanishes).
  // n > 0: n characters, over the limit; -1: refused for another reason (invalid text); 0: none.
  const [tooLong, setTooLong] = useState(0);
  // Issue 15, finding 8: the visitor's last message held a card number, which was masked: say so, plainly.
  const [masked, setMasked] = useState(false);
  const count = messages.length;
  const last = messages[count - 1];
  const toBottom = () => {
    const el = list.current;
    if (el) {
      el.scrollTop = el.scrollHeight;
      ours.current = el.scrollTop;
    }
    pinned.current = true;
    setUnseen(false);
  };

  useLayoutEffect(() => {
    // A new last message (not a status change, not a second pass over the same one).
    const fresh = !!last && last.key !== lastKey.current;
    lastKey.current = last?.key;
    if (up()) pinned.current = false;
    if (pinned.current || (fresh && last.from === 'visitor')) toBottom();
    else if (fresh) setUnseen(true);
  }, [messages, open, typing]);

  useLayoutEffect(() => {
    // The list shrinks when the composer grows, a banner or the error shows, or the keyboard opens.
    const el = list.current!;
    const ro = new ResizeObserver(() => pinned.current && !up() && toBottom());
    ro.observe(el);
    for (const type of ['wheel', 'touchmove', 'pointerdown', 'keydown'])
      el.addEventListener(type, () => (acted.current = performance.now()), { passive: true });
    el.addEventListener('scroll', () => {
      if (up()) pinned.current = false;
      else if (el.scrollHeight - el.scrollTop - el.clientHeight < 40) toBottom();
      else if (el.scrollTop !== ours.current) pinned.current = false;
    });
    return () => ro.disconnect();
  }, []);

  // Browsers without `field-sizing: content` (panel-css.ts) grow the composer here.
  const fit = (ta: HTMLTextAreaElement) => {
    if (CSS.supports('field-sizing', 'content')) return;
    ta.style.height = '';
    ta.style.height = `${ta.scrollHeight + 2}px`;
  };

  const submit = () => {
    const ta = inputRef.current;
    if (!ta || !ta.value.trim()) return;
    // The labels follow the language the visitor writes in (the bot answers in it too, issue 12).
    const l = writtenIn(ta.value);
    const e = conv.send(ta.value);
    setTooLong(!e ? 0 : e.code === 'message-too-long' ? codePointLength(ta.value.trim()) : -1);
    if (!e) {
      setMasked(hasCardNumber(ta.value));
      ta.value = '';
      fit(ta);
      if (l) core.setLocale(l);
    }
  };
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';
  const bannerText = banner(cs.handoff.value, s);
  const ms = MESSENGER_PANEL_STRINGS[locale];
  const closed = cs.handoff.value?.state === 'closed';
  const history = showHistory.value && !!conv.user;
  const lastSeen = messages.reduce((k, m) => (m.seen ? m.key : k), '');
  const mod = messenger.value;
  if ((closed || history) && !mod) void loadMessenger();

  return (
    <div
      class="panel"
      id="temper-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="temper-title"
      hidden={!open}
      lang={locale}
      dir={s.dir}
      onKeyDown={(e: KeyboardEvent) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          core.close();
        }
      }}
    >
      <div class="head">
        <h2 class="title" id="temper-title">
          {s.title}
        </h2>
        <button type="button" class="lang" lang={other} onClick={() => core.setLocale(other)}>
          {PANEL_STRINGS[other].name}
        </button>
        {conv.user && (
          <button type="button" class="past" aria-pressed={history} onClick={() => (showHistory.value = !history)}>
            {ms.past}
          </button>
        )}
        <button type="button" class="x" aria-label={s.close} onClick={() => core.close()}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {/* Filled by temper-scoring.js (notice, switch, "What's shared"); Preact leaves children it did not render. */}
      <div class="privacy" />
      <p class="banner" role="status" hidden={!bannerText}>
        {bannerText}
      </p>
      <p class="offline" role={refused ? 'alert' : 'status'} hidden={online && !refused}>
        {refused ? s.refused : s.offline}
      </p>
      {history && mod && <mod.History conv={conv} locale={locale} current={conv.conversationId()} onBack={() => (showHistory.value = false)} />}
      <div class="thread" hidden={history}>
        <ol
          class="list"
          ref={list}
          aria-label={s.messages}
          tabIndex={0}
        >
          {count === 0 && <li class="empty">{s.empty}</li>}
          {messages.map((m) => (
            <Message key={m.key} m={m} s={s} seen={m.key === lastSeen && ms.seen} />
          ))}
        </ol>
        <button type="button" class="new-messages" hidden={!unseen} onClick={toBottom}>
          {s.unseen}
        </button>
      </div>
      {closed && !history && mod && <mod.Rating conv={conv} locale={locale} rated={cs.record.value?.rated} />}
      <div class="typing" hidden={!typing}>
        {typing ? `${s[typing]} · ${s.typing}` : ''}
      </div>
      <p class="composer-note" role="status" hidden={!masked}>
        {masked ? s.cardMasked : ''}
      </p>
      <p class="composer-error" id="temper-composer-error" role="alert" hidden={!tooLong}>
        {tooLong > 0 ? s.tooLong(tooLong, MAX_MESSAGE_LENGTH) : s.cannotSend}
      </p>
      <form
        class="composer"
        hidden={history}
        onSubmit={(e: Event) => {
          e.preventDefault();
          submit();
        }}
      >
        <label class="sr" for="temper-input">
          {s.input}
        </label>
        <textarea
          id="temper-input"
          class="input"
          ref={inputRef}
          rows={1}
          disabled={refused}
          placeholder={s.placeholder}
          dir="auto"
          aria-invalid={tooLong ? 'true' : undefined}
          aria-describedby={tooLong ? 'temper-composer-error' : undefined}
          onInput={(e: Event) => {
            const ta = e.currentTarget as HTMLTextAreaElement;
            fit(ta);
            if (tooLong && codePointLength(ta.value.trim()) <= MAX_MESSAGE_LENGTH) setTooLong(0);
          }}
          enterkeyhint="send"
          onKeyDown={(e: KeyboardEvent) => {
            // isComposing: Enter also confirms an IME candidate (pinyin); that Enter must not send.
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              submit();
            }
          }}
        />
        {/* No focus on press: moving focus to the button would close a phone's keyboard after every message. */}
        <button type="submit" class="send" onMouseDown={(e: MouseEvent) => e.preventDefault()}>
          {s.send}
        </button>
      </form>
      <div class="sr" aria-live="polite" aria-atomic="false">
        {announce.value}
      </div>
    </div>
  );
}

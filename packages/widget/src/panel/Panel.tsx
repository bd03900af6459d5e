import { h, Fragment } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Signal } from '@preact/signals';
import type { HandoffEvent } from '@temper/protocol';
import type { Conversation } from '../core/conversation.js';
import type { CoreView, PanelCore, ShownMessage } from '../core/types.js';
import { PANEL_STRINGS, type PanelStrings } from '../ui/strings.js';
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

// Text from people (messages, names) goes in its own <bdi>: direction from its own first strong character and
// `unicode-bidi: isolate`, so bidi controls in it (U+202E…) cannot reorder the labels around it.
function Message({ m, s }: { m: ShownMessage; s: PanelStrings }) {
  return (
    <li class={`msg ${m.from}`} data-key={m.key} data-status={m.status}>
      {m.from !== 'visitor' && m.from !== 'system' && (
        <span class="who">
          <bdi>{who(m, s)}</bdi>
        </span>
      )}
      <span class="bubble">
        <span class="sr">{who(m, s)}: </span>
        <bdi class="text">
          <Text text={m.text} />
        </bdi>
      </span>
      {m.status !== 'sent' && <span class={`status ${m.status}`}>{m.status === 'sending' ? s.sending : s.failed}</span>}
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
  // Follow new messages only while the reader is at the bottom: someone scrolled up to reread must not be
  // yanked down by a reply. Their own new message always scrolls.
  const pinned = useRef(true);
  const count = messages.length;
  const last = messages[count - 1];

  useEffect(() => {
    const el = list.current;
    if (el && (pinned.current || last?.from === 'visitor')) el.scrollTop = el.scrollHeight;
  }, [count, open, typing]);

  const submit = () => {
    const ta = inputRef.current;
    if (!ta || !ta.value.trim()) return;
    if (!conv.send(ta.value)) ta.value = '';
  };
  const bannerText = banner(cs.handoff.value, s);

  return (
    <div
      class="panel"
      id="temper-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="temper-title"
      hidden={!open}
      lang={locale}
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
      <ol
        class="list"
        ref={list}
        aria-label={s.messages}
        tabIndex={0}
        onScroll={(e: Event) => {
          const el = e.currentTarget as HTMLElement;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {count === 0 && <li class="empty">{s.empty}</li>}
        {messages.map((m) => (
          <Message key={m.key} m={m} s={s} />
        ))}
      </ol>
      <div class="typing" hidden={!typing}>
        {typing ? `${s[typing]} · ${s.typing}` : ''}
      </div>
      <form
        class="composer"
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
          enterkeyhint="send"
          onKeyDown={(e: KeyboardEvent) => {
            // isComposing: Enter also confirms an IME candidate (pinyin); that Enter must not send.
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="submit" class="send">
          {s.send}
        </button>
      </form>
      <div class="sr" aria-live="polite" aria-atomic="false">
        {announce.value}
      </div>
    </div>
  );
}

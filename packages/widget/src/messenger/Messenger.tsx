// Messenger basics (issue 12): the rating a visitor gives a closed chat, and a verified customer's past
// conversations. Loaded with import() by the panel only when needed (a chat closed, "Past conversations"
// pressed), so what the panel costs at first paint does not grow; with a code-splitting build this module is
// its own chunk. Text from people is rendered as text in its own <bdi>, never as HTML.
import { h } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import { MAX_RATING_COMMENT_LENGTH, RATING_SCORES, type Locale, type PastConversation, type PastConversations, type RatingScore } from '@temper/protocol';
import type { Conversation } from '../core/conversation.js';
import { PANEL_STRINGS } from '../ui/strings.js';
import { MESSENGER_STRINGS } from '../ui/messenger-strings.js';
import { who } from '../panel/Panel.js';

const CSS = `
.rating{margin:0 12px 8px;padding:10px 12px;border:1px solid var(--_border);border-radius:10px;background:var(--_bg);font:13px/1.4 var(--_font)}
.rating legend,.history h3{padding:0;font:600 14px/1.3 var(--_font);color:var(--_text)}
.rating fieldset{margin:0;padding:0;border:0;min-inline-size:0}
.stars{display:flex;gap:4px;margin:6px 0}
.stars label{position:relative;display:flex}
.stars input{position:absolute;opacity:0;inline-size:1px;block-size:1px;margin:0}
.stars span{display:flex;align-items:center;justify-content:center;inline-size:36px;block-size:36px;border:1px solid var(--_border);
border-radius:8px;cursor:pointer;color:var(--_muted);font:20px/1 var(--_font)}
.stars input:checked+span,.stars label.on span{background:var(--_accent);border-color:var(--_accent);color:var(--_accent-text)}
.stars input:focus-visible+span,.rating button:focus-visible,.history button:focus-visible{outline:2px solid var(--_accent);outline-offset:2px}
.rating textarea{display:block;inline-size:100%;min-block-size:48px;margin:4px 0 8px;padding:6px 8px;border:1px solid var(--_border);border-radius:8px;
background:var(--_bg);color:var(--_text);font:13px/1.4 var(--_font);resize:vertical}
.rating label.c{color:var(--_text)}
.rating button,.history button{all:unset;box-sizing:border-box;display:inline-flex;align-items:center;min-block-size:32px;padding:0 12px;border-radius:8px;
background:var(--_accent);color:var(--_accent-text);cursor:pointer;font:600 13px/1 var(--_font)}
.rating .err,.history .err{color:#b91c1c}
.history{flex:1;overflow-y:auto;padding:12px 16px;display:flex;flex-direction:column;gap:8px;font:13px/1.4 var(--_font);color:var(--_text)}
.history h3{margin:0}
.history ul,.history ol{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
.history .item{all:unset;box-sizing:border-box;display:block;inline-size:100%;padding:8px 10px;border:1px solid var(--_border);border-radius:8px;cursor:pointer;background:var(--_bg)}
.history .item:focus-visible{outline:2px solid var(--_accent);outline-offset:2px}
.history .meta{display:block;color:var(--_muted);font-size:12px}
.history button.link{background:transparent;color:var(--_text);text-decoration:underline;padding:0}
`;

/**
 * Local state as a signal (the panel's style, and the hooks the panel chunk already carries: useState and
 * useEffect would add their code to the panel's file, which this chunk imports Preact from). Reading `.value`
 * while rendering subscribes the component.
 */
function useBox<T>(initial: T): [T, (v: T) => void] {
  const box = useSignal(initial);
  return [box.value, (v) => (box.value = v)];
}

/**
 * Sends the visitor's rating of the closed chat; resolves to the HTTP status (201/200 stored, 409 the chat is
 * open again), rejects when the request did not reach the server. A stored score is kept on the device.
 */
async function rate(conv: Conversation, score: RatingScore, comment?: string): Promise<number> {
  const r = await conv.transport.session();
  const { status } = await conv.transport.request('POST', '/rating', comment ? { score, comment } : { score }, r.token);
  if (status === 200 || status === 201) {
    conv.state.update({ rated: score });
    void conv.state.save();
  }
  return status;
}

/** The verified customer's conversations (newest first), or one of them; null when refused. No bearer token: `user` is the proof. */
async function history<T extends PastConversations | PastConversation>(conv: Conversation, conversationId?: string): Promise<T | null> {
  const user = conv.user;
  if (!user) return null;
  const res = await conv.transport.request('POST', conversationId ? '/history/conversation' : '/history', conversationId ? { user, conversationId } : { user });
  return res.ok ? ((await res.json()) as T) : null;
}

/** Adopts this module's stylesheet into the shadow root the element lives in (once per root). */
function useSheet(ref: { current: Element | null }) {
  useLayoutEffect(() => {
    const root = ref.current?.getRootNode();
    if (!(root instanceof ShadowRoot) || root.adoptedStyleSheets.some((x) => (x as { _temperMessenger?: true })._temperMessenger)) return;
    const sheet = Object.assign(new CSSStyleSheet(), { _temperMessenger: true as const });
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }, []);
}

/**
 * The rating card shown when a chat was closed: 1–5 (radio buttons: keyboard and screen readers work as
 * usual) and an optional comment. Nothing is sent until the visitor presses the button.
 *
 * @example
 * <Rating conv={conv} locale="en" rated={conv.state.record.value?.rated} />
 */
export function Rating({ conv, locale, rated }: { conv: Conversation; locale: Locale; rated: number | undefined }) {
  const s = MESSENGER_STRINGS[locale];
  const ref = useRef<HTMLFormElement>(null);
  const [score, setScore] = useBox<RatingScore | null>(null);
  const [note, setNote] = useBox('');
  const [state, setState] = useBox<'idle' | 'sending' | 'error' | 'pick'>('idle');
  useSheet(ref);
  if (rated !== undefined && state !== 'sending')
    return (
      <p class="rating thanks" role="status" ref={ref as never}>
        {s.thanks}
      </p>
    );
  const submit = async () => {
    if (score === null) return setState('pick');
    setState('sending');
    const comment = note.trim();
    // A failed send keeps the score and the comment in the form: nothing the visitor wrote is lost.
    const status = await rate(conv, score, comment || undefined).catch(() => 0);
    setState(status === 200 || status === 201 || status === 409 ? 'idle' : 'error');
  };
  return (
    <form
      class="rating"
      ref={ref}
      onSubmit={(e: Event) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset>
        <legend>{s.rateTitle}</legend>
        <div class="stars">
          {RATING_SCORES.map((n) => (
            <label key={n} class={score !== null && n <= score ? 'on' : ''}>
              <input type="radio" name="temper-score" value={n} checked={score === n} onChange={() => (setScore(n), setState('idle'))} aria-label={s.score(n, s.scores[n - 1]!)} />
              <span aria-hidden="true">★</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label class="c" for="temper-rating-comment">
        {s.comment}
      </label>
      <textarea id="temper-rating-comment" maxLength={MAX_RATING_COMMENT_LENGTH} rows={2} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
      <button type="submit" disabled={state === 'sending'}>
        {s.submit}
      </button>
      <p class="err" role="alert">
        {state === 'error' ? s.rateFailed : state === 'pick' ? s.pick : ''}
      </p>
    </form>
  );
}

const when = (at: number, locale: Locale) => new Date(at).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A verified customer's earlier conversations: a list (newest first, without the one open now), and one of
 * them read-only. `onBack` returns to the chat.
 *
 * @example
 * <History conv={conv} locale="zh-CN" current={conv.conversationId()} onBack={() => (showHistory.value = false)} />
 */
export function History({ conv, locale, current, onBack }: { conv: Conversation; locale: Locale; current: string | null; onBack: () => void }) {
  const s = MESSENGER_STRINGS[locale];
  const ps = PANEL_STRINGS[locale];
  const ref = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [list, setList] = useBox<PastConversations['items'] | null>(null);
  const [open, setOpen] = useBox<PastConversation | null>(null);
  const [failed, setFailed] = useBox(false);
  useSheet(ref);
  useLayoutEffect(() => {
    void history<PastConversations>(conv)
      .catch(() => null)
      .then((r) => (r ? setList(r.items.filter((i) => i.conversationId !== current)) : setFailed(true)));
  }, []);
  useLayoutEffect(() => heading.current?.focus(), [open, list === null]);
  const show = async (id: string) => {
    const r = await history<PastConversation>(conv, id).catch(() => null);
    if (r) setOpen(r);
    else setFailed(true);
  };
  return (
    <section class="history" ref={ref} aria-labelledby="temper-history-title">
      <button type="button" class="link" onClick={open ? () => setOpen(null) : onBack}>
        {open ? s.backToList : s.back}
      </button>
      <h3 id="temper-history-title" tabIndex={-1} ref={heading}>
        {open ? s.of(when(open.createdAt, locale)) : s.historyTitle}
      </h3>
      {failed ? (
        <p class="err" role="alert">
          {s.loadFailed}
        </p>
      ) : open ? (
        <ol class="past" aria-label={ps.messages}>
          {open.messages.map((m, i) => (
            <li key={i} class={`msg ${m.from}`}>
              {m.from !== 'visitor' && m.from !== 'system' && (
                <span class="who">
                  <bdi>{who(m, ps)}</bdi>
                </span>
              )}
              <span class="bubble">
                <span class="sr">{who(m, ps)}: </span>
                <bdi class="text">{m.text}</bdi>
              </span>
            </li>
          ))}
        </ol>
      ) : list === null ? (
        <p role="status">{s.loading}</p>
      ) : list.length === 0 ? (
        <p>{s.none}</p>
      ) : (
        <ul>
          {list.map((c) => (
            <li key={c.conversationId}>
              <button type="button" class="item" data-conversation-id={c.conversationId} onClick={() => void show(c.conversationId)}>
                <bdi class="preview">{c.preview}</bdi>
                <span class="meta">
                  {when(c.lastAt, locale)} · {s.count(c.messages)} · {c.state === 'closed' ? s.closedState : s.openState}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { h, Fragment } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { maskCardNumbers } from '@temper/protocol';
import type { CallbackRequest, QueueItem } from '@temper/server';
import { agentBlob, saveBlob } from './api.ts';
import type { ConsoleStore, LoggedEvent } from './console-store.ts';
import { describeReason, duration, presenceText, scoredLevelText, trendArrow, trendText } from './labels.ts';
import { otherLanguageHref, staffLocale, T } from './i18n.ts';
import { BreakNotice, ReplyAssist, UpsetLabel } from './Assist.tsx';
import { Board, describeMatch } from './Board.tsx';

const languageName = T.languageName;

// Visitor presence and callback requests (issue 12): where the visitor is, and the contact they left.
function Presence({ visitor, leftAt, now }: { visitor: QueueItem['visitor']; leftAt: number | null; now: number }) {
  const text = presenceText(visitor, leftAt, now);
  return text ? <span class="presence-visitor" data-visitor={visitor}>{text}</span> : null;
}

function Callback({ callback }: { callback: CallbackRequest | null }) {
  if (!callback) return null;
  return (
    <p class="callback" data-kind={callback.kind}>
      {T.callbackRequested}: <bdi class="contact">{callback.contact}</bdi> ({T.callbackKind(callback.kind)}, {new Date(callback.at).toLocaleTimeString()})
    </p>
  );
}

function QueueRow({ item, store }: { item: QueueItem; store: ConsoleStore }) {
  const waited = item.waitingMs + (store.now.value - store.queue.value.receivedAt);
  const busy = store.claiming.value === item.conversationId;
  const labelId = `q-${item.conversationId}`;
  return (
    <li
      class={`queue-item level-${item.level ?? 'none'}`}
      data-conversation-id={item.conversationId}
      data-language={item.language}
      data-visitor={item.visitor}
      aria-labelledby={labelId}
    >
      <div class="qi-head">
        <span class="qi-level" id={labelId}>
          {T.level} {scoredLevelText(item.level, item.scoring)}
        </span>
        <span class="qi-trend">
          <span aria-hidden="true">{trendArrow(item.trend)} </span>
          {trendText(item.trend)}
        </span>
        <span class="qi-lang">{languageName(item.language)}</span>
        <Presence visitor={item.visitor} leftAt={item.visitorLeftAt} now={store.now.value} />
      </div>
      <Callback callback={item.callback} />
      <ul class="reasons" aria-label={T.reasons}>
        {item.reasons.map((r) => (
          <li key={r} class="reason" data-reason={r}>
            {describeReason(r)}
          </li>
        ))}
      </ul>
      <div class="qi-foot">
        <span class="qi-wait">
          {T.waiting} <time>{duration(waited)}</time>
        </span>
        <span class="qi-meta">
          {T.meta(item.priority, item.turns, item.botNotUnderstood)}
        </span>
        <button
          type="button"
          class="claim primary"
          disabled={busy || store.status.value !== 'online'}
          aria-describedby={labelId}
          onClick={() => void store.claim(item.conversationId)}
        >
          {busy ? T.claiming : T.claim}
        </button>
      </div>
    </li>
  );
}

function Queue({ store }: { store: ConsoleStore }) {
  const items = store.queue.value.items;
  const left = store.queue.value.left;
  return (
    <section class="queue" aria-labelledby="queue-title">
      <h2 id="queue-title">
        {T.queueTitle} <span class="count">({items.length})</span>
      </h2>
      {store.status.value !== 'online' && <p class="hint">{T.goOnlineHint}</p>}
      {store.queueLive.value === false && <p class="hint warn">{T.reconnecting}</p>}
      {items.length === 0 ? (
        <p class="empty queue-empty">{T.noOneWaiting}</p>
      ) : (
        <ol class="queue-list">
          {items.map((i) => (
            <QueueRow key={i.conversationId} item={i} store={store} />
          ))}
        </ol>
      )}
      {left.length > 0 && (
        <>
          <h3 id="left-title">
            {T.visitorLeftTitle} <span class="count">({left.length})</span>
          </h3>
          <p class="hint">{T.outOfLineHint}</p>
          <ul class="left-list" aria-labelledby="left-title">
            {left.map((i) => (
              <QueueRow key={i.conversationId} item={i} store={store} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Callback requests (issue 12): visitors who left a contact while no one was free. Staff only. */
function Callbacks({ store }: { store: ConsoleStore }) {
  const items = store.callbacks.value;
  if (items.length === 0) return null;
  return (
    <section class="callbacks" aria-labelledby="callbacks-title">
      <h2 id="callbacks-title">
        {T.callbackRequested} <span class="count">({items.length})</span>
      </h2>
      <ul class="callback-list">
        {items.map((c) => (
          <li key={c.conversationId} class="callback-item" data-conversation-id={c.conversationId} data-kind={c.kind}>
            <bdi class="contact">{c.contact}</bdi> · {T.callbackKind(c.kind)} · {languageName(c.language)} · {T.leftAt}{' '}
            <time dateTime={new Date(c.at).toISOString()}>{new Date(c.at).toLocaleTimeString()}</time>
            {c.state === 'queued' ? T.inTheQueue : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Chats({ store }: { store: ConsoleStore }) {
  const items = store.chats.value;
  const mine = store.auth.role === 'agent';
  return (
    <section class="chats" aria-labelledby="chats-title">
      <h2 id="chats-title">{mine ? T.yourChats : T.chatsWithAgents}</h2>
      {items.length === 0 ? (
        <p class="empty">{T.noneYet}</p>
      ) : (
        <ul class="chat-list">
          {items.map((c) => (
            <li key={c.conversationId}>
              <button
                type="button"
                class="chat-open"
                data-conversation-id={c.conversationId}
                aria-current={store.active.value === c.conversationId ? 'true' : undefined}
                onClick={() => void store.open(c.conversationId)}
              >
                {languageName(c.language)} · {T.level} {scoredLevelText(c.level, c.scoring)}
                {presenceText(c.visitor, c.visitorLeftAt, store.now.value) ? ` · ${presenceText(c.visitor, c.visitorLeftAt, store.now.value)}` : ''}
                {c.callback ? T.callbackTag : ''}
                {mine ? '' : <Fragment> · <bdi class="agent-name">{c.agentName}</bdi></Fragment>}
                {(store.unread.value[c.conversationId] ?? 0) > 0 && (
                  <span class="unread"> · {T.newCount(store.unread.value[c.conversationId] ?? 0)}</span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// Text people wrote (messages, names) always sits in its own isolate — <bdi>, or `dir="auto"` plus
// `unicode-bidi: isolate` — so bidi controls in it (U+202E…) cannot reorder the labels and times around it.
function handoffText(e: Extract<LoggedEvent['event'], { type: 'handoff' }>) {
  if (e.state === 'queued') return T.queuedLine(e.position);
  if (e.state === 'agent')
    return (
      <Fragment>
        <bdi class="name">{e.name ?? T.anAgent}</bdi>
        {T.tookChat}
      </Fragment>
    );
  if (e.state === 'bot') return T.backWithBot;
  return T.chatClosed;
}

function Line({ e }: { e: LoggedEvent }) {
  const ev = e.event;
  if (ev.type === 'typing' || ev.type === 'seen') return null;
  if (ev.type === 'handoff')
    return (
      <li class="line handoff" data-event-id={e.id}>
        {handoffText(ev)}
      </li>
    );
  const who = ev.from === 'visitor' ? T.visitor : ev.from === 'system' ? T.notice : (ev.name ?? (ev.from === 'bot' ? T.assistant : T.agent));
  return (
    <li class={`line msg from-${ev.from}`} data-event-id={e.id}>
      <bdi class="who">{who}</bdi>
      {/* Text, never HTML: Preact sets it as a text node. Card numbers masked here too (issue 15): the server
          masks what it sends, this covers any other source. */}
      <span class="text" dir="auto">
        {maskCardNumbers(ev.text)}
      </span>
      <time class="at" dateTime={new Date(ev.at).toISOString()}>
        {new Date(ev.at).toLocaleTimeString(staffLocale())}
      </time>
    </li>
  );
}

function ChatView({ store }: { store: ConsoleStore }) {
  const list = useRef<HTMLOListElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const typingSent = useRef(false);
  const info = store.info.value;
  const log = store.log.value;
  // The held chat's row is refreshed on every queue change, so presence stays live there (issue 12).
  const row = store.chats.value.find((c) => c.conversationId === store.active.value);
  const holding = info?.state === 'agent' && (store.auth.role !== 'agent' || info.agentName === store.auth.name);

  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [log.length]);

  useEffect(() => {
    if (info) input.current?.focus();
  }, [info?.id]);

  if (!store.active.value) return <section class="chat empty-chat" aria-label={T.chat}><p class="empty">{T.pickChat}</p></section>;
  if (!info) return <section class="chat" aria-label={T.chat}><p>{T.loadingChat}</p></section>;

  const stopTyping = () => {
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = null;
    if (typingSent.current) {
      typingSent.current = false;
      void store.typing(false);
    }
  };

  const send = async () => {
    const ta = input.current;
    const text = ta?.value.trim() ?? '';
    if (!ta || !text) return;
    stopTyping();
    if (await store.reply(text)) ta.value = '';
  };

  return (
    <section class="chat" aria-labelledby="chat-title">
      <div class="chat-head">
        <h2 id="chat-title">
          {T.chat} · {languageName(info.locale === 'zh-CN' ? 'zh' : (info.queue ?? 'en'))}
        </h2>
        <p class="chat-meta">
          {T.level} {scoredLevelText(row?.level ?? info.level, row?.scoring ?? info.scoring)}, {trendText(info.trend)} · {info.reasons.map(describeReason).join(', ') || '—'} · {T.state}{' '}
          <span class="state">{info.state}</span>{' '}
          <Presence visitor={row?.visitor ?? info.visitor} leftAt={row?.visitorLeftAt ?? info.visitorLeftAt} now={store.now.value} />
        </p>
        <Callback callback={row?.callback ?? info.callback} />
        {(info.matchReasons?.length ?? 0) > 0 && (
          <p class="match-reasons" data-reasons={info.matchReasons!.join(' ')}>
            {T.routedToYou}{info.matchReasons!.map(describeMatch).join(', ')}
          </p>
        )}
        <div class="chat-actions">
          <button type="button" class="release" disabled={!holding} onClick={() => void store.finish('release')}>
            {T.handBack}
          </button>
          <button type="button" class="close-chat danger" disabled={info.state === 'closed'} onClick={() => void store.finish('close')}>
            {T.closeChat}
          </button>
          <UpsetLabel store={store} />
          {/* Staff access (issue 15): the transcript as a file; the server audits the export. */}
          <button type="button" class="download-transcript" onClick={() => void agentBlob(store.auth, `/conversations/${info.id}/transcript`).then((b) => saveBlob(b, `temper-transcript-${info.id}.json`))}>
            {T.downloadTranscript}
          </button>
        </div>
      </div>
      <ol class="transcript" ref={list} aria-label={T.transcript} tabIndex={0}>
        {log.map((e) => (
          <Line key={e.id} e={e} />
        ))}
      </ol>
      <p class="typing" aria-hidden={!store.botTyping.value}>
        {store.botTyping.value ? T.botTyping : ''}
      </p>
      {holding && <ReplyAssist store={store} composer={input} />}
      <form
        class="reply"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label for="reply-input">{T.replyLabel}</label>
        <textarea
          id="reply-input"
          class="reply-input"
          ref={input}
          rows={3}
          maxLength={8000}
          disabled={!holding}
          placeholder={T.replyPlaceholder}
          onInput={() => {
            if (!typingSent.current) {
              typingSent.current = true;
              void store.typing(true);
            }
            if (typingTimer.current) clearTimeout(typingTimer.current);
            typingTimer.current = setTimeout(stopTyping, 3000);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="submit" class="send primary" disabled={!holding}>
          {T.send}
        </button>
      </form>
    </section>
  );
}

/**
 * The agent console: presence, the live queue, the agent's chats and the open chat.
 *
 * @example
 * render(<Console store={createConsole(auth)} onSignOut={…} />, app);
 */
export function Console({ store, onSignOut }: { store: ConsoleStore; onSignOut: () => void }) {
  useEffect(() => {
    void store.start();
    return () => store.stop();
  }, [store]);

  const online = store.status.value === 'online';
  return (
    <>
      <header class="bar">
        <h1>{T.consoleTitle}</h1>
        <p class="who-am-i">
          {T.signedInAs}{' '}
          <strong class="agent-name">
            <bdi>{store.auth.name}</bdi>
          </strong>{' '}
          ({T.roleName(store.auth.role)})
        </p>
        <button
          type="button"
          class={`presence ${online ? 'is-online' : 'is-offline'}`}
          aria-pressed={online}
          disabled={store.status.value === 'unknown'}
          onClick={() => void store.setPresence(online ? 'offline' : 'online')}
        >
          {online ? T.goOffline : T.goOnline}
        </button>
        <span class="agents-online">
          {T.agentsOnline} {store.agentsOnline.value}
        </span>
        <a href="/reports">{T.reports}</a>
        <a href={otherLanguageHref()} lang={staffLocale() === 'zh-CN' ? 'en' : 'zh-CN'} class="lang-switch">
          {T.otherLanguage}
        </a>
        <button type="button" class="signout" onClick={onSignOut}>
          {T.signOut}
        </button>
      </header>
      <p class="alert" role="alert">
        {store.alert.value && (
          <>
            {store.alert.value}{' '}
            <button type="button" class="dismiss" onClick={() => store.dismissAlert()}>
              {T.dismiss}
            </button>
          </>
        )}
      </p>
      <div class="sr live" aria-live="polite">
        {store.announce.value}
      </div>
      <main class="layout">
        <div class="side">
          <BreakNotice store={store} />
          <Queue store={store} />
          <Callbacks store={store} />
          <Chats store={store} />
        </div>
        <ChatView store={store} />
        {store.auth.role !== 'agent' && <Board auth={store.auth} />}
      </main>
    </>
  );
}

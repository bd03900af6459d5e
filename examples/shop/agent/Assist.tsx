// Reply assist, the agent's upset label and the break suggestion (issue 14): what the console adds to an open
// chat. Suggestions show at level ≥ 2 in the chat's language; Alt+1…9 (or a click) puts one into the composer
// for the agent to edit and send — nothing is ever sent from here.
import { h } from 'preact';
import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Suggestions } from '@temper/server';
import { agentApi } from './api.ts';
import type { ConsoleStore } from './console-store.ts';
import { T } from './i18n.ts';

interface Flat {
  scenario: string;
  title: string;
  index: number;
  text: string;
}

const MAX_SHOWN = 9;

/** Up to three replies of each of the three most relevant scenarios, numbered 1…9 for the Alt+digit keys. */
function flatten(s: Suggestions): Flat[] {
  return s.scenarios
    .slice(0, 3)
    .flatMap((sc) => sc.replies.slice(0, 3).map((text, index) => ({ scenario: sc.id, title: sc.title, index, text })))
    .slice(0, MAX_SHOWN);
}

/**
 * Puts `text` into the composer (after what the agent already typed) and fires `input`, so the typing indicator
 * and the composer's own logic see it like typing.
 */
function insert(box: HTMLTextAreaElement, text: string): void {
  const before = box.value.trimEnd();
  box.value = before ? `${before} ${text}` : text;
  box.dispatchEvent(new Event('input', { bubbles: true }));
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
}

/**
 * Suggested replies for the open chat.
 *
 * @example
 * <ReplyAssist store={store} composer={inputRef} />
 */
export function ReplyAssist({ store, composer }: { store: ConsoleStore; composer: RefObject<HTMLTextAreaElement | null> }) {
  const id = store.active.value;
  const visitorLines = store.log.value.filter((e) => e.event.type === 'message' && e.event.from === 'visitor').length;
  const [data, setData] = useState<Suggestions | null>(null);
  const [used, setUsed] = useState<string | null>(null);

  // Signals arrive with the visitor's messages: look again after each one (and when the chat changes).
  useEffect(() => {
    if (!id) return;
    let live = true;
    agentApi<Suggestions>(store.auth, 'GET', `/conversations/${id}/assist`).then(
      (s) => live && setData(s),
      () => live && setData(null),
    );
    return () => {
      live = false;
    };
  }, [id, visitorLines, store.info.value?.level]);

  const shown = data?.active ? flatten(data) : [];

  const use = (f: Flat) => {
    const box = composer.current;
    if (!box || box.disabled || !id) return;
    insert(box, f.text);
    setUsed(`${f.scenario}:${f.index}`);
    void agentApi(store.auth, 'POST', `/conversations/${id}/assist/used`, { scenario: f.scenario, index: f.index }).catch(() => undefined);
  };

  useEffect(() => {
    if (shown.length === 0) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const m = /^Digit([1-9])$/.exec(e.code);
      const f = m ? shown[Number(m[1]) - 1] : undefined;
      if (!f) return;
      e.preventDefault();
      use(f);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  if (!data?.active || shown.length === 0) return null;
  return (
    <section class="assist" aria-labelledby="assist-title" data-level={data.level ?? ''} data-language={data.language}>
      <h3 id="assist-title">{T.suggestedReplies}</h3>
      <p class="hint">
        {T.assistHintBefore(data.level)}
        <kbd>Alt</kbd>+<kbd>1</kbd>…<kbd>{shown.length}</kbd>
        {T.assistHintAfter}
      </p>
      <ol class="assist-list">
        {shown.map((f, i) => (
          <li key={`${f.scenario}:${f.index}`} class="assist-suggestion" data-scenario={f.scenario} data-key={i + 1}>
            <button type="button" class="assist-insert" aria-keyshortcuts={`Alt+${i + 1}`} aria-pressed={used === `${f.scenario}:${f.index}`} onClick={() => use(f)}>
              <span class="assist-key" aria-hidden="true">{i + 1}</span>
              <span class="assist-scenario">{f.title}</span>
              <span class="assist-text" dir="auto">{f.text}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * The agent's judgement for the feedback loop: was the visitor upset? Sent as a label, used only to retrain the
 * model on the host's own server.
 *
 * @example
 * <UpsetLabel store={store} />
 */
export function UpsetLabel({ store }: { store: ConsoleStore }) {
  const id = store.active.value;
  const [label, setLabel] = useState<boolean | null>(null);
  useEffect(() => setLabel(null), [id]);
  if (!id) return null;
  const mark = async (upset: boolean) => {
    try {
      await agentApi(store.auth, 'POST', `/conversations/${id}/label`, { upset });
      setLabel(upset);
    } catch (e) {
      store.alert.value = T.couldNotSaveLabel(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="upset-label" role="group" aria-label={T.upsetGroup}>
      <button type="button" class="label-upset" aria-pressed={label === true} onClick={() => void mark(true)}>
        {T.wasUpset}
      </button>
      <button type="button" class="label-calm" aria-pressed={label === false} onClick={() => void mark(false)}>
        {T.wasNotUpset}
      </button>
    </div>
  );
}

interface Load {
  score: number;
  chats: number;
  angryInARow: number;
  breakSuggested: boolean;
  breakAfter: number;
}

/**
 * Suggests a short break after a run of angry chats (the server's `breakAfter`), and shows the agent their own
 * emotional load over the last hour.
 *
 * @example
 * <BreakNotice store={store} />
 */
export function BreakNotice({ store }: { store: ConsoleStore }) {
  const [load, setLoad] = useState<Load | null>(null);
  const chatsKey = store.chats.value.map((c) => c.conversationId).join(',');
  useEffect(() => {
    let live = true;
    agentApi<Load>(store.auth, 'GET', '/me/load').then(
      (l) => live && setLoad(l),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [chatsKey]);
  if (!load) return null;
  return (
    <div class="load" data-score={load.score} data-angry-in-a-row={load.angryInARow}>
      <span class="load-figure">
        {T.loadThisHour(load.score, load.chats)}
      </span>
      {load.breakSuggested && (
        <p class="break-notice" role="status">
          {T.breakNotice(load.angryInARow)}
        </p>
      )}
    </div>
  );
}

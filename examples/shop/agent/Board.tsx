// The supervisor's live board (issue 14): every open chat with level, trend, route, waiting time and agent; the
// early-warning list of rising chats with the time since each warning; each agent's emotional load; a note
// only staff see and take-over on every row. Fed by one event stream (`/agent/board/events`), never polled.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Board as BoardData, BoardChat } from '@temper/server';
import { agentApi, streamAgent, type Auth } from './api.ts';
import { describeReason, duration, levelText, trendArrow, trendText } from './labels.ts';
import { T } from './i18n.ts';


/**
 * Why the router picked an agent, in words.
 *
 * @example
 * describeMatch('load-protected') // 'spared a colleague a third angry chat'
 */
export const describeMatch = (r: string): string => T.match[r] ?? describeReason(r);

function Row({ c, auth, at, onAction }: { c: BoardChat; auth: Auth; at: number; onAction: (msg: string) => void }) {
  const [noting, setNoting] = useState(false);
  const [note, setNote] = useState('');
  const takeOver = async () => {
    try {
      await agentApi(auth, 'POST', `/conversations/${c.conversationId}/takeover`);
      onAction(T.tookOver);
    } catch (e) {
      onAction(T.couldNotTakeOver(e instanceof Error ? e.message : String(e)));
    }
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (!note.trim()) return;
    try {
      await agentApi(auth, 'POST', `/conversations/${c.conversationId}/notes`, { text: note.trim() });
      setNote('');
      setNoting(false);
      onAction(T.noteSaved);
    } catch (err) {
      onAction(T.couldNotSaveNote(err instanceof Error ? err.message : String(err)));
    }
  };
  const waited = c.waitingMs > 0 ? c.waitingMs + (Date.now() - at) : 0;
  return (
    <tr data-conversation-id={c.conversationId} class={`level-${c.level ?? 'none'}${c.warnedAt ? ' rising' : ''}`}>
      <td class="b-level">{levelText(c.level)}</td>
      <td class="b-trend">
        <span aria-hidden="true">{trendArrow(c.trend)} </span>
        {trendText(c.trend)}
      </td>
      <td class="b-route">
        {c.state}
        {c.queue ? ` · ${c.queue}` : ''}
        {c.topic ? ` · ${c.topic}` : ''}
      </td>
      <td class="b-wait">{waited > 0 ? duration(waited) : '—'}</td>
      <td class="b-agent">
        {c.agentName ? <bdi>{c.agentName}</bdi> : '—'}
        {c.matchReasons.length > 0 && <span class="b-why"> ({c.matchReasons.map(describeMatch).join(', ')})</span>}
      </td>
      <td class="b-actions">
        <button type="button" class="b-takeover" onClick={() => void takeOver()} disabled={c.agentId === auth.agentId}>
          {T.takeOver}
        </button>
        <button type="button" class="b-note" aria-expanded={noting} onClick={() => setNoting(!noting)}>
          {T.note}{c.notes > 0 ? ` (${c.notes})` : ''}
        </button>
        {noting && (
          <form class="b-note-form" onSubmit={save}>
            <label>
              {T.noteForStaff}
              <textarea maxLength={2000} rows={2} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
            </label>
            <button type="submit" class="primary">{T.saveNote}</button>
          </form>
        )}
      </td>
    </tr>
  );
}

/**
 * The live board, for supervisors and admins.
 *
 * @example
 * {auth.role !== 'agent' && <Board auth={auth} />}
 */
export function Board({ auth }: { auth: Auth }) {
  const [board, setBoard] = useState<(BoardData & { receivedAt: number }) | null>(null);
  const [live, setLive] = useState<boolean | null>(null);
  const [message, setMessage] = useState('');
  const [, tick] = useState(0);
  useEffect(() => {
    const stop = streamAgent(auth, '/board/events', {
      onEvent: (e) => {
        const b = JSON.parse(e.data) as BoardData & { type: string };
        if (b.type === 'board') setBoard({ ...b, receivedAt: Date.now() });
      },
      onStatus: setLive,
      onFatal: (err) => setMessage(T.boardStopped(err.message)),
    });
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => {
      stop();
      clearInterval(t);
    };
  }, [auth.token]);

  const since = (ms: number) => duration(ms + (board ? Date.now() - board.receivedAt : 0));
  return (
    <section class="board" aria-labelledby="board-title">
      <h2 id="board-title">{T.boardTitle}</h2>
      {live === false && <p class="hint warn">{T.boardReconnecting}</p>}
      <p class="board-message" role="status">{message}</p>
      <h3 id="warn-title">{T.earlyWarning}</h3>
      {board && board.warnings.length > 0 ? (
        <ul class="board-warnings" aria-labelledby="warn-title">
          {board.warnings.map((w) => (
            <li key={w.conversationId} data-conversation-id={w.conversationId}>
              {T.risingFor(levelText(w.level))}<time class="since">{since(w.sinceMs)}</time>
              {w.agentName ? (
                <span>
                  {T.withAgent}<bdi>{w.agentName}</bdi>
                </span>
              ) : (
                T.noAgentYet
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="empty">{T.noneRising}</p>
      )}
      <h3 id="open-title">{T.openChats(board?.chats.length ?? 0)}</h3>
      <table class="board-chats" aria-labelledby="open-title">
        <thead>
          <tr>
            <th scope="col">{T.level}</th>
            <th scope="col">{T.colTrend}</th>
            <th scope="col">{T.colRoute}</th>
            <th scope="col">{T.waiting}</th>
            <th scope="col">{T.agent}</th>
            <th scope="col">{T.colActions}</th>
          </tr>
        </thead>
        <tbody>
          {board?.chats.map((c) => (
            <Row key={c.conversationId} c={c} auth={auth} at={board.receivedAt} onAction={setMessage} />
          ))}
        </tbody>
      </table>
      <h3 id="load-title">{T.loadTitle}</h3>
      <table class="board-agents" aria-labelledby="load-title">
        <thead>
          <tr>
            <th scope="col">{T.agent}</th>
            <th scope="col">{T.colOpenChats}</th>
            <th scope="col">{T.colLoad}</th>
            <th scope="col">{T.colAngryRun}</th>
            <th scope="col">{T.colLangSkills}</th>
          </tr>
        </thead>
        <tbody>
          {board?.agents.map((a) => (
            <tr key={a.agentId} data-agent-id={a.agentId} class={a.load.breakSuggested ? 'needs-break' : ''}>
              <td>
                <bdi>{a.name}</bdi>
              </td>
              <td>{a.chats}</td>
              <td class="a-load">{a.load.score}</td>
              <td class="a-run">
                {a.load.angryInARow}
                {a.load.breakSuggested ? T.breakSuggested : ''}
              </td>
              <td>{a.profile ? `${a.profile.languages.join(', ')} · ${a.profile.skills.join(', ') || '—'}` : T.noProfile}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

// The supervisor's live board (issue 14): every open chat with level, trend, route, waiting time and agent; the
// early-warning list of rising chats with the time since each warning; each agent's emotional load; a note
// only staff see and take-over on every row. Fed by one event stream (`/agent/board/events`), never polled.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Board as BoardData, BoardChat } from '@temper/server';
import { agentApi, streamAgent, type Auth } from './api.ts';
import { describeReason, duration, levelText, trendArrow, trendText } from './labels.ts';

const MATCH_TEXT: Record<string, string> = {
  language: 'speaks the language',
  'language-unmatched': 'no one speaks the language',
  skill: 'has the topic’s skill',
  'skill-unmatched': 'no one free has the topic’s skill',
  'de-escalation': 'de-escalates',
  'de-escalation-unmatched': 'no de-escalation agent free',
  'load-protected': 'spared a colleague a third angry chat',
  'angry-run-unavoidable': 'everyone is on an angry run',
  'lower-load': 'lower load this hour',
  'fewer-chats': 'fewer open chats',
};

/**
 * Why the router picked an agent, in words.
 *
 * @example
 * describeMatch('load-protected') // 'spared a colleague a third angry chat'
 */
export const describeMatch = (r: string): string => MATCH_TEXT[r] ?? describeReason(r);

function Row({ c, auth, at, onAction }: { c: BoardChat; auth: Auth; at: number; onAction: (msg: string) => void }) {
  const [noting, setNoting] = useState(false);
  const [note, setNote] = useState('');
  const takeOver = async () => {
    try {
      await agentApi(auth, 'POST', `/conversations/${c.conversationId}/takeover`);
      onAction('You have the chat now: open it under "Chats with agents".');
    } catch (e) {
      onAction(`Could not take over: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (!note.trim()) return;
    try {
      await agentApi(auth, 'POST', `/conversations/${c.conversationId}/notes`, { text: note.trim() });
      setNote('');
      setNoting(false);
      onAction('Note saved. Only staff see it.');
    } catch (err) {
      onAction(`Could not save the note: ${err instanceof Error ? err.message : String(err)}`);
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
          Take over
        </button>
        <button type="button" class="b-note" aria-expanded={noting} onClick={() => setNoting(!noting)}>
          Note{c.notes > 0 ? ` (${c.notes})` : ''}
        </button>
        {noting && (
          <form class="b-note-form" onSubmit={save}>
            <label>
              Note for staff (the visitor never sees it)
              <textarea maxLength={2000} rows={2} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
            </label>
            <button type="submit" class="primary">Save note</button>
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
      onFatal: (err) => setMessage(`The board stopped: ${err.message}`),
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
      <h2 id="board-title">Live board</h2>
      {live === false && <p class="hint warn">Reconnecting to the board…</p>}
      <p class="board-message" role="status">{message}</p>
      <h3 id="warn-title">Early warning: rising chats</h3>
      {board && board.warnings.length > 0 ? (
        <ul class="board-warnings" aria-labelledby="warn-title">
          {board.warnings.map((w) => (
            <li key={w.conversationId} data-conversation-id={w.conversationId}>
              Level {levelText(w.level)}, rising for <time class="since">{since(w.sinceMs)}</time>
              {w.agentName ? (
                <span>
                  {' '}
                  · with <bdi>{w.agentName}</bdi>
                </span>
              ) : (
                ' · no agent yet'
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="empty">No chat is rising.</p>
      )}
      <h3 id="open-title">Open chats ({board?.chats.length ?? 0})</h3>
      <table class="board-chats" aria-labelledby="open-title">
        <thead>
          <tr>
            <th scope="col">Level</th>
            <th scope="col">Trend</th>
            <th scope="col">Route</th>
            <th scope="col">Waiting</th>
            <th scope="col">Agent</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {board?.chats.map((c) => (
            <Row key={c.conversationId} c={c} auth={auth} at={board.receivedAt} onAction={setMessage} />
          ))}
        </tbody>
      </table>
      <h3 id="load-title">Agents’ load this hour</h3>
      <table class="board-agents" aria-labelledby="load-title">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Open chats</th>
            <th scope="col">Load (Σ level)</th>
            <th scope="col">Angry in a row</th>
            <th scope="col">Languages · skills</th>
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
                {a.load.breakSuggested ? ' · break suggested' : ''}
              </td>
              <td>{a.profile ? `${a.profile.languages.join(', ')} · ${a.profile.skills.join(', ') || '—'}` : 'no profile (claims by hand)'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

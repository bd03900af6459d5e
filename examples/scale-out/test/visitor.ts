// A visitor and an agent over real HTTP, for the scale-out tests: the wire calls of the widget and the console,
// and a server-sent-events reader that keeps every event with its id.
import { API_BASE } from '@temper/protocol';

export interface SseEvent {
  id: number;
  data: { type: string; [k: string]: unknown };
}

/** An open `GET /events` stream: events arrive in `events`, in order. */
export interface OpenStream {
  events: SseEvent[];
  /** Response header of the answer (e.g. `x-temper-instance` behind HAProxy). */
  headers: Headers;
  /** Resolves with `events` once `pred(events)` holds; rejects after `timeoutMs` or when the stream ends first. */
  until(pred: (events: SseEvent[]) => boolean, what: string, timeoutMs?: number): Promise<SseEvent[]>;
  ended: Promise<void>;
  close(): void;
}

/** Opens the visitor's event stream on `base` with `Last-Event-ID: after`. */
export async function openStream(base: string, token: string, after = 0): Promise<OpenStream> {
  const ac = new AbortController();
  const res = await fetch(`${base}${API_BASE}/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'last-event-id': String(after) },
    signal: ac.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`GET /events on ${base}: ${res.status} ${await res.text()}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let finished = false;
  const ended = (async () => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += value;
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          let id: number | null = null;
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) id = Number(line.slice(4));
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (id !== null && data) events.push({ id, data: JSON.parse(data) as SseEvent['data'] });
        }
        for (const w of [...waiters]) w();
      }
    } catch {
      // Aborted by close() or the server went away: both end the stream.
    } finally {
      finished = true;
      for (const w of [...waiters]) w();
    }
  })();
  return {
    events,
    headers: res.headers,
    ended,
    close: () => ac.abort(),
    until(pred, what, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${what}; events: ${describe(events)}`)), timeoutMs);
        const check = () => {
          if (pred(events)) done();
          else if (finished) done(new Error(`stream ended before ${what}; events: ${describe(events)}`));
        };
        const done = (err?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (err) reject(err);
          else resolve(events);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** `[id type from: text]` lines, for failure messages. */
export function describe(events: SseEvent[]): string {
  return events.map((e) => `\n  ${e.id} ${e.data.type}${e.data.from ? ` ${String(e.data.from)}` : ''}${e.data.text ? `: ${String(e.data.text)}` : ''}`).join('');
}

async function call(base: string, method: string, path: string, body: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${API_BASE}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** `POST /sessions` → `{ token, conversationId }` (fails unless 201). */
export async function openSession(base: string, locale?: string): Promise<{ token: string; conversationId: string }> {
  const r = await call(base, 'POST', '/sessions', locale ? { locale } : {});
  if (r.status !== 201) throw new Error(`POST /sessions on ${base}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json as { token: string; conversationId: string };
}

let clientSeq = 0;
/** `POST /messages` with a fresh client id → the HTTP status. */
export async function postMessage(base: string, token: string, text: string, id = `t-${process.pid}-${++clientSeq}`): Promise<number> {
  return (await call(base, 'POST', '/messages', { id, text }, token)).status;
}

/** An agent API call with an agent token. */
export function agentCall(base: string, token: string, method: string, path: string, body?: unknown) {
  return call(base, method, `/agent${path}`, body, token);
}

// Test helpers: a real server on a loopback port, real fetch, and an SSE reader over the real stream.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_BASE, type ServerEvent } from '@temper/protocol';
import { createTemperServer, type TemperHandler, type TemperServerOptions } from '@temper/server';

export const SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface Running {
  url: string;
  base: string;
  handler: TemperHandler;
  server: Server;
  clock: { t: number };
  close(): Promise<void>;
}

/** Starts createTemperServer on 127.0.0.1:0 with a controllable clock (starts at the real time). */
export async function start(opts: Partial<TemperServerOptions> = {}): Promise<Running> {
  const clock = { t: Date.now() };
  const handler = createTemperServer({ secret: SECRET, now: () => clock.t, log: () => {}, ...opts });
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    base: url + API_BASE,
    handler,
    server,
    clock,
    async close() {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export async function post(
  base: string,
  path: string,
  body: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Any request with an optional bearer token and JSON body; JSON responses are parsed into `body`, others kept as text (`text`: always the raw body). */
export async function api(s: Running, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${s.base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.startsWith('application/json') && text ? JSON.parse(text) : text, text, headers: res.headers };
}

export async function session(base: string, locale?: 'en' | 'zh-CN') {
  const r = await post(base, '/sessions', locale ? { locale } : {});
  if (r.status !== 201) throw new Error(`session failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { token: string; conversationId: string; expiresAt: number };
}

export interface SseFrame {
  id: number;
  event: ServerEvent;
}

/** An open SSE stream: `take(n)` resolves with the next n events (fails the test after a generous guard). */
export interface SseStream {
  status: number;
  frames: SseFrame[];
  comments: string[];
  take(n: number): Promise<SseFrame[]>;
  until(pred: (f: SseFrame) => boolean): Promise<SseFrame>;
  waitComment(pred: (c: string) => boolean): Promise<string>;
  ended: Promise<void>;
  close(): void;
}

const GUARD_MS = 10_000;

export async function openEvents(base: string, token: string, lastEventId?: string, query = ''): Promise<SseStream> {
  const ac = new AbortController();
  const res = await fetch(`${base}/events${query}`, {
    headers: {
      accept: 'text/event-stream',
      authorization: `Bearer ${token}`,
      ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}),
    },
    signal: ac.signal,
  });
  const frames: SseFrame[] = [];
  const comments: string[] = [];
  let consumed = 0;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let ended = false;
  const endedP = (async () => {
    if (!res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += value;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let id: string | null = null;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (id !== null && data.length) frames.push({ id: Number(id), event: JSON.parse(data.join('\n')) });
          notify();
        }
      }
    } catch {
      // aborted
    } finally {
      ended = true;
      notify();
    }
  })();
  async function waitFor<T>(check: () => T | undefined, what: string): Promise<T> {
    const deadline = Date.now() + GUARD_MS;
    for (;;) {
      const v = check();
      if (v !== undefined) return v;
      if (ended) throw new Error(`stream ended while waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 200).unref();
      });
    }
  }
  return {
    status: res.status,
    frames,
    comments,
    take(n) {
      return waitFor(() => {
        if (frames.length - consumed < n) return undefined;
        const out = frames.slice(consumed, consumed + n);
        consumed += n;
        return out;
      }, `${n} events`);
    },
    until(pred) {
      return waitFor(() => {
        const i = frames.findIndex((f, k) => k >= consumed && pred(f));
        if (i < 0) return undefined;
        consumed = i + 1;
        return frames[i];
      }, 'a matching event');
    },
    waitComment(pred) {
      return waitFor(() => comments.find(pred), 'a comment');
    },
    ended: endedP,
    close() {
      ac.abort();
    },
  };
}

export const messages = (frames: SseFrame[]) =>
  frames.map((f) => f.event).filter((e): e is Extract<ServerEvent, { type: 'message' }> => e.type === 'message');

// Polling, the one waiting loop of the Node tests (server, server-redis, the examples' e2e tests through
// examples/shop/test/poll.ts): no fixed sleeps as assertions; generous time-outs, since CI is slow under load.

/**
 * Calls `probe` every `everyMs` until `pred` holds for what it returned, and returns that value; after
 * `timeoutMs`, fails with `what` and the last value seen. Every 50 ms by default: 20 probes a second of an
 * agent route stay inside the agent's rate limit (20/s refill), however long the wait.
 *
 * @example
 * const q = await waitFor(() => queue(s), (q) => q.items.length === 2, 'both queued');
 */
export async function waitFor<T>(probe: () => T | Promise<T>, pred: (v: T) => boolean, what: string, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (pred(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${lastSeen(v)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Calls `probe` until it returns something truthy, and returns that; after `timeoutMs`, fails naming `what`.
 *
 * @example
 * await until(() => got.length === 2, 'both deliveries');
 * const reply = await until(async () => (await messages(s, id)).find((m) => m.from === 'bot'), 'the bot reply');
 */
export function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  return waitFor(probe, Boolean, what, timeoutMs) as Promise<Exclude<T, false | null | undefined | 0 | ''>>;
}

function lastSeen(v: unknown): string {
  try {
    return JSON.stringify(v, null, 1) ?? String(v);
  } catch {
    return String(v);
  }
}

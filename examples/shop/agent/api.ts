// The console's client for the agent API (`/temper/v1/agent/…`) and the demo sign-in. Every request carries
// the agent token as a bearer header, which is also why streams use fetch: EventSource cannot send headers.
import { API_BASE, type ErrorBody } from '@temper/protocol';

const AGENT = `${API_BASE}/agent`;
const STORAGE_KEY = 'temper-demo-agent';

/** Languages and skills the router matches chats to (agent matching, issue 14). */
export interface DemoProfile {
  languages: Array<'en' | 'zh'>;
  skills: Array<'orders' | 'payments' | 'technical' | 'de-escalation'>;
}

/** Who is signed in, as kept in this tab's sessionStorage. */
export interface Auth {
  token: string;
  agentId: string;
  name: string;
  role: 'agent' | 'supervisor' | 'admin';
  expiresAt: number;
}

/**
 * A refused request: the HTTP status and the server's error code and message.
 *
 * @example
 * catch (e) { if (e instanceof ApiError && e.status === 409) showConflict(e.message); }
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The token lives in sessionStorage: it survives a reload of the tab but not closing it, and other tabs
 * (another agent signed in next to this one) do not share it.
 *
 * @example
 * const auth = loadAuth(); if (!auth) showSignIn();
 */
export function loadAuth(): Auth | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const a = JSON.parse(raw) as Auth;
    return typeof a.token === 'string' && a.expiresAt > Date.now() ? a : null;
  } catch {
    return null;
  }
}

/**
 * Forgets the token of this tab.
 *
 * @example
 * signOut(); location.reload();
 */
export function signOut(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage disabled: nothing was kept.
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = `http-${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as Partial<ErrorBody>;
    if (body.error) {
      code = body.error.code;
      message = body.error.message;
    }
  } catch {
    // Not JSON: keep the status text.
  }
  return new ApiError(res.status, code, message);
}

/**
 * The demo's sign-in: asks the shop's demo-only route for a token. A real host signs its staff in with its
 * own authentication and creates the token on its server with `createAgentToken`.
 *
 * @example
 * const auth = await demoSignIn('Mei', 'agent');
 */
export async function demoSignIn(name: string, role: 'agent' | 'supervisor', profile?: DemoProfile): Promise<Auth> {
  const res = await fetch('/demo/agent-token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, role, ...(profile ? { profile } : {}) }),
  });
  if (!res.ok) throw await errorOf(res);
  const auth = (await res.json()) as Auth;
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(auth));
  } catch {
    // Storage disabled: signed in until the tab reloads.
  }
  return auth;
}

/**
 * Calls the agent API and returns the parsed JSON; throws `ApiError` for refusals.
 *
 * @example
 * const { items } = await agentApi<{ items: QueueItem[] }>(auth, 'GET', '/queue');
 */
export async function agentApi<T>(auth: Auth, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${AGENT}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${auth.token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/**
 * Fetches a file of the agent API (the reports' JSON or CSV) as a Blob, for a download through a `blob:` URL:
 * a plain link cannot carry the Authorization header.
 *
 * @example
 * const blob = await agentBlob(auth, '/reports.csv?table=levels');
 */
export async function agentBlob(auth: Auth, path: string): Promise<Blob> {
  const res = await fetch(`${AGENT}${path}`, { headers: { Authorization: `Bearer ${auth.token}` } });
  if (!res.ok) throw await errorOf(res);
  return res.blob();
}

/**
 * Downloads a Blob under a file name. The agent endpoints need the Authorization header, so a plain link
 * cannot fetch them; a `blob:` URL of what fetch returned can be saved (it is not a script, so the CSP allows it).
 *
 * @example
 * saveBlob(await agentBlob(auth, '/reports.csv?table=levels'), 'temper-levels.csv');
 */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One server-sent event. */
export interface SseEvent {
  id: number | null;
  data: string;
}

export interface StreamOptions {
  /** Called for every event, in order. */
  onEvent: (e: SseEvent) => void;
  /** Called when the stream is (re)connected (`true`) or lost (`false`). */
  onStatus?: (connected: boolean) => void;
  /** Called for a refusal that reconnecting will not fix (401, 403, 404); the stream stops. */
  onFatal?: (e: ApiError) => void;
  /** The last event id already seen; the stream resumes after it (Last-Event-ID). */
  lastEventId?: number;
}

/**
 * Reads an SSE endpoint of the agent API with fetch (so the bearer token can be sent), reconnecting with
 * back-off and resuming from the last event id. Returns a function that stops it.
 *
 * @example
 * const stop = streamAgent(auth, '/queue/events', { onEvent: (e) => show(JSON.parse(e.data)) });
 */
export function streamAgent(auth: Auth, path: string, opts: StreamOptions): () => void {
  const ctrl = new AbortController();
  let lastId = opts.lastEventId ?? 0;
  let delay = 500;

  async function once(): Promise<void> {
    const res = await fetch(`${AGENT}${path}`, {
      headers: { Authorization: `Bearer ${auth.token}`, Accept: 'text/event-stream', ...(lastId > 0 ? { 'Last-Event-ID': String(lastId) } : {}) },
      signal: ctrl.signal,
      cache: 'no-store',
    });
    if (!res.ok) throw await errorOf(res);
    if (!res.body) throw new Error('the stream has no body');
    opts.onStatus?.(true);
    delay = 500;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      // Events end with a blank line; the spec allows \r\n, \r or \n line ends.
      buf = buf.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        let id: number | null = null;
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id' && /^\d+$/.test(val)) id = Number(val);
          else if (field === 'data') data.push(val);
        }
        if (data.length === 0) continue;
        if (id !== null) lastId = id;
        opts.onEvent({ id, data: data.join('\n') });
      }
    }
  }

  void (async () => {
    while (!ctrl.signal.aborted) {
      try {
        await once();
      } catch (e) {
        if (ctrl.signal.aborted) return;
        if (e instanceof ApiError && [401, 403, 404].includes(e.status)) {
          opts.onStatus?.(false);
          opts.onFatal?.(e);
          return;
        }
      }
      if (ctrl.signal.aborted) return;
      opts.onStatus?.(false);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  })();
  return () => ctrl.abort();
}

// Records what a page and its workers send, through Chromium's DevTools protocol: every request (method, URL,
// the headers the page set and the headers that went on the wire, the POST body), the CSP issues and console
// entries of the page and of each worker, and which worker targets are alive. Workers are reached with
// Target.setAutoAttach on the page's own CDP session; each one is paused until its recording is on, so not even
// its first request is missed.
import type { CDPSession, Page } from 'puppeteer-core';

export interface RecordedRequest {
  /** Order in which the recorder first saw the request (across the page and its workers). */
  index: number;
  /** `page` or `worker <url>`: which target made it. */
  from: string;
  requestId: string;
  method: string;
  url: string;
  /** Resource type as Chromium reports it (Document, Script, Fetch, Other, …). */
  type: string;
  /** Headers the page (or worker) set, lower-cased names. */
  headers: Record<string, string>;
  /** Headers as sent on the wire (`Network.requestWillBeSentExtraInfo`), lower-cased; null until reported. */
  wireHeaders: Record<string, string> | null;
  /** The request body as text, when there is one. */
  postData: string | null;
  status: number | null;
  /** Answered from the browser's cache (`Network.requestServedFromCache`): nothing went on the network. */
  fromCache?: boolean;
}

export interface CspReport {
  from: string;
  /** `issue`: Audits.issueAdded ContentSecurityPolicyIssue; `log`/`console`: a message that names the CSP. */
  via: 'issue' | 'log' | 'console';
  detail: string;
}

export interface WorkerTarget {
  from: string;
  targetId: string;
  type: string;
  url: string;
  session: CDPSession;
  detached: boolean;
}

const lower = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), String(v)]));

/**
 * Starts recording on a page (before it navigates, so the document request is recorded too).
 *
 * @example
 * const rec = await startRecorder(page);
 * await page.goto(url);
 * await rec.settle();
 * console.log(rec.requests.map((r) => `${r.method} ${r.url}`));
 */
export async function startRecorder(page: Page) {
  const requests: RecordedRequest[] = [];
  const byKey = new Map<string, RecordedRequest>();
  const extraFirst = new Map<string, Record<string, string>>();
  const csp: CspReport[] = [];
  const consoleLines: Array<{ from: string; text: string }> = [];
  const workers: WorkerTarget[] = [];
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  function listen(session: CDPSession, from: string): void {
    const key = (id: string) => `${from}\u0000${id}`;
    session.on('Network.requestWillBeSent', (e) => {
      // A redirect reuses the request id: the hop already recorded stays, the new one gets its own record.
      const k = key(e.requestId);
      if (byKey.has(k)) byKey.set(`${k}\u0000${requests.length}`, byKey.get(k)!);
      const r: RecordedRequest = {
        index: requests.length,
        from,
        requestId: e.requestId,
        method: e.request.method,
        url: e.request.url,
        type: e.type ?? '',
        headers: lower(e.request.headers),
        wireHeaders: extraFirst.get(k) ?? null,
        postData: e.request.postData ?? null,
        status: null,
      };
      extraFirst.delete(k);
      requests.push(r);
      byKey.set(k, r);
      if (e.request.hasPostData && r.postData === null)
        track(
          session
            .send('Network.getRequestPostData', { requestId: e.requestId })
            .then((d) => void (r.postData = d.postData))
            .catch(() => undefined),
        );
    });
    session.on('Network.requestWillBeSentExtraInfo', (e) => {
      const k = key(e.requestId);
      const r = byKey.get(k);
      if (r) r.wireHeaders = { ...(r.wireHeaders ?? {}), ...lower(e.headers) };
      else extraFirst.set(k, lower(e.headers));
    });
    session.on('Network.requestServedFromCache', (e) => {
      const r = byKey.get(key(e.requestId));
      if (r) r.fromCache = true;
    });
    session.on('Network.responseReceived', (e) => {
      const r = byKey.get(key(e.requestId));
      if (r) r.status = e.response.status;
    });
    session.on('Audits.issueAdded', (e) => {
      if (e.issue.code === 'ContentSecurityPolicyIssue') csp.push({ from, via: 'issue', detail: JSON.stringify(e.issue.details) });
    });
    session.on('Log.entryAdded', (e) => {
      if (/Content.Security.Policy/i.test(e.entry.text)) csp.push({ from, via: 'log', detail: e.entry.text });
    });
    session.on('Runtime.consoleAPICalled', (e) => {
      const text = e.args.map((a) => (a.value !== undefined ? String(a.value) : (a.description ?? ''))).join(' ');
      consoleLines.push({ from, text });
      if (/Content.Security.Policy/i.test(text)) csp.push({ from, via: 'console', detail: text });
    });
    session.on('Runtime.exceptionThrown', (e) => {
      const text = e.exceptionDetails.exception?.description ?? e.exceptionDetails.text;
      consoleLines.push({ from, text });
      if (/Content.Security.Policy/i.test(text)) csp.push({ from, via: 'console', detail: text });
    });
  }

  async function enable(session: CDPSession): Promise<void> {
    await Promise.all([
      session.send('Network.enable'),
      session.send('Audits.enable'),
      session.send('Log.enable'),
      session.send('Runtime.enable'),
    ]);
  }

  async function attach(session: CDPSession, depth: number): Promise<void> {
    session.on('Target.attachedToTarget', (e) => {
      const info = e.targetInfo;
      const from = `${info.type} ${info.url}`;
      const child = session.connection()?.session(e.sessionId) ?? null;
      if (!child) return;
      const w: WorkerTarget = { from, targetId: info.targetId, type: info.type, url: info.url, session: child, detached: false };
      workers.push(w);
      listen(child, from);
      track(
        (async () => {
          try {
            await enable(child);
            if (depth < 2) await attach(child, depth + 1);
          } finally {
            // Paused at start (waitForDebuggerOnStart) until its recording is on.
            await child.send('Runtime.runIfWaitingForDebugger').catch(() => undefined);
          }
        })().catch(() => undefined),
      );
    });
    session.on('Target.detachedFromTarget', (e) => {
      for (const w of workers) if (w.session.id() === e.sessionId) w.detached = true;
    });
    await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
  }

  const root = await page.createCDPSession();
  listen(root, 'page');
  await enable(root);
  await attach(root, 0);

  return {
    requests,
    csp,
    consoleLines,
    workers,
    /** Worker targets (dedicated, shared or service workers) still attached. */
    liveWorkers: () => workers.filter((w) => !w.detached && /worker/.test(w.type)),
    /** Waits for the bodies being fetched over CDP. */
    async settle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async stop(): Promise<void> {
      await root.detach().catch(() => undefined);
    },
  };
}
export type Recorder = Awaited<ReturnType<typeof startRecorder>>;

export interface StoredItem {
  area: 'indexedDB' | 'localStorage' | 'sessionStorage';
  key: string;
}

/**
 * Everything in the page's IndexedDB (as `database/store/key`), localStorage and sessionStorage, read in the
 * page itself. Only databases that exist are opened (opening a missing one would create it).
 */
export function readDeviceStorage(page: Page): Promise<StoredItem[]> {
  return page.evaluate(async () => {
    const out: Array<{ area: 'indexedDB' | 'localStorage' | 'sessionStorage'; key: string }> = [];
    // No named helper functions in here: tsx would wrap them in a `__name` call the page does not have.
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const o = indexedDB.open(info.name!);
        o.onsuccess = () => ok(o.result);
        o.onerror = () => fail(o.error);
      });
      try {
        for (const store of [...db.objectStoreNames]) {
          const r = db.transaction(store, 'readonly').objectStore(store).getAllKeys();
          const keys = await new Promise<IDBValidKey[]>((ok, fail) => {
            r.onsuccess = () => ok(r.result);
            r.onerror = () => fail(r.error);
          });
          for (const k of keys) out.push({ area: 'indexedDB', key: `${info.name}/${store}/${String(k)}` });
        }
      } finally {
        db.close();
      }
    }
    for (let i = 0; i < localStorage.length; i++) out.push({ area: 'localStorage', key: localStorage.key(i)! });
    for (let i = 0; i < sessionStorage.length; i++) out.push({ area: 'sessionStorage', key: sessionStorage.key(i)! });
    return out;
  });
}

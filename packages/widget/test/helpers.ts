// Shared by the widget's browser tests. No assertion library is installed: a tiny assert is enough.

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export function equal<T>(actual: T, expected: T, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

/** Polls until `fn` returns a truthy value. Waits on real events (network, IndexedDB), never asserts on time. */
export async function waitFor<T>(fn: () => T | null | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function shadowOf(doc: Document = document): ShadowRoot | null {
  return doc.querySelector('temper-widget')?.shadowRoot ?? null;
}

/** Deletes the widget's IndexedDB database so every test starts from an empty device. */
export function deleteDb(): Promise<void> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.deleteDatabase('temper');
    r.onsuccess = () => resolve();
    r.onerror = () => reject(r.error);
    r.onblocked = () => resolve();
  });
}

/** Loads a page in an iframe (a real navigation each time) and resolves once it has loaded. */
export function loadFrame(frame: HTMLIFrameElement, url: string): Promise<Window> {
  const target = new URL(url, location.href).href;
  return new Promise((resolve) => {
    // A freshly inserted iframe may still fire the load event of its initial about:blank: wait for ours.
    const onLoad = () => {
      if (frame.contentWindow?.location.href !== target) return;
      frame.removeEventListener('load', onLoad);
      resolve(frame.contentWindow);
    };
    frame.addEventListener('load', onLoad);
    // Setting the same URL again would not navigate; location.reload() does.
    if (frame.contentWindow?.location.href === target) frame.contentWindow.location.reload();
    else frame.src = url;
  });
}

/** Reads the widget's IndexedDB store directly, closing the connection after (an open one would block deletes). */
export function readStore(): Promise<Map<string, unknown>> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('temper');
    open.onupgradeneeded = () => open.result.createObjectStore('kv');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const out = new Map<string, unknown>();
      if (!db.objectStoreNames.contains('kv')) return db.close(), resolve(out);
      const cursor = db.transaction('kv').objectStore('kv').openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return db.close(), resolve(out);
        out.set(String(c.key), c.value);
        c.continue();
      };
      cursor.onerror = () => (db.close(), reject(cursor.error));
    };
  });
}

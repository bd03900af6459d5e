import { createStore, promisifyRequest } from 'idb-keyval';
import { STORAGE_DB, STORAGE_STORE } from '@temper/protocol';
import type { StorageMode } from './types.js';

/** The three operations the core needs from a storage area. */
export interface KV {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}

function memoryKV(): KV {
  const m = new Map<string, unknown>();
  return {
    get: async <T>(k: string) => m.get(k) as T | undefined,
    set: async (k, v) => void m.set(k, structuredClone(v)),
    del: async (k) => void m.delete(k),
  };
}

function sessionKV(): KV {
  // Same key names as the IndexedDB items in STORAGE_ITEMS, prefixed as the egress manifest writes them.
  const full = (k: string) => `${STORAGE_DB}/${STORAGE_STORE}/${k}`;
  return {
    get: async <T>(k: string) => {
      const raw = sessionStorage.getItem(full(k));
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    set: async (k, v) => sessionStorage.setItem(full(k), JSON.stringify(v)),
    del: async (k) => sessionStorage.removeItem(full(k)),
  };
}

/**
 * Opens the storage area for a mode. Resolves to `null` plus a memory fallback when the area is unavailable
 * (private modes, blocked storage), so the chat keeps working for this page.
 *
 * @example
 * const { kv, ok } = await openKV('local');
 * await kv.set('prefs', { open: true });
 */
export async function openKV(mode: StorageMode): Promise<{ kv: KV; ok: boolean }> {
  try {
    if (mode === 'none') return { kv: memoryKV(), ok: true };
    if (mode === 'session') {
      const kv = sessionKV();
      await kv.get('probe');
      return { kv, ok: true };
    }
    // idb-keyval's get/set/del would also bring its default store into temper.js; its two primitives suffice.
    const store = createStore(STORAGE_DB, STORAGE_STORE);
    const kv: KV = {
      get: (k) => store('readonly', (s) => promisifyRequest(s.get(k))),
      set: (k, v) => store('readwrite', (s) => (s.put(v, k), promisifyRequest(s.transaction))),
      del: (k) => store('readwrite', (s) => (s.delete(k), promisifyRequest(s.transaction))),
    };
    // Opening the database is lazy in idb-keyval: touch it now so a blocked IndexedDB is detected at boot.
    await kv.get('probe');
    return { kv, ok: true };
  } catch {
    return { kv: memoryKV(), ok: false };
  }
}

import type { StorageItem } from './egress.js';

/** IndexedDB database and object store the widget uses (through idb-keyval). */
export const STORAGE_DB = 'temper';
export const STORAGE_STORE = 'kv';

/**
 * Every item the widget stores on the device. The widget reads its keys from here, and the egress manifest
 * lists them, so a new key cannot be added without appearing in the manifest.
 */
export const STORAGE_ITEMS = [
  {
    area: 'indexedDB',
    key: 'temper/kv/conversation',
    holds: 'Conversation id, its session token, the id of the last event received and the transcript shown in the panel.',
    deleted: "On Temper('shutdown'), on \"Forget this chat\", or when the server no longer knows the conversation.",
  },
  {
    area: 'indexedDB',
    key: 'temper/kv/outbox',
    holds: 'Messages the visitor sent that have not reached the server yet (id, text, time).',
    deleted: 'Each message as soon as the server confirms it; all on shutdown or "Forget this chat".',
  },
  {
    area: 'indexedDB',
    key: 'temper/kv/prefs',
    holds: "The visitor's choices: mood detection on or off, whether the panel was open.",
    deleted: "On Temper('shutdown') or \"Forget this chat\".",
  },
] as const satisfies readonly StorageItem[];

/** Key names inside the store (the part after `temper/kv/`). */
export const STORAGE_KEYS = { conversation: 'conversation', outbox: 'outbox', prefs: 'prefs' } as const;

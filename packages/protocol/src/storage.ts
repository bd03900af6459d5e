import type { StorageItem } from './egress.js';

/** IndexedDB database and object store the widget uses (through idb-keyval). */
export const STORAGE_DB = 'temper';
export const STORAGE_STORE = 'kv';

/** Key names inside the store (the part after `temper/kv/`). */
export const STORAGE_KEYS = { conversation: 'conversation', outbox: 'outbox', prefs: 'prefs', signals: 'signals' } as const;

const ERASED = "On Temper('shutdown') or \"Forget this chat\"";
const WHAT = {
  conversation: {
    holds:
      "Conversation id, its session token, the id of the last event received and the transcript shown in the panel; for a customer the host signed in, the host's opaque id of that customer.",
    deleted: `${ERASED}, when the server no longer knows the conversation, or when a page boots the widget for another signed-in customer or for none.`,
  },
  outbox: {
    holds: 'Messages the visitor sent that have not reached the server yet (id, text, time).',
    deleted: 'Each message as soon as the server confirms it; all on Temper(\'shutdown\') or "Forget this chat".',
  },
  prefs: {
    holds: "The visitor's choices: mood detection on or off, whether the panel was open, the chat's language (en or zh-CN) once they switched it or wrote in it, and whether the mood-detection notice was shown (only then may the scorer be preloaded).",
    deleted: `${ERASED}.`,
  },
  signals: {
    holds:
      "The signals this device sent in the current conversation (seq, level, trend, time: the \"What's shared\" list), the next seq, and which messages the on-device scorer has already read. No text, no scores.",
    deleted: `${ERASED}; replaced when a new conversation starts.`,
  },
} as const;

/**
 * Every item the widget can store on the device, in every storage mode: IndexedDB for `storage: 'local'` (the
 * default), sessionStorage for `storage: 'session'` (same names; `storage: 'none'` keeps them in memory only).
 * The widget reads its keys from here, and the egress manifest lists them, so a new key cannot be added
 * without appearing in the manifest.
 */
export const STORAGE_ITEMS = [
  { area: 'indexedDB', key: 'temper/kv/conversation', ...WHAT.conversation },
  { area: 'indexedDB', key: 'temper/kv/outbox', ...WHAT.outbox },
  { area: 'indexedDB', key: 'temper/kv/prefs', ...WHAT.prefs },
  { area: 'indexedDB', key: 'temper/kv/signals', ...WHAT.signals },
  { area: 'sessionStorage', key: 'temper/kv/conversation', ...WHAT.conversation },
  { area: 'sessionStorage', key: 'temper/kv/outbox', ...WHAT.outbox },
  { area: 'sessionStorage', key: 'temper/kv/prefs', ...WHAT.prefs },
  { area: 'sessionStorage', key: 'temper/kv/signals', ...WHAT.signals },
] as const satisfies readonly StorageItem[];

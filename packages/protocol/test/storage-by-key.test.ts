// Issue 12, defect 12: one row per storage key in PRIVACY.md and /privacy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STORAGE_ITEMS, storageByKey } from '../src/index.ts';

test('storageByKey lists every key once, with every area it can live in', () => {
  const grouped = storageByKey(STORAGE_ITEMS);
  assert.deepEqual(grouped.map((s) => s.key), ['temper/kv/conversation', 'temper/kv/outbox', 'temper/kv/prefs', 'temper/kv/signals']);
  for (const s of grouped) assert.deepEqual(s.areas, ['indexedDB', 'sessionStorage']);
  assert.equal(grouped.length, new Set(STORAGE_ITEMS.map((s) => s.key)).size);
});

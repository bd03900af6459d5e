// Issue 12: one rounding rule for the queue wait (server notice and widget banner), one row per storage key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STORAGE_ITEMS, storageByKey, waitMinutes } from '../src/index.ts';

test('waitMinutes rounds to whole minutes and never says 0', () => {
  assert.deepEqual([0, 10, 29, 30, 89, 90, 130, 150, 3600].map(waitMinutes), [1, 1, 1, 1, 1, 2, 2, 3, 60]);
});

test('storageByKey lists every key once, with every area it can live in', () => {
  const grouped = storageByKey(STORAGE_ITEMS);
  assert.deepEqual(grouped.map((s) => s.key), ['temper/kv/conversation', 'temper/kv/outbox', 'temper/kv/prefs', 'temper/kv/signals']);
  for (const s of grouped) assert.deepEqual(s.areas, ['indexedDB', 'sessionStorage']);
  assert.equal(grouped.length, new Set(STORAGE_ITEMS.map((s) => s.key)).size);
});

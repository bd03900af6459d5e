import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '@temper/server';

test('listWantingHuman follows every write: create, update, transition, delete', async () => {
  const store = createMemoryStore();
  const ids = async () => (await store.listWantingHuman()).map((c) => c.id).sort();
  await store.createConversation({ id: 'a', createdAt: 1, state: 'bot', meta: { wantsHuman: true } });
  await store.createConversation({ id: 'b', createdAt: 1, state: 'bot', meta: {} });
  await store.createConversation({ id: 'c', createdAt: 1, state: 'queued', meta: { wantsHuman: true } });
  assert.deepEqual(await ids(), ['a']);
  await store.updateConversation('b', { meta: { wantsHuman: true } });
  assert.deepEqual(await ids(), ['a', 'b']);
  await store.transition('a', ['bot'], { state: 'queued' });
  assert.deepEqual(await ids(), ['b'], 'queued conversations are not in the index');
  await store.transition('c', ['queued'], { state: 'bot' });
  assert.deepEqual(await ids(), ['b', 'c'], 'back to the bot while still wanting a person');
  await store.updateConversation('b', { meta: { wantsHuman: false } });
  await store.deleteConversation('c');
  assert.deepEqual(await ids(), []);
  await store.close();
});

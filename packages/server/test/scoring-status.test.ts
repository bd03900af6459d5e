// Scoring status (issue 12, defect 8): the widget says whether scoring runs (on / off / unavailable), so the
// agent console can tell a calm visitor (scoring on, no signal yet) from one who is not scored at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken } from '@temper/server';
import { SECRET, api, post, start } from './helpers.ts';

const agent = createAgentToken(SECRET, { agentId: 'agent-a', name: 'Mei', role: 'agent', ttlMs: 86_400_000 });

test('the scoring status from open-session and POST /scoring reaches the queue and the chats', async () => {
  const s = await start();
  try {
    await api(s, 'POST', '/agent/presence', agent, { status: 'online' });
    const opened = await post(s.base, '/sessions', { locale: 'en', scoring: 'on' });
    assert.equal(opened.status, 201);
    const v = opened.body as { token: string; conversationId: string };
    assert.equal((await post(s.base, '/messages', { id: 'score-0001', text: 'I want a human' }, v.token)).status, 201);
    const item = () => api(s, 'GET', '/agent/queue', agent).then((r) => r.body.items[0]);
    // On and no signal: calm, not "not scored".
    assert.deepEqual([(await item()).scoring, (await item()).level], ['on', null]);

    const off = await post(s.base, '/scoring', { scoring: 'off' }, v.token);
    assert.deepEqual([off.status, off.body], [200, { scoring: 'off' }]);
    assert.equal((await item()).scoring, 'off');

    // A renewal carries the mode too.
    const renewed = await post(s.base, '/sessions', { scoring: 'unavailable' }, v.token);
    assert.equal(renewed.status, 200);
    assert.equal((await item()).scoring, 'unavailable');

    assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, agent)).status, 200);
    await post(s.base, '/scoring', { scoring: 'on' }, v.token);
    const chats = await api(s, 'GET', '/agent/chats', agent);
    assert.equal(chats.body.items[0].scoring, 'on');
  } finally {
    await s.close();
  }
});

test('a widget that never reports the mode reads as null; bad bodies are refused and change nothing', async () => {
  const s = await start();
  try {
    await api(s, 'POST', '/agent/presence', agent, { status: 'online' });
    const v = (await post(s.base, '/sessions', {})).body as { token: string; conversationId: string };
    await post(s.base, '/messages', { id: 'score-0002', text: 'agent' }, v.token);
    assert.equal((await api(s, 'GET', '/agent/queue', agent)).body.items[0].scoring, null);

    const wrong = await post(s.base, '/scoring', { scoring: 'maybe' }, v.token);
    assert.deepEqual([wrong.status, wrong.body.error.code, wrong.body.error.field], [400, 'not-allowed-value', 'scoring']);
    const extra = await post(s.base, '/scoring', { scoring: 'on', level: 2 }, v.token);
    assert.deepEqual([extra.status, extra.body.error.code], [400, 'unknown-field']);
    const noToken = await post(s.base, '/scoring', { scoring: 'on' });
    assert.equal(noToken.status, 401);
    const badSession = await post(s.base, '/sessions', { scoring: 'yes' });
    assert.deepEqual([badSession.status, badSession.body.error.field], [400, 'scoring']);
    assert.equal((await api(s, 'GET', '/agent/queue', agent)).body.items[0].scoring, null);
  } finally {
    await s.close();
  }
});

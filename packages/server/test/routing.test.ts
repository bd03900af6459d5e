import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { asksForHuman, decide, DEFAULT_ROUTING, isOpen, type RoutingState } from '@temper/server';

const base: RoutingState = {
  level: 0,
  trend: 0,
  botNotUnderstood: 0,
  askedForHuman: false,
  turns: 1,
  agentsOnline: 2,
  agentsFree: 2,
  now: Date.UTC(2026, 10, 18, 10, 0), // a Wednesday, 10:00 UTC
  language: 'en',
  current: null,
  assigned: false,
  levelAtHandBack: null,
  queuedAt: null,
};

describe('decide', () => {
  test('a calm visitor stays with the bot, neutral', () => {
    assert.deepEqual(decide(base), { route: 'bot', tone: 'neutral', priority: 0, queue: 'en', reasons: ['calm'] });
    assert.deepEqual(decide({ ...base, level: null, trend: null }).reasons, ['calm']);
  });

  test('uneasy: the bot turns careful but keeps the chat', () => {
    const d = decide({ ...base, level: 1 });
    assert.deepEqual([d.route, d.tone, d.reasons], ['bot', 'careful', ['uneasy']]);
  });

  test('level at the handoff line hands over; higher levels get higher priority', () => {
    const two = decide({ ...base, level: 2 });
    const three = decide({ ...base, level: 3, trend: 1 });
    assert.deepEqual([two.route, two.tone, two.reasons], ['human', 'careful', ['level-high']]);
    assert.ok(three.priority > two.priority, 'three.priority > two.priority');
  });

  test('early handoff: rising from level 1 once the bot has failed, not before', () => {
    assert.equal(decide({ ...base, level: 1, trend: 1 }).route, 'bot');
    const d = decide({ ...base, level: 1, trend: 1, botNotUnderstood: 1 });
    assert.deepEqual([d.route, d.reasons], ['human', ['rising']]);
    assert.equal(decide({ ...base, level: 0, trend: 1, botNotUnderstood: 1 }).route, 'bot');
  });

  test('two not-understood bot replies hand over', () => {
    assert.equal(decide({ ...base, botNotUnderstood: 1 }).route, 'bot');
    assert.deepEqual(decide({ ...base, botNotUnderstood: 2 }).reasons, ['bot-failed-twice']);
  });

  test('an explicit ask hands over at once, with a priority bump', () => {
    const d = decide({ ...base, askedForHuman: true });
    assert.deepEqual([d.route, d.reasons], ['human', ['asked-for-human']]);
    assert.ok(d.priority > decide(base).priority, 'd.priority > decide(base).priority');
    assert.equal(decide({ ...base, askedForHuman: true, language: 'zh' }).queue, 'zh');
  });

  test('no agent online or outside hours: the bot keeps the chat, careful, and says why', () => {
    const none = decide({ ...base, askedForHuman: true, agentsOnline: 0, agentsFree: 0 });
    assert.deepEqual([none.route, none.tone, none.reasons], ['bot', 'careful', ['asked-for-human', 'no-agent-available']]);
    const hours = { timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' };
    // 10:00 UTC is 18:00 in Shanghai: just closed.
    const closed = decide({ ...base, level: 3 }, { ...DEFAULT_ROUTING, businessHours: hours });
    assert.deepEqual([closed.route, closed.reasons], ['bot', ['level-high', 'outside-hours']]);
    const open = decide({ ...base, level: 3, now: base.now - 3_600_000 }, { ...DEFAULT_ROUTING, businessHours: hours });
    assert.equal(open.route, 'human');
  });

  test('all agents busy: still routed to a person, queued, and the reason says so', () => {
    const d = decide({ ...base, level: 2, agentsFree: 0 });
    assert.deepEqual([d.route, d.reasons], ['human', ['level-high', 'all-agents-busy']]);
  });

  test('hysteresis: a handed-over chat stays human when the level drops', () => {
    const d = decide({ ...base, level: 0, trend: -1, current: { route: 'human', tone: 'careful' } });
    assert.deepEqual([d.route, d.reasons], ['human', ['hysteresis-hold']]);
    const held = decide({ ...base, level: 1, assigned: true, current: { route: 'human', tone: 'careful' } });
    assert.deepEqual([held.route, held.reasons], ['human', ['hysteresis-hold', 'agent-assigned']]);
  });

  test('hysteresis: careful tone relaxes only when calm and not rising', () => {
    const careful = { route: 'bot', tone: 'careful' } as const;
    assert.deepEqual(decide({ ...base, level: 0, trend: 1, current: careful }).tone, 'careful');
    assert.deepEqual(decide({ ...base, level: 0, trend: 1, current: careful }).reasons, ['hysteresis-hold']);
    assert.deepEqual(decide({ ...base, level: 0, trend: -1, current: careful }).tone, 'neutral');
  });

  test('after a hand-back the same level does not hand over again; a higher one does', () => {
    assert.equal(decide({ ...base, level: 2, levelAtHandBack: 2 }).route, 'bot');
    assert.equal(decide({ ...base, level: 3, levelAtHandBack: 2 }).route, 'human');
  });

  test('waiting time raises priority, capped', () => {
    const a = decide({ ...base, level: 2, queuedAt: base.now, current: { route: 'human', tone: 'careful' } });
    const b = decide({ ...base, level: 2, queuedAt: base.now - 5 * 60_000, current: { route: 'human', tone: 'careful' } });
    const c = decide({ ...base, level: 2, queuedAt: base.now - 500 * 60_000, current: { route: 'human', tone: 'careful' } });
    assert.deepEqual([b.priority - a.priority, c.priority - a.priority], [5, 10]);
  });
});

test('asksForHuman: English and Chinese asks, and look-alikes that are not asks', () => {
  for (const t of [
    'I want a human',
    'can I talk to a real person please',
    'AGENT',
    'agent!!',
    'connect me with a representative',
    'live agent',
    'let me speak to someone',
    'human please',
    'Agent now!!',
    '转人工',
    '我要人工客服',
    '找真人',
    '客服在吗',
  ])
    assert.equal(asksForHuman(t), true, t);
  for (const t of ['where is my order', 'my shipping agent lost the parcel', 'is this a human-readable invoice?', '退款多久到账', 'humane treatment', 'the delivery agent left it at the wrong door'])
    assert.equal(asksForHuman(t), false, t);
});

test('isOpen: days and hours in the configured time zone', () => {
  const hours = { timeZone: 'America/New_York', days: [1, 2, 3, 4, 5], from: '09:00', to: '17:30' };
  assert.equal(isOpen(null, 0), true);
  assert.equal(isOpen(hours, Date.UTC(2026, 10, 18, 14, 0)), true); // Wed 09:00 EST
  assert.equal(isOpen(hours, Date.UTC(2026, 10, 18, 13, 59)), false); // 08:59
  assert.equal(isOpen(hours, Date.UTC(2026, 10, 18, 22, 29)), true); // 17:29
  assert.equal(isOpen(hours, Date.UTC(2026, 10, 18, 22, 30)), false); // 17:30
  assert.equal(isOpen(hours, Date.UTC(2026, 10, 21, 15, 0)), false); // Saturday
});

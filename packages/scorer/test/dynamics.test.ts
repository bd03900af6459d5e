// The dynamics state machine on its own, with given probabilities: smoothing, hysteresis, dwell, trend, cues,
// forecast and config merging. The end-to-end conversation tests with the real model are in
// dynamics-conversations.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_DYNAMICS_CONFIG,
  asksForHuman,
  createDynamics,
  hasEmphaticPunctuation,
  isShouting,
  resolveDynamicsConfig,
  textSimilarity,
  type DynamicsOutput,
  type DynamicsOverrides,
} from '../src/dynamics.ts';

const T0 = 1_700_000_000_000;
// These tests feed the evidence of the probability directly (p = evidence); the remap has its own test.
// Linear p → evidence and no relief step, so the smoothing arithmetic below is the plain rise/decay one.
// Surge off, so one step is one `rise` (the surge test turns it on).
const LINEAR = resolveDynamicsConfig({ probability: { floor: 0, ceiling: 1 }, relief: { maxP: 0 }, surge: { minEvidence: 1 } });
const linear = (o: DynamicsOverrides) => resolveDynamicsConfig({ probability: { floor: 0, ceiling: 1 }, relief: { maxP: 0 }, surge: { minEvidence: 1 } }, o);

/** Plays visitor messages 20 s apart, each answered 5 s later (understood unless marked). */
function play(msgs: readonly (readonly [string, number, boolean?])[], cfg = LINEAR): DynamicsOutput[] {
  const d = createDynamics(cfg);
  let t = T0;
  return msgs.map(([text, p, understood]) => {
    t += 20_000;
    const o = d.visitor(text, p, t);
    d.reply(understood ?? true, t + 5_000);
    return o;
  });
}

test('cue detectors: ask for a human (en, zh), shouting, emphatic punctuation', () => {
  for (const s of ['Can I talk to a human?', 'I want a real person', 'get me an agent', 'representative please', 'let me speak to someone', '转人工', '我要人工客服', '有没有真人', '帮我找客服', '客服呢？']) {
    assert.ok(asksForHuman(s), s);
  }
  for (const s of ['Thanks, that worked', 'How do I change my address?', '客服根本不回复', '谢谢，问题解决了', 'humane society']) {
    assert.ok(!asksForHuman(s), s);
  }
  assert.ok(isShouting('WHY IS THIS STILL BROKEN'), 'isShouting(\'WHY IS THIS STILL BROKEN\')');
  assert.ok(isShouting('ＷＨＥＲＥ ＩＳ ＭＹ ＯＲＤＥＲ'), 'full-width capitals are folded by NFKC');
  assert.ok(!isShouting('OK'), 'too few letters to tell');
  assert.ok(!isShouting('I ordered a USB-C cable from the EU shop'), '!isShouting(\'I ordered a USB-C cable from the EU shop\')');
  for (const s of ['where is it???', 'stop!!', 'really?!', '怎么还没到！！', '为什么？？']) assert.ok(hasEmphaticPunctuation(s), s);
  for (const s of ['Where is it?', 'Great!', '好的！']) assert.ok(!hasEmphaticPunctuation(s), s);
});

test('similarity: rephrasings score high, unrelated messages low, in both scripts', () => {
  assert.ok(textSimilarity('I already told you my order number', 'I told you my order number already!!') > 0.7, 'textSimilarity(\'I already told you my order number\', \'I told you my order number already!!\') > 0.7');
  assert.ok(textSimilarity("I tried that, it's still not working.", 'Sorry, it is still not working.') >= 0.3, 'textSimilarity("I tried that, it\'s still not working.", \'Sorry, it is still not working.\') >= 0.3');
  assert.ok(textSimilarity('还是不行啊', '试过了，还是不行') >= 0.3, 'textSimilarity(\'还是不行啊\', \'试过了，还是不行\') >= 0.3');
  assert.ok(textSimilarity('How do I change my address?', 'Can I pay with PayPal?') < 0.1, 'textSimilarity(\'How do I change my address?\', \'Can I pay with PayPal?\') < 0.1');
  assert.ok(textSimilarity('我想改一下地址', '怎么付款？') < 0.1, 'textSimilarity(\'我想改一下地址\', \'怎么付款？\') < 0.1');
  assert.equal(textSimilarity('same text', 'SAME TEXT!!!'), 1);
  assert.equal(textSimilarity('', 'anything'), 0);
});

test('smoothing rises fast and decays slowly; one message moves the score by at most `rise`', () => {
  const d = createDynamics(LINEAR);
  const up = d.visitor('x', 1, T0);
  assert.equal(up.score, DEFAULT_DYNAMICS_CONFIG.rise);
  assert.equal(up.level, 1, 'a single outburst reaches uneasy, not frustrated');
  const down = d.visitor('y', 0, T0 + 1);
  assert.ok(Math.abs(down.score - up.score * (1 - DEFAULT_DYNAMICS_CONFIG.decay)) < 1e-12, 'Math.abs(down.score - up.score * (1 - DEFAULT_DYNAMICS_CONFIG.decay)) < 1e-12');
});

test('surge: a second strong message in a row closes surge.rise of the gap; one strong message after calm ones does not', () => {
  const { surge, rise } = DEFAULT_DYNAMICS_CONFIG;
  assert.ok(surge.rise > rise && surge.minEvidence < 1, 'surge.rise > rise && surge.minEvidence < 1');
  const SURGE = resolveDynamicsConfig({ probability: { floor: 0, ceiling: 1 }, relief: { maxP: 0 } });
  const d = createDynamics(SURGE);
  const first = d.visitor('refund me now', 0.9, T0);
  assert.ok(Math.abs(first.score - 0.9 * rise) < 1e-12, 'the first strong message rises at the plain rate');
  assert.ok(first.level < 2, 'one outburst is not "frustrated"');
  const second = d.visitor('I am calling my bank about the charge', 0.9, T0 + 1);
  assert.ok(Math.abs(second.score - (first.score + (0.9 - first.score) * surge.rise)) < 1e-12, 'Math.abs(second.score - (first.score + (0.9 - first.score) * surge.rise)) < 1e-12');
  assert.ok(second.level >= 2, 'two furious messages in a row reach frustrated');
  // A strong message after a calm one rises at the plain rate.
  const e = createDynamics(SURGE);
  const calm = e.visitor('where is my order?', surge.minEvidence / 2, T0);
  const loud = e.visitor('this is a joke', 0.9, T0 + 1);
  assert.ok(Math.abs(loud.score - (calm.score + (0.9 - calm.score) * rise)) < 1e-12, 'Math.abs(loud.score - (calm.score + (0.9 - calm.score) * rise)) < 1e-12');
  // Off when minEvidence is 1 (no message is that strong with a real model), and bad settings are refused.
  const off = createDynamics(LINEAR);
  off.visitor('a', 0.9, T0);
  assert.ok(Math.abs(off.visitor('b', 0.9, T0 + 1).score - (0.45 + 0.45 * rise)) < 1e-12, 'Math.abs(off.visitor(\'b\', 0.9, T0 + 1).score - (0.45 + 0.45 * rise)) < 1e-12');
  assert.throws(() => resolveDynamicsConfig({ surge: { rise: 1.5 } }), /surge/);
  assert.throws(() => resolveDynamicsConfig({ surge: { minEvidence: 2 } }), /surge/);
});

test('relief: a clearly positive message (p < relief.maxP, no cue) closes relief.decay of the gap', () => {
  const cfg = resolveDynamicsConfig({ probability: { floor: 0, ceiling: 1 } });
  const d = createDynamics(cfg);
  const up = d.visitor('x', 1, T0);
  const p = cfg.relief.maxP / 2;
  const relieved = d.visitor('thanks, it works now', p, T0 + 1);
  assert.ok(Math.abs(relieved.score - (up.score + (p - up.score) * cfg.relief.decay)) < 1e-12, 'Math.abs(relieved.score - (up.score + (p - up.score) * cfg.relief.decay)) < 1e-12');
  const plain = createDynamics(cfg);
  plain.visitor('x', 1, T0);
  const neutral = plain.visitor('ok', cfg.relief.maxP + 0.01, T0 + 1);
  assert.ok(neutral.score > relieved.score, 'an ordinary calm message decays at the slow rate');
  assert.throws(() => resolveDynamicsConfig({ relief: { decay: 0 } }), /relief/);
});

test('levels: enter thresholds above exit thresholds, held for the minimum dwell, down one level per turn', () => {
  const d = createDynamics(LINEAR);
  const seen: number[] = [];
  let t = T0;
  for (const p of [1, 1, 1, 1]) seen.push(d.visitor('x', p, (t += 1000)).level);
  assert.deepEqual(seen, [1, 2, 3, 3]);
  // Calm messages: the score decays slowly and the level steps down one level per turn at most.
  const calm: DynamicsOutput[] = [];
  for (let i = 0; i < 25; i++) calm.push(d.visitor('fine', 0, (t += 1000)));
  for (let i = 1; i < calm.length; i++) assert.ok(calm[i - 1]!.level - calm[i]!.level <= 1, 'calm[i - 1]!.level - calm[i]!.level <= 1');
  assert.equal(calm.at(-1)!.level, 0);
  // Hysteresis: a score between exit and enter keeps whatever level it had.
  const h = createDynamics(linear({ rise: 1, decay: 1, minDwellTurns: 0 }));
  assert.equal(h.visitor('x', 0.6, T0).level, 2);
  assert.equal(h.visitor('x', 0.5, T0 + 1).level, 2, '0.5 is above exit (0.45): stays 2');
  assert.equal(h.visitor('x', 0.4, T0 + 2).level, 1);
  assert.equal(h.visitor('x', 0.5, T0 + 3).level, 1, '0.5 is below enter (0.55): stays 1');
});

test('dwell: a level just entered is held for minDwellTurns even if the score drops below exit', () => {
  const d = createDynamics(linear({ rise: 1, decay: 1, minDwellTurns: 2 }));
  assert.equal(d.visitor('x', 0.6, T0).level, 2);
  assert.equal(d.visitor('x', 0, T0 + 1).level, 2, 'held: 1 turn in level 2');
  assert.equal(d.visitor('x', 0, T0 + 2).level, 1, '2 turns: may step down one level');
  assert.equal(d.visitor('x', 0, T0 + 3).level, 1, 'level 1 just entered: held');
  assert.equal(d.visitor('x', 0, T0 + 4).level, 0);
});

test('trend: rising while the score climbs, steady on a plateau, easing while it falls', () => {
  const d = createDynamics(LINEAR);
  let t = T0;
  const trends = [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9].map((p) => d.visitor('x', p, (t += 1000)).trend);
  assert.equal(trends[0], 1);
  assert.equal(trends.at(-1), 0, 'a plateau is steady');
  const easing = [0, 0, 0].map((p) => d.visitor('x', p, (t += 1000)).trend);
  assert.equal(easing.at(-1), -1);
  // A calm message right after a climb: the window's slope is still positive, but the score fell.
  const e = createDynamics(LINEAR);
  e.visitor('x', 0.4, T0);
  e.visitor('x', 0.7, T0 + 1);
  assert.equal(e.visitor('x', 0.9, T0 + 2).trend, 1);
  assert.equal(e.visitor('thanks', 0, T0 + 3).trend, 0);
});

test('trend: back at level 0 with a low score, the trend settles to steady instead of easing on', () => {
  const d = createDynamics(LINEAR);
  let t = T0;
  d.visitor('x', 0.9, (t += 1000));
  let o = d.visitor('x', 0.9, (t += 1000));
  assert.equal(o.trend, 1);
  const seen: DynamicsOutput[] = [];
  for (let i = 0; i < 30; i++) seen.push((o = d.visitor('fine', 0, (t += 1000))));
  assert.ok(seen.some((x) => x.trend === -1), 'easing while the score falls');
  const last = seen.at(-1)!;
  assert.ok(last.level === 0 && last.score < DEFAULT_DYNAMICS_CONFIG.trend.minScore, 'last.level === 0 && last.score < DEFAULT_DYNAMICS_CONFIG.trend.minScore');
  assert.equal(last.trend, 0);
  // Without the floor the slow tail of the decay would keep reporting "easing".
  const raw = createDynamics(linear({ trend: { minScore: 0, exitSlope: 0.001 } }));
  t = T0;
  raw.visitor('x', 0.9, (t += 1000));
  raw.visitor('x', 0.9, (t += 1000));
  let r = raw.output();
  for (let i = 0; i < 30; i++) r = raw.visitor('fine', 0, (t += 1000));
  assert.equal(r.trend, -1);
});

test('repeated complaints add up: the same polite p reaches level 2 only because it repeats', () => {
  const repeated = play([
    ['My order page shows an error.', 0.3],
    ["I tried that, it's still not working.", 0.35],
    ['Sorry, it is still not working.', 0.35],
    ['Still not working, unfortunately.', 0.35],
    ['It is still not working for me.', 0.35],
  ]);
  assert.deepEqual(repeated.map((o) => o.cues!.repeats), [0, 0, 1, 2, 3]);
  assert.ok(repeated.some((o) => o.level >= 2), JSON.stringify(repeated.map((o) => o.score)));
  const varied = play([
    ['My order page shows an error.', 0.3],
    ['Which browser should I use?', 0.35],
    ['Do you ship to Canada?', 0.35],
    ['Can I pay by invoice?', 0.35],
    ['What are your opening hours?', 0.35],
  ]);
  assert.ok(varied.every((o) => o.level < 2), 'varied.every((o) => o.level < 2)');
});

test('bot failures weigh more when consecutive; an understood reply clears them', () => {
  const fails = play([
    ['where is my parcel', 0.2, false],
    ['the parcel for order 1234', 0.2, false],
    ['order number 1234, placed monday', 0.2, false],
    ['hello?', 0.2],
  ]);
  assert.deepEqual(fails.map((o) => o.cues!.botFailures), [0, 1, 2, 3]);
  const e = fails.map((o) => o.evidence! - 0.2);
  assert.ok(e[2]! - e[1]! > e[1]! - e[0]!, 'the second consecutive failure adds more than the first');
  const cleared = play([
    ['where is my parcel', 0.2, false],
    ['the parcel for order 1234', 0.2, true],
    ['thanks', 0.2],
  ]);
  assert.equal(cleared[2]!.cues!.botFailures, 0);
});

test('long waits: a slow reply and an unanswered wait (ticks) raise the score; a quick reply does not', () => {
  const thr = DEFAULT_DYNAMICS_CONFIG.cues.wait.thresholdMs;
  const slow = createDynamics(LINEAR);
  slow.visitor('hello, is anyone there', 0.1, T0);
  slow.reply(true, T0 + 3 * thr);
  const a = slow.visitor('ok so about my order', 0.1, T0 + 3 * thr + 1000);
  assert.ok(a.cues!.waitedMs >= 3 * thr, 'a.cues!.waitedMs >= 3 * thr');
  const quick = createDynamics(LINEAR);
  quick.visitor('hello, is anyone there', 0.1, T0);
  quick.reply(true, T0 + 1000);
  const b = quick.visitor('ok so about my order', 0.1, T0 + 2000);
  assert.equal(b.cues!.waitedMs, 0);
  assert.ok(a.score > b.score, 'a.score > b.score');

  const ticking = createDynamics(LINEAR);
  const before = ticking.visitor('hello?', 0.1, T0);
  const t1 = ticking.tick(T0 + thr / 2);
  assert.equal(t1.score, before.score, 'no step before the threshold');
  const t2 = ticking.tick(T0 + 5 * thr);
  assert.ok(t2.score > before.score, 't2.score > before.score');
  assert.equal(ticking.tick(T0 + 5 * thr + 1).score, t2.score, 'each threshold counts once');
  // What the ticks already counted is not counted again when the next message arrives.
  const next = ticking.visitor('hello??', 0.1, T0 + 5 * thr + 2);
  assert.ok(next.evidence! <= 0.1 + DEFAULT_DYNAMICS_CONFIG.cues.punctuation.weight + 1e-9, 'next.evidence! <= 0.1 + DEFAULT_DYNAMICS_CONFIG.cues.punctuation.weight + 1e-9');
});

test('forecast: an ask for a human raises it; rising scores raise it; it is off once level 2 is reached', () => {
  const base: [string, number][] = [
    ['hi, my discount code is rejected', 0.25],
    ['it says invalid code', 0.3],
  ];
  const withAsk = play([...base, ['can I talk to a human please', 0.3]]);
  const without = play([...base, ['can you check the code please', 0.3]]);
  assert.ok(withAsk[2]!.cues!.askHuman, 'withAsk[2]!.cues!.askHuman');
  assert.ok(withAsk[2]!.forecastProbability > without[2]!.forecastProbability + 0.2, 'withAsk[2]!.forecastProbability > without[2]!.forecastProbability + 0.2');
  assert.ok(withAsk[2]!.willReachLevel2Soon, 'withAsk[2]!.willReachLevel2Soon');
  assert.ok(!without[2]!.willReachLevel2Soon, '!without[2]!.willReachLevel2Soon');
  const hot = play([['x', 0.9], ['y', 0.9], ['z', 0.9]]);
  assert.ok(hot[0]!.willReachLevel2Soon, 'one hot message: level 1 and climbing');
  assert.equal(hot[2]!.level >= 2 && hot[2]!.willReachLevel2Soon, false);
});

test('deterministic: the same script gives the same outputs; reset starts over', () => {
  const script: [string, number, boolean][] = [
    ['WHY is this broken???', 0.8, false],
    ['still broken', 0.6, false],
    ['ok thanks', 0.1, true],
  ];
  assert.deepEqual(play(script), play(script));
  const d = createDynamics(LINEAR);
  d.visitor('WHY is this broken???', 0.8, T0);
  d.reset();
  assert.deepEqual(d.output(), createDynamics(LINEAR).output());
});

test('probability remap: below the floor a message is calm evidence; at the ceiling it is full evidence', () => {
  const { floor, ceiling } = DEFAULT_DYNAMICS_CONFIG.probability;
  const d = createDynamics();
  assert.equal(d.visitor('When does my order ship?', floor - 0.05, T0).evidence, 0);
  assert.ok(Math.abs(d.visitor('Why is it so late', (floor + ceiling) / 2, T0 + 1).evidence! - 0.5) < 1e-9, 'Math.abs(d.visitor(\'Why is it so late\', (floor + ceiling) / 2, T0 + 1).evidence! - 0.5) < 1e-9');
  assert.equal(createDynamics().visitor('Useless', Math.min(1, ceiling + 0.05), T0).evidence, 1);
});

test('config: overrides merge deeply; unknown keys, bad types and inconsistent thresholds throw', () => {
  const c = resolveDynamicsConfig({ rise: 0.6 }, { cues: { wait: { thresholdMs: 30_000 } } });
  assert.equal(c.rise, 0.6);
  assert.equal(c.cues.wait.thresholdMs, 30_000);
  assert.equal(c.cues.wait.weight, DEFAULT_DYNAMICS_CONFIG.cues.wait.weight);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.cues.wait), 'Object.isFrozen(c) && Object.isFrozen(c.cues.wait)');
  assert.throws(() => resolveDynamicsConfig({ rize: 0.6 } as never), /unknown key rize/);
  assert.throws(() => resolveDynamicsConfig({ cues: { wait: { treshold: 1 } } } as never), /unknown key cues.wait.treshold/);
  assert.throws(() => resolveDynamicsConfig({ rise: '0.6' } as never), /rise must be a finite number/);
  assert.throws(() => resolveDynamicsConfig({ enter: [0.3, 0.55] } as never), /array of 3/);
  assert.throws(() => resolveDynamicsConfig({ exit: [0.2, 0.6, 0.7] }), /exit threshold must be below/);
  assert.throws(() => resolveDynamicsConfig({ rise: 0 }), /rise and decay/);
  assert.throws(() => createDynamics(LINEAR).visitor('x', 1.2, T0), /p must be in \[0, 1\]/);
  assert.throws(() => createDynamics(LINEAR).visitor('x', Number.NaN, T0), /p must be in \[0, 1\]/);
});

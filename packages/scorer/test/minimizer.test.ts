// The minimizer: what may leave the device. Every produced signal is checked against the wire schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schemas, validate, type Level, type Signal } from '@temper/protocol';
import { createMinimizer, estimateLevelShares, ldpTruthProbability, randomizeLevel } from '../src/minimizer.ts';

/** A seeded xorshift32, so the statistical checks are reproducible. */
function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

function valid(s: Signal | null): Signal | null {
  if (s !== null) {
    const r = validate(schemas.signal, s);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(Object.keys(s).sort(), ['level', 'seq', 'trend', 'v']);
  }
  return s;
}

test('emits only when level or trend changes, with seq increasing by one', () => {
  const m = createMinimizer();
  const states: [Level, -1 | 0 | 1][] = [
    [0, 0], [0, 0], [1, 1], [1, 1], [2, 1], [2, 0], [2, 0], [1, -1], [0, -1], [0, 0], [0, 0],
  ];
  const out = states.map(([l, t]) => valid(m.update(l, t)));
  assert.deepEqual(
    out.map((s) => s && [s.seq, s.level, s.trend]),
    [null, null, [1, 1, 1], null, [2, 2, 1], [3, 2, 0], null, [4, 1, -1], [5, 0, -1], [6, 0, 0], null],
  );
  assert.equal(m.nextSeq, 7);
});

test('startSeq resumes a persisted conversation; reset restarts; bad values are refused', () => {
  const m = createMinimizer({ startSeq: 41 });
  assert.equal(valid(m.update(2, 1))!.seq, 41);
  assert.equal(m.nextSeq, 42);
  m.reset();
  assert.equal(m.update(2, 1)!.seq, 1, 'a new conversation starts from calm and seq 1');
  m.reset(9);
  assert.equal(m.update(0, 0), null, 'after reset the state is calm/steady again');
  assert.equal(m.update(1, 1)!.seq, 9);
  assert.throws(() => createMinimizer({ startSeq: 0 }), /startSeq/);
  assert.throws(() => createMinimizer({ startSeq: 1.5 }), /startSeq/);
  assert.throws(() => createMinimizer({ ldp: { epsilon: 0 } }), /epsilon/);
  assert.throws(() => m.update(4 as Level, 0), /bad level/);
  assert.throws(() => m.update(1, 2 as 0), /bad trend/);
});

test('assume: a state the server already has is taken without a send; the next change is sent', () => {
  const m = createMinimizer({ startSeq: 5 });
  m.assume(2, 1);
  assert.equal(m.update(2, 1), null);
  assert.deepEqual(valid(m.update(2, 0)), { v: 1, seq: 5, level: 2, trend: 0 });
  assert.throws(() => m.assume(7 as Level, 0), /bad level/);
});

test('LDP: truth probability e^ε/(e^ε+3); the other levels share the rest evenly', () => {
  assert.ok(Math.abs(ldpTruthProbability(1) - Math.E / (Math.E + 3)) < 1e-12, 'Math.abs(ldpTruthProbability(1) - Math.E / (Math.E + 3)) < 1e-12');
  const random = seeded(7);
  const n = 40_000;
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) counts[randomizeLevel(2, 1, random)]! += 1;
  const p = ldpTruthProbability(1);
  const q = (1 - p) / 3;
  // 5 standard errors: a wrong split (e.g. truth kept at p²) fails, sampling noise does not.
  const tol = (x: number) => 5 * Math.sqrt((x * (1 - x)) / n);
  assert.ok(Math.abs(counts[2]! / n - p) < tol(p), String(counts));
  for (const l of [0, 1, 3]) assert.ok(Math.abs(counts[l]! / n - q) < tol(q), String(counts));
});

test('LDP: the minimizer randomizes only the reported level; sends still follow the true changes', () => {
  const m = createMinimizer({ ldp: { epsilon: 0.5, random: seeded(3) } });
  let sent = 0;
  let differs = 0;
  for (let i = 0; i < 200; i++) {
    const level = (i % 2 ? 2 : 1) as Level;
    const s = valid(m.update(level, 1));
    assert.ok(s, 'every true change is sent');
    sent++;
    if (s.level !== level) differs++;
  }
  assert.equal(sent, 200);
  assert.ok(differs > 60, `randomized: ${differs} of 200 differ`);
  assert.equal(m.update(1, 1)!.seq, 201);
  assert.equal(m.update(1, 1), null, 'no change, no send, whatever the noise');
});

test('LDP: the server-side estimator recovers the true level shares (and the accuracy table)', () => {
  const truth = [0.6, 0.2, 0.15, 0.05];
  const random = seeded(11);
  const n = 50_000;
  const rows: string[] = [];
  for (const eps of [0.5, 1, 2, 4]) {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const u = random();
      const level = (u < 0.6 ? 0 : u < 0.8 ? 1 : u < 0.95 ? 2 : 3) as Level;
      counts[randomizeLevel(level, eps, random)]! += 1;
    }
    const est = estimateLevelShares(counts, eps);
    const p = ldpTruthProbability(eps);
    const q = (1 - p) / 3;
    // Standard deviation of one estimated share: sqrt(π(1−π)/n)/(p−q) with π the reported share.
    est.forEach((e, l) => {
      const pi = truth[l]! * (p - q) + q;
      const sd = Math.sqrt((pi * (1 - pi)) / n) / (p - q);
      assert.ok(Math.abs(e - truth[l]!) < 5 * sd, `ε=${eps} level ${l}: ${e} vs ${truth[l]}`);
    });
    const sd1000 = Math.sqrt(0.25 / 1000) / (p - q);
    rows.push(`ε=${String(eps).padEnd(3)}  P(true level)=${p.toFixed(3)}  signals needed for ±5% share (95%)≈${Math.ceil((1.96 * 0.5) ** 2 / 0.05 ** 2 / (p - q) ** 2)}  sd of a share at n=1000: ${sd1000.toFixed(3)}`);
  }
  console.log(rows.join('\n'));
  assert.throws(() => estimateLevelShares([1, 2, 3], 1), /need 4 counts/);
});

// The figures in the model card come from these functions; check them against hand-computed cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auc, bestThreshold, calibration, fitPlatt, prf, sigmoid } from '../../../scripts/lib/metrics.ts';
import { mulberry32 } from '../../../scripts/lib/trainer.ts';

test('AUC: perfect, inverted, ties count one half, one class is NaN', () => {
  assert.equal(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
  assert.equal(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
  assert.equal(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
  // pos {0.4, 0.6} vs neg {0.4, 0.2}: pairs (0.4,0.4)=½, (0.4,0.2)=1, (0.6,·)=1+1 → 3.5/4
  assert.equal(auc([0.4, 0.6, 0.4, 0.2], [1, 1, 0, 0]), 0.875);
  assert.ok(Number.isNaN(auc([0.1, 0.2], [1, 1])), 'Number.isNaN(auc([0.1, 0.2], [1, 1]))');
});

test('precision / recall / F1 at a threshold', () => {
  const r = prf([0.9, 0.6, 0.4, 0.2], [1, 0, 1, 0], 0.5);
  assert.deepEqual([r.tp, r.fp, r.fn, r.tn], [1, 1, 1, 1]);
  assert.equal(r.precision, 0.5);
  assert.equal(r.recall, 0.5);
  assert.equal(r.f1, 0.5);
  assert.equal(bestThreshold([{ scores: [0.9, 0.8, 0.3, 0.1], labels: [1, 1, 0, 0] }]), 0.31);
});

test('ECE: 0 when each bin mean p matches its rate and Platt recovers a known scaling', () => {
  assert.ok(Math.abs(calibration([0.05, 0.05, 0.95, 0.95], [0, 0, 1, 1]).ece - 0.05) < 1e-12, 'Math.abs(calibration([0.05, 0.05, 0.95, 0.95], [0, 0, 1, 1]).ece - 0.05) < 1e-12');
  assert.ok(calibration([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0]).ece < 1e-12, 'calibration([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0]).ece < 1e-12');
  const rnd = mulberry32(3);
  const z: number[] = [], y: number[] = [];
  for (let i = 0; i < 20000; i++) {
    const zi = rnd() * 8 - 4;
    z.push(zi);
    y.push(rnd() < sigmoid(0.5 * zi - 1) ? 1 : 0);
  }
  const p = fitPlatt(z, y);
  assert.ok(Math.abs(p.a - 0.5) < 0.05 && Math.abs(p.b + 1) < 0.08, JSON.stringify(p));
});

// Type tests of @temper/protocol's public API (npm run test:types): each @ts-expect-error is a mistake the types
// must catch; tsc fails if one is no longer an error. Imports go through the package name (its published types).
import { schemas, validate, type Signal, type Validated } from '@temper/protocol';

const r: Validated<Signal> = validate(schemas.signal, JSON.parse('{}'));
if (r.ok) {
  const level: 0 | 1 | 2 | 3 = r.value.level;
  void level;
  // @ts-expect-error a signal carries no text
  void r.value.text;
} else {
  const field: string | undefined = r.error.field;
  void field;
  // @ts-expect-error a failed validation has no value
  void r.value;
}

const ok: Signal = { v: 1, seq: 1, level: 2, trend: 1 };
void ok;
// @ts-expect-error level is 0–3
const badLevel: Signal = { v: 1, seq: 1, level: 4, trend: 0 };
// @ts-expect-error probabilities never leave the device
const extra: Signal = { v: 1, seq: 1, level: 1, trend: 0, p: 0.7 };
void badLevel;
void extra;

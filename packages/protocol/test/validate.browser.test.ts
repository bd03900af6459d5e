// @temper/protocol is isomorphic: the same validators run in the widget. This runs them in real Chromium,
// where regular-expression features (lookbehind for lone surrogates) and code-point counting must agree
// with Node.
import { validate, schemas, eventSchemas, codePointLength } from '@temper/protocol';

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
const code = (spec: Parameters<typeof validate>[0], v: unknown) => {
  const r = validate(spec, v);
  return r.ok ? 'ok' : r.error.code;
};

describe('protocol validators in the browser', () => {
  it('accept good values and refuse bad ones with the same codes as in Node', () => {
    assertEqual(code(schemas.signal, { v: 1, seq: 1, level: 3, trend: -1 }), 'ok', 'valid signal');
    assertEqual(code(schemas.signal, { v: 1, seq: 1, level: 3, trend: -1, prob: 0.8 }), 'unknown-field', 'extra field');
    assertEqual(code(schemas.signal, { v: 1, seq: 1, level: '3', trend: -1 }), 'wrong-type', 'string level');
    assertEqual(code(schemas.visitorMessage, { id: 'abcdefgh', text: 'ok \uD83D' }), 'lone-surrogate', 'lone high');
    assertEqual(code(schemas.visitorMessage, { id: 'abcdefgh', text: '\uDE00 ok' }), 'lone-surrogate', 'lone low');
    assertEqual(code(schemas.visitorMessage, { id: 'abcdefgh', text: '你好 😀' }), 'ok', 'CJK and emoji');
    assertEqual(code(eventSchemas.typing, { type: 'typing', from: 'agent', active: true }), 'ok', 'typing event');
    assertEqual(codePointLength('😀😀'), 2, 'code points');
  });
});

// The npm entry on a server (SSR): importing it has no side effects, and boot() says it needs a browser instead of
// failing later on storage (issue 13). Runs the built dist/ in Node, where there is no document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWidget, type WidgetError } from '@temper/widget';

test('boot() without a document reports that it needs a browser, and nothing starts', () => {
  assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
  const w = createWidget();
  const errors: WidgetError[] = [];
  w.on('error', (e) => errors.push(e));
  w.boot({ endpoint: '/temper/v1' });
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.code, 'bad-option');
  assert.match(errors[0]!.message, /^boot\(\) needs a browser/);
  assert.equal(w.getState().status, 'off');
});

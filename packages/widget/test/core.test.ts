// DOM-free parts of the widget core, in Node: SSE parsing, option checks, ids, backoff, link splitting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ID_PATTERN } from '@temper/protocol';
import { createSseParser, type SseMessage } from '../src/core/sse.ts';
import { DEFAULTS, pickLocale, resolveOptions } from '../src/core/options.ts';
import { createClientId } from '../src/core/ids.ts';
import { backoff } from '../src/core/conversation.ts';
import { splitLinks } from '../src/panel/linkify.ts';
import { effectiveScoring } from '../src/scoring/scoring.ts';

test('SSE parser: ids persist, multi-line data, comments, CRLF split across chunks, retry ignored', () => {
  const got: SseMessage[] = [];
  const push = createSseParser((m) => got.push(m), '7');
  push('retry: 2000\n: connected\n\n');
  push('id: 8\ndata: {"a":1}\r');
  push('\n\r\n');
  push('data: line1\ndata:line2\n\n');
  push('event: custom\nid: 9\ndata: x');
  assert.equal(got.length, 2, 'the last event has no blank line yet');
  push('\n\n');
  assert.deepEqual(got, [
    { id: '8', event: 'message', data: '{"a":1}' },
    { id: '8', event: 'message', data: 'line1\nline2' },
    { id: '9', event: 'custom', data: 'x' },
  ]);
});

test('SSE parser: an event split at every character parses the same', () => {
  const text = 'id: 12\ndata: {"type":"typing","from":"bot","active":true}\n\n';
  const got: SseMessage[] = [];
  const push = createSseParser((m) => got.push(m));
  for (const ch of text) push(ch);
  assert.deepEqual(got, [{ id: '12', event: 'message', data: '{"type":"typing","from":"bot","active":true}' }]);
});

test('options: bad values and unknown keys are reported and the defaults kept', () => {
  const { options, problems } = resolveOptions(DEFAULTS, {
    endpoint: 'javascript:alert(1)',
    theme: 'purple',
    storage: 'local',
    extra: true,
  });
  assert.equal(options.endpoint, '/temper/v1');
  assert.equal(options.theme, 'light');
  assert.equal(options.storage, 'local');
  assert.deepEqual(problems, [
    'endpoint must be a path on this origin ("/temper/v1") or an absolute http(s) URL (got "javascript:alert(1)")',
    'theme must be "light", "dark" or "auto" (got "purple")',
    'unknown option "extra"',
  ]);
  assert.deepEqual(resolveOptions(DEFAULTS, 'nope').problems, ['options must be an object']);
  assert.deepEqual(resolveOptions(DEFAULTS, { endpoint: '//evil.test/x' }).problems.length, 1, 'protocol-relative refused');
  assert.equal(resolveOptions(DEFAULTS, { endpoint: 'https://api.shop.test/temper/v1' }).options.endpoint, 'https://api.shop.test/temper/v1');
});

test('options: update() may not change boot-only options', () => {
  const { options, problems } = resolveOptions(DEFAULTS, { storage: 'none', theme: 'dark' }, ['locale', 'theme', 'position']);
  assert.equal(options.storage, 'local');
  assert.equal(options.theme, 'dark');
  assert.deepEqual(problems, ['option "storage" can only be set by boot()']);
});

test('locale: host choice first, then the browser language', () => {
  assert.equal(pickLocale(undefined, 'zh-TW'), 'zh-CN');
  assert.equal(pickLocale(undefined, 'zh'), 'zh-CN');
  assert.equal(pickLocale(undefined, 'fr-FR'), 'en');
  assert.equal(pickLocale('en', 'zh-CN'), 'en');
});

test('client ids match the wire pattern and do not repeat', () => {
  const re = new RegExp(`^(?:${CLIENT_ID_PATTERN})$`);
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const id = createClientId();
    assert.match(id, re);
    seen.add(id);
  }
  assert.equal(seen.size, 1000);
});

test('backoff grows exponentially with jitter and is capped at 30 s', () => {
  for (let a = 0; a < 10; a++) {
    const cap = Math.min(30_000, 1000 * 2 ** a);
    for (let i = 0; i < 50; i++) {
      const d = backoff(a);
      assert.ok(d >= cap / 2 && d <= cap, `attempt ${a}: ${d}`);
    }
  }
});

test('links: only http(s), never javascript:, punctuation left out', () => {
  assert.deepEqual(splitLinks('javascript:alert(1) http://a.test/x, ok'), [
    { text: 'javascript:alert(1) ' },
    { text: 'http://a.test/x', href: 'http://a.test/x' },
    { text: ', ok' },
  ]);
  assert.deepEqual(splitLinks('no links here'), [{ text: 'no links here' }]);
});

test('scoring: host option, Global Privacy Control and the visitor\'s choice', () => {
  const on = (mode: 'on' | 'off' | 'ask' | undefined, gpc: boolean, choice?: boolean) => effectiveScoring(mode, gpc, choice).enabled;
  assert.equal(on(undefined, false), true, 'on by default');
  assert.equal(on('on', false), true);
  assert.equal(on('ask', false), false, 'ask: off until the visitor opts in');
  assert.equal(on(undefined, true), false, 'GPC turns the default into ask');
  assert.equal(on('on', true), false, "GPC turns a host's on into ask");
  assert.equal(on('on', true, true), true, 'the visitor opted in despite GPC');
  assert.equal(on('ask', false, true), true, 'opted in');
  assert.equal(on('on', false, false), false, 'the visitor turned it off');
  assert.equal(on('off', false, true), false, "a host's off is final");
  assert.equal(effectiveScoring('off', false, undefined).switchable, false, 'no switch when the host turned scoring off');
  assert.equal(effectiveScoring('ask', true, undefined).switchable, true);
});

test('options: scoring and scorer are checked, and boot-only', () => {
  const { options, problems } = resolveOptions(DEFAULTS, { scoring: 'maybe', scorer: 'idle' });
  assert.deepEqual(problems, ['scoring must be "on", "off" or "ask" (got "maybe")', 'scorer must be an object (got "idle")']);
  assert.equal(options.scoring, undefined);
  assert.deepEqual(resolveOptions(DEFAULTS, { scoring: 'ask', scorer: { preload: 'idle' } }).options.scorer, { preload: 'idle' });
  assert.deepEqual(resolveOptions(DEFAULTS, { scoring: 'off' }, ['locale', 'theme', 'position']).problems, ['option "scoring" can only be set by boot()']);
});

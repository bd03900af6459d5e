import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { ExtraRowsError, parseExtraRows } from '../lib/extra-rows.ts';

test('extra rows: valid lines parse, blank lines and CRLF are fine, group is kept', () => {
  const rows = parseExtraRows('{"text":"再不退款我就投诉","label":1,"lang":"zh","group":"c1"}\r\n\n{"text":"Where is my order?","label":0,"lang":"en"}\n', 'a.jsonl');
  assert.deepEqual(rows, [{ text: '再不退款我就投诉', label: 1, lang: 'zh', group: 'c1' }, { text: 'Where is my order?', label: 0, lang: 'en' }]);
});

test('extra rows: every bad line is named with file:line and why, and nothing is returned', () => {
  const lines = [
    '{"text":"ok","label":0,"lang":"en"}',
    '{"text":"ok","label":true,"lang":"en"}',
    '{"text":"ok","label":1,"lang":"fr"}',
    '{"text":"  ","label":1,"lang":"en"}',
    '{"text":"ok","label":1,"lang":"en","score":0.9}',
    '{"text":"ok","label":1',
    '["ok",1,"en"]',
    JSON.stringify({ text: 'x'.repeat(2001), label: 1, lang: 'en' }),
    '{"text":"a\\u0007b","label":0,"lang":"en"}',
    '{"text":"a\\ud800b","label":0,"lang":"en"}',
    '{"label":0,"lang":"en"}',
    '{"text":"ok","label":0,"lang":"zh","group":""}',
  ];
  let err: unknown;
  try {
    parseExtraRows(lines.join('\n'), 'chats.jsonl');
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ExtraRowsError, 'err instanceof ExtraRowsError');
  assert.deepEqual(err.problems.map((p) => p.line), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const m = err.message;
  for (const part of ['chats.jsonl:2: "label" must be the number 0 or 1, got true', 'chats.jsonl:3: "lang" must be "en" or "zh", got "fr"', 'chats.jsonl:4: "text" is empty',
    'chats.jsonl:5: unknown key(s) "score"', 'chats.jsonl:6: not valid JSON', 'chats.jsonl:7: not a JSON object', 'chats.jsonl:8: "text" is 2001 code points',
    'chats.jsonl:9: "text" has a control character', 'chats.jsonl:10: "text" has a lone surrogate', 'chats.jsonl:11: "text" must be a string, got nothing', 'chats.jsonl:12: "group" must be']) {
    assert.ok(m.includes(part), `missing ${part} in\n${m}`);
  }
  assert.throws(() => parseExtraRows('\n\n', 'empty.jsonl'), /empty\.jsonl:1: the file has no rows/);
  // An emoji is one code point pair, not a lone surrogate.
  assert.equal(parseExtraRows('{"text":"ok 😊","label":0,"lang":"en"}', 'e.jsonl').length, 1);
});

test('npm run train -- --extra with a bad line exits 2 before loading any data, naming the line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'temper-extra-'));
  try {
    const f = join(dir, 'bad.jsonl');
    writeFileSync(f, '{"text":"fine","label":0,"lang":"en"}\n{"text":"bad","label":"1","lang":"en"}\n');
    let status = 0, stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/train-model.ts', '--extra', f, '--no-export'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TEMPER_DATA_DIR: join(dir, 'no-data-here') } });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = (e as { stderr: string }).stderr;
    }
    assert.equal(status, 2);
    assert.match(stderr, /bad\.jsonl:2: "label" must be the number 0 or 1, got "1"/);
    assert.doesNotMatch(stderr, /missing data file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

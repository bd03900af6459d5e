// The feedback loop end to end on the shop's own server: agents label chats upset / not upset over the real
// agent API, the host exports them as trainer rows (the text stays on the host: it is read from the host's own
// store), and `npm run train -- --extra file.jsonl` writes a model file. A small, fast run: only the exported
// rows (--sources none), no lexicons, few buckets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { API_BASE } from '@temper/protocol';
import { createAgentToken } from '@temper/server';
import { startShop } from '../server.ts';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const SECRET = 'feedback-loop-secret-feedback-loop-secret-0123';

const UPSET = ['再不退款我就投诉', 'I have waited two weeks, this is ridiculous', '你们到底管不管啊', 'Worst service ever, I want my money back now', '气死我了，快点处理', 'This is the third time I am asking!'];
const CALM = ['请问什么时候发货', 'Where is my order please?', '谢谢你的帮助', 'Thanks, that helps a lot', '好的，我知道了', 'Could you check my delivery date?'];

async function call(base: string, path: string, token: string, body?: unknown) {
  const res = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, text: await res.text() };
}

test('labelled chats → JSONL export in the trainer format → npm run train -- --extra → a model file', { timeout: 180_000 }, async () => {
  const shop = await startShop({ secret: SECRET });
  const dir = mkdtempSync(join(tmpdir(), 'temper-feedback-'));
  try {
    const base = shop.url + API_BASE;
    const agent = createAgentToken(SECRET, { agentId: 'ana', name: 'Ana', role: 'agent', ttlMs: 86_400_000 });
    const admin = createAgentToken(SECRET, { agentId: 'ada', name: 'Ada', role: 'admin', ttlMs: 86_400_000 });
    assert.equal((await call(base, '/agent/presence', agent, { status: 'online' })).status, 200);
    const chats = [...UPSET.map((t) => [t, true] as const), ...CALM.map((t) => [t, false] as const)];
    for (let round = 0; round < 2; round++)
      for (const [text, upset] of chats) {
        const s = await fetch(`${base}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: /[\u4e00-\u9fff]/.test(text) ? 'zh-CN' : 'en' }) });
        const { token, conversationId } = (await s.json()) as { token: string; conversationId: string };
        const id = `fb-${round}-${Math.random().toString(36).slice(2, 10)}`;
        const m = await fetch(`${base}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ id, text: `${text} (${round})` }) });
        assert.equal(m.status, 201);
        assert.equal((await call(base, `/agent/conversations/${conversationId}/claim`, agent, {})).status, 200);
        assert.equal((await call(base, `/agent/conversations/${conversationId}/label`, agent, { upset })).status, 200);
      }
    const exported = await call(base, '/agent/feedback.jsonl', admin);
    assert.equal(exported.status, 200);
    const rows = exported.text.trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: number; lang: string; group: string });
    assert.equal(rows.length, 24);
    assert.deepEqual(Object.keys(rows[0]!).sort(), ['group', 'label', 'lang', 'text']);
    assert.equal(rows.filter((r) => r.label === 1).length, 12);
    assert.ok(rows.some((r) => r.lang === 'zh' && r.text.startsWith('再不退款我就投诉')), 'rows.some((r) => r.lang === \'zh\' && r.text.startsWith(\'再不退款我就投诉\'))');
    const file = join(dir, 'feedback.jsonl');
    writeFileSync(file, exported.text);
    const out = join(dir, 'feedback-model.onnx');
    const { stderr, stdout } = await run(
      'npm',
      ['run', '--silent', 'train', '--', '--extra', file, '--sources', 'none', '--skip-loso', '--lexicon-bins', '0', '--zh-lexicon-bins', '0', '--buckets', '4096', '--out', out],
      { cwd: repo, env: { ...process.env, TEMPER_DATA_DIR: join(dir, 'no-built-in-data') }, maxBuffer: 16 << 20 },
    );
    assert.match(stdout + stderr, /extra: 24 rows \(12 upset\)/);
    assert.ok(existsSync(out), 'the model file');
    assert.ok(statSync(out).size > 1000, 'statSync(out).size > 1000');
    assert.equal(readFileSync(out).includes(Buffer.from('temper.featurizer')), true, 'an ONNX file with Temper metadata');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await shop.close();
  }
});

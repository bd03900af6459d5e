// Per-message speed of model files on the support-chat dev set (both languages, every split), the files
// alternating in one process so they share the machine's load: featurize + one onnxruntime-web run per message.
//   node --import tsx scripts/devset/time-models.ts a.onnx [b.onnx …] [--rounds 2]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { timeScoring } from '../lib/ort-check.ts';
import { loadSupportChat } from '../lib/support-chat-devset.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '2' } } });
const rounds = Number(values.rounds);
if (positionals.length === 0 || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: node --import tsx scripts/devset/time-models.ts a.onnx [b.onnx …] [--rounds N]');
  process.exit(2);
}
const texts = [...loadSupportChat('en'), ...loadSupportChat('zh')].map((r) => r.text);
for (let round = 1; round <= rounds; round++) {
  for (const f of positionals) {
    const s = await timeScoring(new Uint8Array(readFileSync(f)), texts);
    console.log(`round ${round} ${f}: median ${s.median.toFixed(4)} ms, p95 ${s.p95.toFixed(4)} ms (n ${texts.length})`);
  }
}

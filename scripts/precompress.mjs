// Writes a brotli copy (`name.br`) next to every CDN file and asset over 1 KB, as a static host or CDN would serve it.
// Quality 9, not 11: q11 takes ≈ 50 s on the 14 MB wasm here, q9 ≈ 4 s for a file 14 % larger.
// The demo shop serves the .br copy to browsers that accept brotli.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

const dirs = ['../packages/widget/dist/cdn/', '../packages/assets/dist/'].map((d) => new URL(d, import.meta.url).pathname);
let n = 0;
for (const dir of dirs) for (const name of readdirSync(dir)) {
  if (name.endsWith('.br') || name.endsWith('.map')) continue;
  const path = dir + name;
  const st = statSync(path);
  if (!st.isFile() || st.size < 1024) continue;
  try {
    if (statSync(`${path}.br`).mtimeMs >= st.mtimeMs) continue;
  } catch {}
  const buf = readFileSync(path);
  writeFileSync(`${path}.br`, brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }));
  n++;
}
console.log(`precompress: ${n} file(s) brotli-compressed in ${dirs.join(', ')}`);

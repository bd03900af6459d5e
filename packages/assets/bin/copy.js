#!/usr/bin/env node
// temper-assets DIR: copies the scorer's worker, wasm and model (content-hashed names) into DIR, the folder a host
// serves them from (next to the widget's CDN files, or wherever `scorer.baseUrl` points). Prints what it copied.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const dir = process.argv[2];
if (!dir || process.argv.length > 3 || dir.startsWith('-')) {
  console.error('usage: temper-assets DIR   (copies the worker, wasm and model of @temper/assets into DIR)');
  process.exit(2);
}
let files;
try {
  files = JSON.parse(readFileSync(join(dist, 'assets.json'), 'utf8'));
} catch (e) {
  console.error(`temper-assets: cannot read ${join(dist, 'assets.json')} (${e.message}); is the package built?`);
  process.exit(1);
}
mkdirSync(dir, { recursive: true });
for (const [key, file] of Object.entries(files)) {
  copyFileSync(join(dist, file), join(dir, file));
  console.log(`${key.padEnd(6)} ${join(dir, file)}`);
}
console.log('Serve them with Cache-Control: public, max-age=31536000, immutable (the names change with the content).');

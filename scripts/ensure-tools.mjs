// node scripts/ensure-tools.mjs haproxy wrk … — makes sure each tool is installed (apt-get when root), or exits 1
// with a message saying how to install it. Known tools are listed in scripts/lib/ensure-apt.mjs.
import { ensureAptTool, TOOLS } from './lib/ensure-apt.mjs';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error(`usage: node scripts/ensure-tools.mjs <${Object.keys(TOOLS).join('|')}>…`);
  process.exit(2);
}
let failed = false;
for (const name of names) {
  const known = TOOLS[name];
  if (!known) {
    console.error(`ensure-tools: unknown tool ${name} (known: ${Object.keys(TOOLS).join(', ')})`);
    process.exit(2);
  }
  try {
    console.log(`ensure-tools: using ${ensureAptTool(name, ...known)}`);
  } catch (e) {
    console.error(`ensure-tools: ${e.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);

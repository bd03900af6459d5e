// Writes packages/protocol/egress-manifest.json from the wire definitions. Run by `npm run build`;
// a Node test fails if the committed file differs from what this would write.
import { writeFileSync } from 'node:fs';
import { buildEgressManifest, STORAGE_ITEMS } from '../packages/protocol/src/index.ts';

export const manifestPath = new URL('../packages/protocol/egress-manifest.json', import.meta.url);
export const manifestText = () => JSON.stringify(buildEgressManifest(STORAGE_ITEMS), null, 2) + '\n';

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(manifestPath, manifestText());
  console.log(`gen-manifest: wrote ${manifestPath.pathname}`);
}

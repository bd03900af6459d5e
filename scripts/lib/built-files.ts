// The built browser files by logical name, as the build wrote them (rollup.config.mjs): tests, benchmarks and
// servers look names up here instead of spelling a content-hashed name.
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);

export interface BuiltFiles {
  /** CDN files (packages/widget/dist/cdn): logical name → file name and the chunks it imports statically. */
  readonly cdn: Readonly<Record<'snippet' | 'temper' | 'panel' | 'scoring' | 'scorer', { readonly file: string; readonly imports: readonly string[] }>>;
  /** The scorer's assets (packages/assets/dist): logical name → file name. */
  readonly assets: Readonly<Record<'worker' | 'wasm' | 'model', string>>;
}

/** Reads packages/widget/dist/cdn/manifest.json; throws with the fix when the build has not run. */
export function builtFiles(): BuiltFiles {
  const path = new URL('packages/widget/dist/cdn/manifest.json', root);
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as { files: BuiltFiles['cdn']; assets: BuiltFiles['assets'] };
    return { cdn: m.files, assets: m.assets };
  } catch (e) {
    throw new Error(`${path.pathname} is missing or unreadable (${(e as Error).message}): run \`npm run build\` first`);
  }
}

// File names of the lazy CDN files temper.js loads. The build replaces this module with the content-hashed names
// it wrote (rollup.config.mjs, `cdnFileNames`; listed in dist/cdn/manifest.json): these are never shipped.
export const LAZY_FILES = { panel: 'temper-panel.js', scoring: 'temper-scoring.js' } as const;

// Real-browser tests: headless Chromium, one group per package. Files are *.browser.test.ts(x).
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeArgs, findBrowser } from './scripts/browser.mjs';

const executablePath = findBrowser() ?? '/usr/bin/chromium';

export default {
  rootDir: '.',
  nodeResolve: { exportConditions: ['browser', 'import', 'default'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 20_000 } },
  plugins: [esbuildPlugin({ ts: true, tsx: true, jsxFactory: 'h', jsxFragment: 'Fragment', target: 'es2022' })],
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args: chromeArgs } })],
  groups: [
    { name: 'protocol', files: 'packages/protocol/test/**/*.browser.test.ts' },
    { name: 'scorer', files: 'packages/scorer/test/**/*.browser.test.ts' },
    { name: 'widget', files: 'packages/widget/test/**/*.browser.test.{ts,tsx}' },
  ],
  files: ['packages/*/test/**/*.browser.test.{ts,tsx}'],
};

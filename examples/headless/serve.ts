// A static server for examples/headless under the strict CSP of issue 6: the app from dist/ at /, and the
// scorer's self-hosted files (worker, wasm, model) from packages/assets/dist/ (@temper/assets) at /temper/.
// Run: npm run build && node --import tsx examples/headless/serve.ts   (PORT=5180 by default)
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const mounts: [string, string][] = [
  ['/temper/', join(root, 'packages/assets/dist')],
  ['/', join(root, 'examples/headless/dist')],
];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  // application/wasm lets the browser compile while downloading (WebAssembly.instantiateStreaming).
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};
/** The CSP of issue 6. Workers get it too: a worker's CSP comes from its own response, not from the page. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self'; connect-src 'self'; img-src 'self' data:";

/** Where `report-uri` sends violation reports (tests add it to the policy; reports come from workers too). */
export const CSP_REPORT_PATH = '/__csp-report';

/**
 * Starts the server; `requests` records every path asked for, `reports` every CSP violation report (tests read
 * both); `csp` replaces the policy.
 */
export function startHeadlessServer(
  port = 0,
  csp = STRICT_CSP,
): Promise<{ server: Server; url: string; requests: string[]; reports: string[] }> {
  const requests: string[] = [];
  const reports: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (path === CSP_REPORT_PATH && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c.slice(0, 10_000)));
      req.on('end', () => {
        reports.push(body);
        res.writeHead(204).end();
      });
      return;
    }
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const mount = mounts.find(([prefix]) => path.startsWith(prefix));
    if (!mount || req.method !== 'GET') {
      res.writeHead(req.method === 'GET' ? 404 : 405).end();
      return;
    }
    const rel = path.slice(mount[0].length) || 'index.html';
    const file = normalize(join(mount[1], rel));
    if (!file.startsWith(mount[1]) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const a = server.address();
      const p = typeof a === 'object' && a ? a.port : port;
      resolve({ server, url: `http://127.0.0.1:${p}/`, requests, reports });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const { url } = await startHeadlessServer(Number(process.env.PORT ?? 5180));
  console.log(`examples/headless: ${url}`);
}

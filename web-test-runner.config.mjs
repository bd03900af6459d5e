// Real-browser tests: headless Chromium, one group per package. Files are *.browser.test.ts(x).
import { existsSync } from 'node:fs';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { readFile } from 'node:fs/promises';
import { chromeArgs, findBrowser } from './scripts/browser.mjs';

const executablePath = findBrowser() ?? '/usr/bin/chromium';

// ---- widget group: a real @temper/server mounted into the dev server, so widget tests talk to it over real
// sockets. Loaded from the built package (npm run build); without it the backend tests are skipped loudly.
const temperServer = await import('@temper/server').catch((e) => {
  console.warn(`web-test-runner: @temper/server not built (${e.message}); widget backend tests will be skipped`);
  return null;
});

/**
 * Koa middleware: `/temper/v1/*` goes to a real Temper server with an echo bot. Test-only control routes
 * under `/__temper_test__/` restart the server (new secret, empty store) and switch failure modes: `down` (503 on every API call, the stream included) and
 * `lose-acks` (messages are stored but the response is lost, as when a connection drops mid-request),
 * `garbage-events` (the event stream sends invalid events, then valid ones), and
 * count the bot's calls per text so a test can prove a message was stored exactly once. `signals` reports every
 * POST /signals that reached the server and what the store did with each (the server-side truth the scoring
 * tests compare the widget's `signal` events and "What's shared" view with); `bot?understood=0` makes the bot
 * mark its replies as not understood, as a bot that fails a visitor does. Widget test
 * fixtures are served with the strict CSP of issue 6.
 */
function temperTestBackend() {
  const botCalls = new Map();
  let mode = 'up';
  let refusedWhileDown = 0;
  let restarts = 0;
  let understood = true;
  let signalPosts = 0;
  let signalLog = [];
  // `bot?hold=1` makes the bot wait before answering until `bot?hold=0` (a reply that arrives while the
  // visitor has scrolled up); `model?hold=1` holds /__temper_test__/held-model.onnx the same way (a scorer
  // that is still loading while the visitor writes). Gates: a promise plus its resolver.
  const gate = () => {
    let open;
    const g = { held: false, wait: Promise.resolve(), hold() { g.held = true; g.wait = new Promise((r) => (open = r)); }, release() { g.held = false; open?.(); } };
    return g;
  };
  const botGate = gate();
  const modelGate = gate();
  /** The server's own memory store, with every recordSignal call logged (accepted or refused as stale). */
  let currentStore = null;
  const loggedStore = () => {
    const store = temperServer.createMemoryStore();
    const record = store.recordSignal.bind(store);
    store.recordSignal = async (conversationId, signal) => {
      const r = await record(conversationId, signal);
      signalLog.push({ conversationId, seq: signal.seq, level: signal.level, trend: signal.trend, ok: r.ok });
      return r;
    };
    return store;
  };
  const start = () =>
    temperServer?.createTemperServer({
      store: (currentStore = loggedStore()),
      // A new secret and an empty store on every restart, as when an in-memory demo server restarts.
      secret: `widget-browser-tests-secret-0123456789abcdef-${restarts}`,
      limits: { perSession: false, perIp: false },
      heartbeatMs: 2000,
      log: () => {},
      bot: async (_conversation, message) => {
        botCalls.set(message.text, (botCalls.get(message.text) ?? 0) + 1);
        await botGate.wait;
        return { text: `Echo: ${message.text}`, understood };
      },
    });
  let handler = start();
  // A second backend whose tokens live 5 s: shorter than the widget's renewal margin, so every request it
  // makes there goes through token renewal (POST /sessions with the old token as bearer).
  let renewals = 0;
  const shortLived = temperServer?.createTemperServer({
    secret: 'widget-browser-tests-secret-0123456789abcdef',
    basePath: '/temper-short/v1',
    tokenTtlMs: 5_000,
    limits: { perSession: false, perIp: false },
    log: () => {},
    bot: async (_conversation, message) => ({ text: `Echo: ${message.text}`, understood: true }),
  });
  return async (ctx, next) => {
    if (ctx.path.startsWith('/temper-short/v1/') && shortLived) {
      if (ctx.path === '/temper-short/v1/sessions' && ctx.get('authorization')) renewals++;
      ctx.status = 200;
      ctx.respond = false;
      shortLived(ctx.req, ctx.res);
      return;
    }
    if (ctx.path.startsWith('/__temper_test__/')) {
      const what = ctx.path.slice('/__temper_test__/'.length);
      ctx.set('cache-control', 'no-store');
      if (what === 'mode') mode = ctx.query.set ?? mode;
      if (what === 'bot' && ctx.query.understood) understood = ctx.query.understood !== '0';
      for (const [name, g] of [['bot', botGate], ['model', modelGate]])
        if (what === name && ctx.query.hold) ctx.query.hold === '1' ? g.hold() : g.release();
      // `conversation?id=…`: the routing meta the server keeps (the scoring status of issue 12 defect 8).
      if (what === 'conversation') {
        ctx.type = 'application/json';
        ctx.body = JSON.stringify((await currentStore?.getConversation(ctx.query.id ?? ''))?.meta ?? null);
        return;
      }
      if (what === 'held-model.onnx') {
        await modelGate.wait;
        ctx.type = 'application/octet-stream';
        ctx.body = await readFile('models/temper-frustration-v2.onnx');
        return;
      }
      // A test counts the bot's calls for its own texts; when the same file runs again in one process (the
      // default group and the widget group both list it), the counts must start from zero.
      if (what === 'reset-bot') botCalls.clear();
      if (what === 'signals') {
        const body = { posts: signalPosts, recorded: signalLog };
        if (ctx.query.reset === '1') (signalPosts = 0), (signalLog = []);
        ctx.body = JSON.stringify(body);
        ctx.type = 'application/json';
        return;
      }
      if (what === 'restart' && handler) {
        await handler.close();
        restarts++;
        handler = start();
      }
      ctx.body = JSON.stringify({ available: !!handler, mode, refusedWhileDown, renewals, botCalls: botCalls.get(ctx.query.text ?? '') ?? 0 });
      ctx.type = 'application/json';
      return;
    }
    if (ctx.path.startsWith('/temper/v1/') && handler) {
      if (ctx.path === '/temper/v1/signals' && ctx.method === 'POST') signalPosts++;
      if (mode === 'down') {
        refusedWhileDown++;
        ctx.status = 503;
        ctx.body = '{"error":{"code":"internal","message":"down for a test"}}';
        return;
      }
      if (mode === 'garbage-events' && ctx.path === '/temper/v1/events') {
        // What a broken or hostile backend could send: the widget must ignore it, report once, keep going.
        ctx.type = 'text/event-stream';
        ctx.body =
          'id: 1\ndata: not json\n\n' +
          'id: 2\ndata: {"type":"message","id":"m2","from":"hacker","text":"forged","at":1}\n\n' +
          'id: 3\ndata: {"type":"message","id":"m3","from":"bot","text":"<b>valid</b>","at":2,"extra":1}\n\n' +
          'id: 4\ndata: {"type":"message","id":"m4","from":"bot","text":"valid reply","at":3}\n\n' +
          'id: 5\ndata: {"type":"handoff","state":"queued","position":2,"waitSeconds":120}\n\n';
        return;
      }
      // The handler answers on the raw response; a 200 here only keeps the runner from logging a bogus 404.
      ctx.status = 200;
      ctx.respond = false;
      if (mode === 'lose-acks' && ctx.path === '/temper/v1/messages') {
        // Let the server store the message, then cut the connection instead of answering.
        ctx.res.writeHead = () => ctx.res;
        ctx.res.end = () => (ctx.req.socket.destroy(), ctx.res);
      }
      handler(ctx.req, ctx.res);
      return;
    }
    await next();
    if (ctx.path.startsWith('/packages/widget/test/fixtures/') && ctx.path.endsWith('.html')) {
      ctx.set(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self'; connect-src 'self'; img-src 'self' data:",
      );
    }
  };
}

/**
 * Test commands for the phone cases of issue 12, over CDP: `temper-phone` {on} emulates a 390×844 touch screen
 * (no page reload, unlike puppeteer's setViewport), `temper-tap` {x, y} is a real touch tap, `temper-swipe`
 * {x, y, dy} a real touch scroll gesture (dy > 0 scrolls the content up, as a finger moving up does),
 * `temper-wheel` {x, y, dy} one real mouse-wheel event (dy < 0 scrolls toward the top, as a trackpad does in steps).
 * Used with `executeServerCommand` from @web/test-runner-commands.
 */
function phoneCommands() {
  const cdps = new WeakMap();
  return {
    name: 'temper-phone-commands',
    async executeCommand({ command, payload, session }) {
      if (!command.startsWith('temper-')) return undefined;
      const page = session.browser.getPage(session.id);
      let cdp = cdps.get(page);
      if (!cdp) cdps.set(page, (cdp = await page.createCDPSession()));
      if (command === 'temper-phone') {
        if (payload.on) await cdp.send('Emulation.setDeviceMetricsOverride', { width: 390, height: 844, deviceScaleFactor: 1, mobile: false });
        else await cdp.send('Emulation.clearDeviceMetricsOverride');
        await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: !!payload.on, maxTouchPoints: 5 });
        return true;
      }
      if (command === 'temper-tap') return page.touchscreen.tap(payload.x, payload.y).then(() => true);
      if (command === 'temper-swipe') {
        // A finger drag: touchStart, ten touchMoves, touchEnd (Chromium turns it into a scroll gesture).
        const { x, y, dy } = payload;
        const point = (i) => [{ x, y: y - (dy * i) / 10 }];
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(0) });
        for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(i) });
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
        return true;
      }
      if (command === 'temper-wheel') {
        const { x, y, dy } = payload;
        await cdp.send('Input.dispatchMouseEvent', { type: 'mouseWheel', x, y, deltaX: 0, deltaY: dy });
        return true;
      }
      return undefined;
    },
  };
}

/**
 * A snippet host serves the widget's CDN files and @temper/assets from ONE folder (createScorer finds the assets
 * next to itself); so does this dev server: a scorer asset asked for under dist/cdn/ is answered from
 * packages/assets/dist/, as the demo shop does.
 */
function oneCdnFolder() {
  return async (ctx, next) => {
    const m = /^\/packages\/widget\/dist\/cdn\/([^/?]+)/.exec(ctx.url);
    if (m && existsSync(`packages/assets/dist/${m[1]}`) && !existsSync(`packages/widget/dist/cdn/${m[1]}`)) ctx.url = `/packages/assets/dist/${m[1]}`;
    return next();
  };
}

export default {
  rootDir: '.',
  nodeResolve: { exportConditions: ['browser', 'import', 'default'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 20_000 } },
  middleware: [oneCdnFolder(), temperTestBackend()],
  plugins: [phoneCommands(), esbuildPlugin({ ts: true, tsx: true, jsxFactory: 'h', jsxFragment: 'Fragment', target: 'es2022' })],
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args: chromeArgs } })],
  groups: [
    { name: 'protocol', files: 'packages/protocol/test/**/*.browser.test.ts' },
    { name: 'scorer', files: 'packages/scorer/test/**/*.browser.test.ts' },
    { name: 'widget', files: 'packages/widget/test/**/*.browser.test.{ts,tsx}' },
  ],
};

// createScorer in real Chromium with the built artifacts (`npm run build` first): the worker file, the wasm
// and the model of @temper/assets (packages/assets/dist/, content-hashed). Imports resolve to @temper/scorer's
// and @temper/assets' dist/, so these tests run what ships.
import { schemas, validate } from '@temper/protocol';
import { createScorer, DEFAULT_FILES, resolveScorerUrls, type Scorer } from '@temper/scorer';
import { files, modelUrl, wasmUrl, workerUrl } from '@temper/assets';

const CDN = '/packages/widget/dist/cdn/';
const ASSETS = '/packages/assets/dist/';
const urls = {
  workerUrl: `${ASSETS}${files.worker}`,
  wasmPaths: ASSETS,
  modelUrl: `${ASSETS}${files.model}`,
};

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** Every message the page receives from any worker, as structured-clone data. */
const fromWorkers: unknown[] = [];
const workers: Worker[] = [];
const NativeWorker = globalThis.Worker;
class RecordingWorker extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    workers.push(this);
    this.addEventListener('message', (ev) => fromWorkers.push(ev.data));
  }
}

/** Every number anywhere in a value. */
function numbersIn(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) numbersIn(x, out);
  return out;
}

const CALM = ['Hi! Do you have this jacket in medium?', 'Great, thanks for the quick answer.'];
const SOURING = [
  'My order still has not arrived.',
  'It has been two weeks. Nobody answers my emails.',
  'This is ridiculous, I want a refund NOW!!!',
  'THIRD TIME ASKING. WHERE IS MY MONEY???',
];

describe('createScorer: a ready scorer (real worker, real wasm, real model)', () => {
  let scorer: Scorer;

  beforeEach(async () => {
    fromWorkers.length = 0;
    globalThis.Worker = RecordingWorker;
    scorer = await createScorer(urls);
  });
  afterEach(() => {
    scorer.dispose();
    globalThis.Worker = NativeWorker;
  });

  it('scores calm and souring chats; levels move; only coarse results and signals cross from the worker', async () => {
    assert(scorer.state === 'ready', `state ${scorer.state}: ${JSON.stringify(scorer.error)}`);
    assert(scorer.error === null, 'no error when ready');
    let t = Date.now();
    for (const text of CALM) {
      const r = await scorer.scoreVisitorMessage(text, (t += 20_000));
      assert(r && r.level === 0 && !r.signal, `calm: ${JSON.stringify(r)}`);
      await scorer.noteReply({ understood: true, at: t + 2_000 });
    }
    const levels: number[] = [];
    const signals = [];
    for (const text of SOURING) {
      const r = await scorer.scoreVisitorMessage(text, (t += 20_000));
      assert(r, 'a ready scorer answers');
      for (const k of Object.keys(r)) assert(['level', 'trend', 'forecast', 'signal'].includes(k), `unexpected field ${k}`);
      levels.push(r.level);
      if (r.signal) {
        assert(validate(schemas.signal, r.signal).ok, `invalid signal ${JSON.stringify(r.signal)}`);
        signals.push(r.signal);
      }
      await scorer.noteReply({ understood: false, at: t + 2_000 });
    }
    assert(levels.at(-1)! >= 2, `levels ${levels}`);
    assert(signals.length >= 1 && signals.every((s, i) => s.seq === i + 1), JSON.stringify(signals));
    assert(scorer.nextSeq === signals.length + 1, `nextSeq ${scorer.nextSeq}`);
    // A probability is a fraction: if one crossed the worker boundary, some number here would not be an integer.
    const numbers = numbersIn(fromWorkers);
    assert(numbers.length > 0, 'the recorder saw the worker messages');
    assert(numbers.every(Number.isInteger), `non-integer crossed from the worker: ${numbers.filter((n) => !Number.isInteger(n))}`);
    const text = JSON.stringify(fromWorkers);
    for (const k of ['"p"', 'prob', 'score"', 'evidence', 'cues']) assert(!text.includes(k), `${k} crossed from the worker`);

    scorer.dispose();
    assert((scorer.state as string) === 'disposed', 'disposed');
    assert((await scorer.scoreVisitorMessage('hello')) === null, 'a disposed scorer answers null');
  });

  it('replays a stored transcript after a reload without sending; bad events are refused without degrading', async () => {
    await scorer.reset(7);
    const t = Date.now() - 600_000;
    const events = SOURING.flatMap((text, i) => [
      { from: 'visitor' as const, text, at: t + i * 30_000 },
      { from: 'bot' as const, understood: false, at: t + i * 30_000 + 2_000 },
    ]);
    const state = await scorer.replay(events);
    assert(state && state.level >= 2 && !state.signal, JSON.stringify(state));
    assert(scorer.nextSeq === 7, 'nothing was sent');
    let thrown: unknown = null;
    await scorer.replay([{ from: 'visitor', at: t } as never]).catch((e: unknown) => (thrown = e));
    assert(thrown instanceof TypeError && /bad event at index 0/.test(thrown.message), String(thrown));
    assert(scorer.state === 'ready', 'bad input does not degrade the scorer');
  });

});

describe('createScorer: options, CDN file, degraded mode', () => {
  let scorer: Scorer | null = null;

  afterEach(() => {
    scorer?.dispose();
    scorer = null;
    globalThis.Worker = NativeWorker;
  });

  it('resumes seq from startSeq and restarts it on reset', async () => {
    scorer = await createScorer({ ...urls, startSeq: 40 });
    assert(scorer.state === 'ready', JSON.stringify(scorer.error));
    assert(scorer.nextSeq === 40, `nextSeq ${scorer.nextSeq}`);
    let r = null;
    for (const text of SOURING) r = (await scorer.scoreVisitorMessage(text)) ?? r;
    assert(scorer.nextSeq > 40, 'signals were sent from 40 on');
    await scorer.reset();
    assert((scorer.nextSeq as number) === 1, `after reset ${scorer.nextSeq}`);
    const calm = await scorer.scoreVisitorMessage(CALM[0]!);
    assert(calm?.level === 0, 'a new conversation starts calm');
  });

  for (const [what, override, reason] of [
    ['a worker URL that 404s', { workerUrl: `${CDN}no-such-worker.js` }, 'worker-failed'],
    ['a model that 404s', { modelUrl: `${CDN}no-such-model.onnx` }, 'model-failed'],
    ['a file that is not a model', { modelUrl: `${ASSETS}${files.worker}` }, 'model-failed'],
    ['a wasm that 404s', { wasmPaths: { wasm: `${CDN}no-such.wasm` } }, 'wasm-failed'],
  ] as const) {
    it(`degrades with ${what}: error code, reason, and never a level`, async () => {
      const errors: unknown[] = [];
      scorer = await createScorer({ ...urls, ...override, startTimeoutMs: 15_000, onError: (e) => errors.push(e) });
      assert(scorer.state === 'degraded', `state ${scorer.state}`);
      assert(scorer.error?.code === 'scorer-unavailable', JSON.stringify(scorer.error));
      assert(scorer.error.reason === reason, `reason ${scorer.error.reason}: ${scorer.error.message}`);
      assert(errors.length === 1 && errors[0] === scorer.error, 'onError called once with the error');
      assert(scorer.modelName === null, 'no model');
      assert((await scorer.scoreVisitorMessage(SOURING[3]!)) === null, 'no level from a degraded scorer');
      assert((await scorer.noteReply({ understood: false })) === null, 'no level from a degraded scorer');
      assert((await scorer.tick()) === null, 'no level from a degraded scorer');
    });
  }

  it('a worker that dies after the start: crashed, pending and later calls answer null, onError once', async () => {
    globalThis.Worker = RecordingWorker;
    workers.length = 0;
    const errors: unknown[] = [];
    scorer = await createScorer({ ...urls, onError: (e) => errors.push(e) });
    assert(scorer.state === 'ready' && workers.length === 1, 'one worker, ready');
    const pending = scorer.scoreVisitorMessage(SOURING[3]!);
    // What the page sees when a worker throws an uncaught error (e.g. wasm out of memory).
    workers[0]!.dispatchEvent(new ErrorEvent('error', { message: 'RuntimeError: memory access out of bounds' }));
    assert((await pending) === null, 'the pending call answers null');
    assert((scorer.state as string) === 'degraded' && scorer.error?.reason === 'crashed', JSON.stringify(scorer.error));
    assert(/memory access/.test(scorer.error.message), scorer.error.message);
    assert(errors.length === 1, `onError called ${errors.length} times`);
    assert((await scorer.scoreVisitorMessage('hello')) === null, 'no level after a crash');
  });

  it('from the CDN file temper-scorer.<hash>.js with no options: worker, wasm and model found next to it', async () => {
    const manifest = (await (await fetch(`${CDN}manifest.json`)).json()) as { files: { scorer: { file: string } } };
    const cdn = (await import(/* @vite-ignore */ `${CDN}${manifest.files.scorer.file}`)) as typeof import('@temper/scorer');
    scorer = await cdn.createScorer();
    assert(scorer.state === 'ready', `state ${scorer.state}: ${JSON.stringify(scorer.error)}`);
    const r = await scorer.scoreVisitorMessage(CALM[0]!);
    assert(r?.level === 0, JSON.stringify(r));
  });

  it('resolves the three URLs: defaults next to baseUrl, options against the page', () => {
    const d = resolveScorerUrls({ baseUrl: 'https://cdn.example/temper/1/' });
    assert(/^https:\/\/cdn\.example\/temper\/1\/temper-scorer-worker\.[\w-]{8}\.js$/.test(d.workerUrl), d.workerUrl);
    assert(/^https:\/\/cdn\.example\/temper\/1\/ort-wasm-simd-threaded\.[\w-]{8}\.wasm$/.test(d.wasmUrl), d.wasmUrl);
    assert(d.modelUrl === `https://cdn.example/temper/1/${DEFAULT_FILES.model}` && /\.[\w-]{8}\.onnx$/.test(d.modelUrl), d.modelUrl);
    const o = resolveScorerUrls({ baseUrl: 'https://cdn.example/', workerUrl: '/w.js', wasmPaths: 'https://wasm.example/ort/', modelUrl: 'm.onnx' });
    assert(o.workerUrl === `${location.origin}/w.js`, o.workerUrl);
    assert(o.wasmUrl === `https://wasm.example/ort/${files.wasm}`, o.wasmUrl);
    assert(o.modelUrl === new URL('m.onnx', document.baseURI).href, o.modelUrl);
    // No baseUrl: the URLs of @temper/assets itself (what a bundler rewrites to the files it emits).
    const own = resolveScorerUrls();
    assert(own.workerUrl === workerUrl && own.wasmUrl === wasmUrl && own.modelUrl === modelUrl, JSON.stringify(own));
    assert(workerUrl.endsWith(`/packages/assets/dist/${files.worker}`), workerUrl);
  });

  it('degrades as unsupported without Worker, and refuses bad options with a clear error', async () => {
    (globalThis as { Worker?: unknown }).Worker = undefined;
    scorer = await createScorer(urls);
    assert(scorer.state === 'degraded' && scorer.error?.reason === 'unsupported', JSON.stringify(scorer.error));
    globalThis.Worker = NativeWorker;
    let thrown: unknown = null;
    await createScorer({ ...urls, ldp: { epsilon: -1 } }).catch((e: unknown) => (thrown = e));
    assert(thrown instanceof RangeError && /epsilon/.test(thrown.message), String(thrown));
    thrown = null;
    await createScorer({ ...urls, dynamics: { rize: 1 } as never }).catch((e: unknown) => (thrown = e));
    assert(thrown instanceof TypeError && /unknown key rize/.test(thrown.message), String(thrown));
  });
});

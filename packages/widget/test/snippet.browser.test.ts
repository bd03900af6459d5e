// The built snippet and temper.js (dist/cdn), in a page served with a strict CSP (no 'unsafe-inline').
import { assert, equal, loadFrame, waitFor } from './helpers.js';

type HostWindow = Window & {
  Temper: ((...a: unknown[]) => unknown) & { loaded?: boolean };
  __log: string[];
  __violations: string[];
  __stubKept: boolean | 'live';
};

let frame: HTMLIFrameElement;
beforeEach(() => {
  frame = document.createElement('iframe');
  document.body.append(frame);
});
afterEach(() => frame.remove());

const temperScripts = (w: Window) =>
  w.performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.endsWith('/cdn/temper.js')).length;

describe('snippet', () => {
  it('replays calls made before temper.js loaded, in order, and a second paste is harmless', async () => {
    const w = (await loadFrame(frame, '/packages/widget/test/fixtures/twice.html')) as HostWindow;
    await waitFor(() => w.__log.includes('b'), 'ready listeners');
    // 'a' and 'b' were registered before and after the second paste; 'c' was removed by a queued off();
    // the unknown method is reported to the error listener registered just before it.
    equal(w.__log, ['error:bad-option', 'a', 'b'], 'replayed in order');
    assert(w.__stubKept !== false, 'the second paste did not replace the first queue stub');
    assert(w.Temper.loaded === true, 'live API installed');
    equal(temperScripts(w), 1, 'temper.js fetched once');
    equal(w.document.querySelectorAll('temper-widget').length, 1, 'one widget');

    // A third paste after load must not replace the live API or load temper.js again.
    const live = w.Temper;
    const again = w.document.createElement('script');
    again.src = '/packages/widget/dist/cdn/snippet.js';
    again.dataset.src = '/packages/widget/dist/cdn/temper.js';
    await new Promise((r) => {
      again.onload = r;
      w.document.head.append(again);
    });
    equal(w.Temper, live, 'live API kept');
    w.Temper('open');
    const root = await waitFor(() => w.document.querySelector('temper-widget')?.shadowRoot, 'shadow root');
    await waitFor(() => root.querySelector('.panel:not([hidden])'), 'panel opens after a third paste');
    equal(temperScripts(w), 1, 'still fetched once');
    equal(w.__violations, [], 'no CSP violations');
  });

  it('finds temper.js next to snippet.js and its panel next to temper.js, under a strict CSP', async () => {
    const w = (await loadFrame(frame, '/packages/widget/test/fixtures/page.html?storage=none&open=1')) as HostWindow;
    const root = await waitFor(() => w.document.querySelector('temper-widget')?.shadowRoot, 'shadow root');
    await waitFor(() => root.querySelector('.panel:not([hidden])'), 'panel loaded from temper-panel.<hash>.js');
    const panelLoads = w.performance.getEntriesByType('resource').filter((e) => /\/cdn\/temper-panel\.[\w-]{8}\.js$/.test(e.name));
    equal(panelLoads.length, 1, 'panel chunk fetched once from dist/cdn');
    equal(w.__violations, [], 'no CSP violations');
  });
});

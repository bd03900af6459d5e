// temper.js: the only file that touches `window`. It turns the snippet's queue stub into the live API and
// replays, in order, every call made before it loaded.
import { WIDGET_METHODS } from '@temper/protocol';
import type { WidgetMethod } from '@temper/protocol';
import { createWidgetCore } from '../core/widget.js';
import type { PanelModule, ScoringModule } from '../core/types.js';
import { LAZY_FILES } from './cdn-files.js';

type Stub = ((...args: unknown[]) => unknown) & { q?: ArrayLike<unknown>[]; l?: number; loaded?: boolean };
const w = window as unknown as { Temper?: Stub };
const prev = w.Temper;

// A second copy of temper.js (two snippets, or a snippet plus a hand-added tag) must not replace a live SDK.
if (!prev?.loaded) {
  // Resolved now: document.currentScript is only set while this script first runs.
  const base = (document.currentScript as HTMLScriptElement | null)?.src || location.href;
  const url = (f: string) => new URL(f, base).href;
  const widget = createWidgetCore(
    () => import(url(LAZY_FILES.panel)) as Promise<PanelModule>,
    () => import(url(LAZY_FILES.scoring)) as Promise<ScoringModule>,
  );
  const api: Stub = (method, ...args) => {
    if (!WIDGET_METHODS.includes(method as WidgetMethod))
      return widget._report('bad-option', `Temper(${JSON.stringify(method)}): unknown method; use one of ${WIDGET_METHODS.join(', ')}`);
    return (widget[method as WidgetMethod] as (...a: unknown[]) => unknown)(...args);
  };
  api.loaded = true;
  api.l = 1;
  w.Temper = api;
  for (const call of Array.from(prev?.q ?? [])) api(...Array.from(call));
}

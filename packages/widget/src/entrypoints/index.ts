// npm entry: no side effects on import. The panel is a code-split chunk loaded by import() on first open.
import { createWidgetCore } from '../core/widget.js';
import type { Widget } from '../core/types.js';

/**
 * Creates a Temper chat widget. Nothing happens until `boot()`; the panel's code and the on-device scorer
 * (`@temper/scorer`, found through the `scorer` option) load on first open.
 *
 * @example
 * import { createWidget } from '@temper/widget';
 * const w = createWidget();
 * w.on('message', (m) => console.log(m.from, m.text));
 * w.boot({ endpoint: '/temper/v1', locale: 'en' });
 * w.open();
 */
export function createWidget(): Widget {
  const { _report, ...widget } = createWidgetCore(
    () => import('./panel.js'),
    () => import('./scoring.js'),
  );
  return {
    ...widget,
    boot(options) {
      // Server-side rendering imports the npm package on the server; say what is wrong rather than fail on
      // storage. (Only here: the script-tag build always runs in a page.)
      if (typeof document === 'undefined')
        return _report('bad-option', 'boot() needs a browser (there is no document here, e.g. during server-side rendering): call it in the browser, for example in a useEffect.');
      widget.boot(options);
    },
  };
}

export type {
  Widget,
  WidgetOptions,
  WidgetError,
  WidgetMessage,
  WidgetEventMap,
  WidgetListener,
  WidgetState,
  UpdatableOptions,
  StorageMode,
  Theme,
  Position,
  ScoringMode,
  ScorerOptions,
} from '../core/types.js';
export type { ClientErrorCode, HandoffEvent, Locale, MessageEvent, Signal, WidgetEvent, WidgetMethod } from '@temper/protocol';

import type { Locale } from '@temper/protocol';
import type { Position, Theme } from '../core/types.js';
import { LAUNCHER_STRINGS } from './strings.js';
import { SHELL_CSS } from './shell-css.js';

const SVG = 'http://www.w3.org/2000/svg';
// A speech bubble (Material "chat" icon path).
const ICON = 'M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2zM6 9h12v2H6zm8 5H6v-2h8zm4-6H6V6h12z';

export interface ShellOptions {
  container: Element;
  locale: Locale;
  theme: Theme;
  position: Position;
  onToggle: () => void;
  onPrefetch: () => void;
}

/**
 * Creates the widget's host element, its shadow root and the launcher button (plain DOM: the launcher ships
 * in temper.js, which has no room for a UI library).
 *
 * @example
 * const shell = createShell({ container: document.body, locale: 'en', theme: 'light', position: 'end', onToggle, onPrefetch });
 * shell.setUnread(2);
 */
export function createShell(o: ShellOptions) {
  const host = document.createElement('temper-widget');
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(SHELL_CSS);
  // The host covers the visual viewport (see shell-css.ts): what the visitor sees, which is narrower than the
  // layout viewport on a page wider than the phone and shorter while the on-screen keyboard is open
  // (https://developer.mozilla.org/docs/Web/API/VisualViewport). A stylesheet, not a style attribute: strict CSPs.
  const vvSheet = new CSSStyleSheet();
  root.adoptedStyleSheets = [sheet, vvSheet];
  const vv = typeof visualViewport === 'undefined' ? null : visualViewport;
  // Placed, measured, placed again: on an RTL page wider than the phone, Chrome grows the fixed boxes'
  // containing block to the left, so `left: 0` lands off-screen while offsetLeft still reads 0.
  const onViewport = (dx = 0, dy = 0): void => {
    if (!vv) return;
    const x = vv.offsetLeft;
    const y = vv.offsetTop;
    vvSheet.replaceSync(`:host{--_vvl:${x + dx}px;--_vvt:${y + dy}px;--_vvw:${vv.width}px;--_vvh:${vv.height}px}`);
    const r = host.getBoundingClientRect();
    if (!dx && !dy && (r.left !== x || r.top !== y)) onViewport(x - r.left, y - r.top);
  };
  const track = () => onViewport();
  vv?.addEventListener('resize', track);
  vv?.addEventListener('scroll', track);

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-haspopup', 'dialog');
  launcher.setAttribute('aria-controls', 'temper-panel');
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', ICON);
  svg.append(path);
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.setAttribute('aria-hidden', 'true');
  launcher.append(svg, badge);
  launcher.addEventListener('click', () => (track(), o.onToggle()));
  launcher.addEventListener('pointerenter', o.onPrefetch, { once: true });
  launcher.addEventListener('focus', o.onPrefetch, { once: true });
  root.append(launcher);
  o.container.append(host);
  onViewport();

  let unread = 0;
  let locale = o.locale;
  const label = () => {
    const s = LAUNCHER_STRINGS[locale];
    launcher.setAttribute('aria-label', unread ? s.unread(unread) : s.open);
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = unread === 0;
  };
  const apply = (p: { locale: Locale; theme: Theme; position: Position }) => {
    locale = p.locale;
    host.dataset.theme = p.theme;
    host.dataset.position = p.position;
    host.setAttribute('lang', p.locale);
    label();
  };
  apply(o);
  setExpanded(false);

  function setExpanded(open: boolean) {
    launcher.setAttribute('aria-expanded', String(open));
  }

  return {
    host,
    root,
    launcher,
    apply,
    setExpanded,
    setUnread(n: number) {
      unread = n;
      label();
    },
    destroy() {
      vv?.removeEventListener('resize', track);
      vv?.removeEventListener('scroll', track);
      host.remove();
    },
  };
}
export type Shell = ReturnType<typeof createShell>;

// Whether this device scores, decided in one place: the scoring chunk (the switch) and the conversation (the
// `scoring` status it tells the server at session start, issue 12 defect 8) both use it.
import type { ScoringMode } from './types.js';

/** Global Privacy Control, the visitor's browser-wide "do not share" (https://privacycg.github.io/gpc-spec/). */
export const globalPrivacyControl = () =>
  (globalThis.navigator as { globalPrivacyControl?: unknown } | undefined)?.globalPrivacyControl === true;

/**
 * Whether a host's `on` becomes `ask`: Global Privacy Control, or Save-Data (issue 13: the scorer is ≈ 2.6 MB, so
 * with the data saver on it downloads only after the visitor's own opt-in).
 */
export const asksFirst = () =>
  globalPrivacyControl() || (globalThis.navigator as { connection?: { saveData?: boolean } } | undefined)?.connection?.saveData === true;

/**
 * Whether scoring is on, from the host's option, Global Privacy Control and the visitor's own choice.
 * GPC is the visitor's signal, so a host's `on` cannot override it (it becomes `ask`); the visitor's explicit
 * choice in the panel is more specific than a browser-wide setting and wins over both. A host's `off` is final.
 *
 * @example
 * effectiveScoring('on', true, undefined); // { switchable: true, enabled: false } (GPC: ask first)
 */
export function effectiveScoring(mode: ScoringMode | undefined, gpc: boolean, choice: boolean | undefined) {
  const m = mode ?? 'on';
  if (m === 'off') return { switchable: false, enabled: false };
  return { switchable: true, enabled: choice ?? (m === 'on' && !gpc) };
}

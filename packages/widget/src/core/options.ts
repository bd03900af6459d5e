import { API_BASE, LOCALES } from '@temper/protocol';
import type { Locale } from '@temper/protocol';
import type { Position, ScorerOptions, ScoringMode, StorageMode, Theme, WidgetUser } from './types.js';

export interface ResolvedOptions {
  endpoint: string;
  locale: Locale | undefined;
  theme: Theme;
  position: Position;
  container: Element | string | undefined;
  storage: StorageMode;
  scoring: ScoringMode | undefined;
  scorer: ScorerOptions | undefined;
  user: WidgetUser | undefined;
  idleExpiryHours: number;
  privacyPolicyUrl: string | undefined;
}

export const DEFAULTS: ResolvedOptions = {
  endpoint: API_BASE,
  locale: undefined,
  theme: 'light',
  position: 'end',
  container: undefined,
  storage: 'local',
  scoring: undefined,
  scorer: undefined,
  user: undefined,
  idleExpiryHours: 24,
  privacyPolicyUrl: undefined,
};

/** A path on this origin or an absolute http(s) URL. */
const pathOrHttp = (v: unknown) => typeof v === 'string' && (/^\/(?!\/)/.test(v) || /^https?:\/\/[^/]/i.test(v));
const oneOf = <T extends string>(values: readonly T[]) => (v: unknown): v is T => values.includes(v as T);
const CHECKS: { [K in keyof ResolvedOptions]: [(v: unknown) => boolean, string] } = {
  endpoint: [
    pathOrHttp,
    'a path on this origin ("/temper/v1") or an absolute http(s) URL',
  ],
  locale: [oneOf(LOCALES), `one of ${LOCALES.map((l) => JSON.stringify(l)).join(', ')}`],
  theme: [oneOf<Theme>(['light', 'dark', 'auto']), '"light", "dark" or "auto"'],
  position: [oneOf<Position>(['end', 'start']), '"end" or "start"'],
  container: [(v) => typeof v === 'string' || (typeof Element !== 'undefined' && v instanceof Element), 'an Element or a CSS selector'],
  storage: [oneOf<StorageMode>(['local', 'session', 'none']), '"local", "session" or "none"'],
  scoring: [oneOf<ScoringMode>(['on', 'off', 'ask']), '"on", "off" or "ask"'],
  // Its fields are checked by the scoring chunk, which is the only code that reads them.
  scorer: [(v) => typeof v === 'object' && v !== null, 'an object'],
  // Its fields are checked by the chat chunk against the wire schema (the same check the server makes).
  user: [(v) => typeof v === 'object' && v !== null, 'an object { id, hash }'],
  // Issue 15: how long a stored conversation may sit unused on the device, and the host's privacy policy.
  idleExpiryHours: [(v) => typeof v === 'number' && v > 0 && v <= 8760, 'a number of hours, more than 0 and at most 8760'],
  privacyPolicyUrl: [pathOrHttp, 'a path on this origin ("/privacy") or an absolute http(s) URL'],
};

/**
 * Checks options field by field. A bad field is reported and the current value kept, so one typo in a host's
 * config never takes the chat down.
 *
 * @example
 * const { options, problems } = resolveOptions(DEFAULTS, { theme: 'purple' });
 * // problems: ['theme must be "light", "dark" or "auto" (got "purple")']
 */
export function resolveOptions(
  current: ResolvedOptions,
  input: unknown,
  allowed: readonly (keyof ResolvedOptions)[] = Object.keys(CHECKS) as (keyof ResolvedOptions)[],
): { options: ResolvedOptions; problems: string[] } {
  const options = { ...current };
  const problems: string[] = [];
  if (input === undefined) return { options, problems };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { options, problems: ['options must be an object'] };
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    const check = CHECKS[k as keyof ResolvedOptions];
    if (!check) {
      problems.push(`unknown option "${k}"`);
      continue;
    }
    if (!allowed.includes(k as keyof ResolvedOptions)) {
      problems.push(`option "${k}" can only be set by boot()`);
      continue;
    }
    if (!check[0](v)) {
      problems.push(`${k} must be ${check[1]} (got ${typeof v === 'string' ? JSON.stringify(v) : typeof v})`);
      continue;
    }
    (options as Record<string, unknown>)[k] = v;
  }
  return { options, problems };
}

/**
 * Picks the UI language: the host's choice, else the browser's (any zh* → zh-CN), else English.
 *
 * @example
 * pickLocale(undefined, navigator.language); // 'zh-CN' in a zh-TW browser
 */
export function pickLocale(requested: Locale | undefined, browser: string | undefined): Locale {
  if (requested) return requested;
  return /^zh\b/i.test(browser ?? '') ? 'zh-CN' : 'en';
}

// Report privacy (issue 15, finding 10): exported reports must not single out a visitor or make a per-person
// record of staff by accident. Counts of fewer than `minCount` conversations are shown as `<5` (k-anonymity
// style small-cell suppression), figures computed from so few are left empty, time-to-person is aggregated per
// queue instead of one row per claim (unless the host opts in), and per-agent reports can be turned off.

/** `createTemperServer({ reportPrivacy })`. */
export interface ReportPrivacyOptions {
  /** Smallest count an export shows as a number (1 = no suppression). Default 5. */
  minCount?: number;
  /** `time-to-person` CSV as one row per claim (time, queue, wait), as before issue 15. Default false: per queue. */
  claimRows?: boolean;
  /**
   * Per-agent figures (`GET /agent/reports/agents`, its CSV, CSAT by agent, the agents part of scheduled
   * reports). Default true; false answers 404 there and leaves them out everywhere else.
   */
  perAgent?: boolean;
}

/** The checked options. */
export interface ReportPrivacy {
  minCount: number;
  claimRows: boolean;
  perAgent: boolean;
}

/**
 * Checks `reportPrivacy` and fills the defaults.
 *
 * @example
 * toReportPrivacy({ minCount: 10 }); // { minCount: 10, claimRows: false, perAgent: true }
 */
export function toReportPrivacy(o: ReportPrivacyOptions | undefined): ReportPrivacy {
  const what = 'createTemperServer: reportPrivacy';
  if (o !== undefined && (o === null || typeof o !== 'object')) throw new TypeError(`${what} must be an object`);
  const minCount = o?.minCount ?? 5;
  if (!Number.isInteger(minCount) || minCount < 1 || minCount > 1000) throw new RangeError(`${what}.minCount must be a whole number 1–1000 (got ${JSON.stringify(minCount)})`);
  for (const k of ['claimRows', 'perAgent'] as const)
    if (o?.[k] !== undefined && typeof o[k] !== 'boolean') throw new TypeError(`${what}.${k} must be true or false`);
  return { minCount, claimRows: o?.claimRows ?? false, perAgent: o?.perAgent ?? true };
}

/**
 * A count as an export shows it: 0 and counts ≥ `k` as they are, 1…k−1 as `<k`.
 *
 * @example
 * smallCount(3, 5); // '<5'
 */
export function smallCount(n: number, k: number): number | string {
  return n === 0 || n >= k ? n : `<${k}`;
}

/** A figure computed from `basis` conversations: itself when `basis ≥ k`, else `null` (an empty cell). */
export function fromAtLeast<T>(value: T, basis: number, k: number): T | null {
  return basis >= k ? value : null;
}

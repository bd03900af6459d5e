// The queue wait as a visitor reads it (issue 12, defect 9): the widget's banner and the server's "you are
// number N in line" notice showed different minutes for the same `waitSeconds` (one rounded up, the other to
// the nearest minute, at least 1). Both now round here.

/**
 * Whole minutes to tell a visitor for an expected wait of `waitSeconds` (the `waitSeconds` of a `handoff`
 * event): rounded up, at least 1 — "about 1 min" rather than "about 0 min" when the next agent is about to
 * be free. Throws a `RangeError` for a negative or non-finite value.
 *
 * @example
 * waitMinutes(0);   // 1
 * waitMinutes(61);  // 2
 * waitMinutes(600); // 10
 */
export function waitMinutes(waitSeconds: number): number {
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new RangeError(`waitSeconds must be a non-negative number, got ${waitSeconds}`);
  return Math.max(1, Math.ceil(waitSeconds / 60));
}

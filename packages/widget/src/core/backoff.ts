/**
 * Exponential backoff with "equal jitter", capped at 30 s, so many tabs coming back online do not stampede.
 * One copy for the conversation (messages, stream) and the scoring chunk (signals).
 *
 * @example
 * setTimeout(retry, backoff(attempt++)); // 0.5–1 s, then 1–2 s, 2–4 s, … up to 15–30 s
 */
export function backoff(attempt: number): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return base / 2 + Math.random() * (base / 2);
}

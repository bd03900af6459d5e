// One scorer per conversation across the tabs of a site. Tabs share the conversation (IndexedDB) and each
// sees every message on its event stream; if each ran a scorer, both would send signals with their own seq
// (the server refuses one as stale) and overwrite each other's "What's shared" record. A Web Lock makes one
// tab the scorer; the others wait (standby) and take over, from the stored record and transcript, when it
// closes or stops. https://developer.mozilla.org/docs/Web/API/Web_Locks_API

const LOCK = 'temper-scorer';

/**
 * A Web Lock held while this tab scores. Without `locks` (no Web Locks, or storage that other tabs do not
 * share) it is granted at once.
 *
 * @example
 * const lock = createTabLock(navigator.locks);
 * if (await lock.acquire(() => show('standby'))) startScoring();
 * lock.release();
 */
export function createTabLock(locks: LockManager | undefined) {
  let wait: AbortController | null = null;
  let free: (() => void) | null = null;
  return {
    /** Resolves true once this tab holds the lock, false when release() gave up waiting. `onBusy`: another tab holds it. */
    acquire(onBusy: () => void): Promise<boolean> {
      if (!locks) return Promise.resolve(true);
      const ac = (wait = new AbortController());
      let held = false;
      return new Promise<boolean>((resolve) => {
        locks
          .request(LOCK, { signal: ac.signal }, () => {
            held = true;
            resolve(true);
            // Held until release() or until the tab goes away.
            return new Promise<void>((r) => (free = r));
          })
          .catch(() => resolve(false));
        void locks.query().then((q) => {
          if (!held && !ac.signal.aborted && q.held?.some((l) => l.name === LOCK)) onBusy();
        });
      });
    },
    /** Gives the lock up (or stops waiting for it). */
    release(): void {
      wait?.abort();
      free?.();
      wait = free = null;
    },
  };
}
export type TabLock = ReturnType<typeof createTabLock>;

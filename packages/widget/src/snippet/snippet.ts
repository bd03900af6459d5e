// The snippet: defines the queue stub `Temper(...)` and loads temper.js async. Kept tiny (it is on every
// page) and idempotent: pasting it twice, or after temper.js is already live, changes nothing.
// Where temper.js comes from, first match wins: the tag's `data-src`, `window.TemperConfig.src`, or
// `temper.js` next to snippet.js itself.
type Stub = ((...args: unknown[]) => void) & { q?: unknown[]; l?: number };
((w: Window & { Temper?: Stub; TemperConfig?: { src?: string } }, d: Document) => {
  const me = d.currentScript as HTMLScriptElement | null;
  let t = w.Temper;
  if (!t) {
    const q: unknown[] = [];
    t = w.Temper = function () {
      // eslint-disable-next-line prefer-rest-params
      q.push(arguments);
    } as Stub;
    t.q = q;
  }
  // `l` is set by the first snippet that started loading temper.js, and by temper.js itself.
  if (t.l) return;
  const src = me?.dataset.src || w.TemperConfig?.src || (me?.src ? new URL('temper.js', me.src).href : '');
  if (!src) return console.error('Temper: add data-src="…/temper.js" to the snippet tag');
  t.l = 1;
  const s = d.createElement('script');
  s.async = true;
  s.src = src;
  // No Referer on temper.js, and none on the lazy files it import()s (they inherit this policy): the page's URL
  // (path, query: an order number, an email) is not sent to the file server or a CDN (issue 15, finding 1).
  s.referrerPolicy = 'no-referrer';
  // Hosts with a nonce-based CSP pass the nonce on the snippet's tag; the loaded script needs it too.
  if (me?.nonce) s.nonce = me.nonce;
  (d.head || d.documentElement).appendChild(s);
})(window, document);

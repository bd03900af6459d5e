// Finds http(s) URLs in plain server text. Anything else (javascript:, data:, mailto:, HTML) stays text: the
// panel renders the parts as text nodes, so server text can never become markup.
const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence rather than the URL ("see https://x.y/z.").
const TRAILING = /[.,;:!?)\]}'"。，；：！？）]+$/;

export type Part = { text: string } | { text: string; href: string };

/**
 * Splits text into plain parts and link parts (only http: and https: URLs that parse).
 *
 * @example
 * splitLinks('see https://example.com.'); // [{text:'see '},{text:'https://example.com',href:'https://example.com/'},{text:'.'}]
 */
export function splitLinks(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    let raw = m[0];
    const trail = TRAILING.exec(raw);
    if (trail) raw = raw.slice(0, trail.index);
    const at = m.index ?? 0;
    let href: string | null = null;
    try {
      const u = new URL(raw);
      if (u.protocol === 'http:' || u.protocol === 'https:') href = u.href;
    } catch {
      // Not a URL after all: it stays text.
    }
    if (!href) continue;
    if (at > last) parts.push({ text: text.slice(last, at) });
    parts.push({ text: raw, href });
    last = at + raw.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

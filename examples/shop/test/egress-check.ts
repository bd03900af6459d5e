// Checks recorded traffic and device storage against the egress manifest, using only the manifest's own data
// (never the protocol validators), so that the manifest itself is what the egress test proves.
import type { RecordedRequest, StoredItem } from './cdp-recorder.ts';

interface MField {
  name: string;
  type: 'string' | 'integer' | 'enum' | 'boolean' | 'object';
  required: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  min?: number;
  max?: number;
  values?: ReadonlyArray<string | number>;
  fields?: readonly MField[];
}
interface MHeader {
  name: string;
  value: string;
  optional: boolean;
}
/** The parts of `egress-manifest.json` the checks read. */
export interface Manifest {
  apiBase: string;
  requests: ReadonlyArray<{ id: string; method: string; path: string; headers: readonly MHeader[]; body: { contentType: string; fields: readonly MField[] } | null }>;
  assets: ReadonlyArray<{ file: string }>;
  browserHeaders: readonly string[];
  storage: ReadonlyArray<{ area: string; key: string }>;
}

const whole = (src: string) => new RegExp(`^(?:${src})$`);
const glob = (g: string) => new RegExp(`^${g.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);

function checkField(f: MField, v: unknown): string | null {
  switch (f.type) {
    case 'string': {
      if (typeof v !== 'string') return `must be a string, got ${JSON.stringify(v)}`;
      const n = [...v].length;
      if (f.minLength !== undefined && n < f.minLength) return `shorter than ${f.minLength}`;
      if (f.maxLength !== undefined && n > f.maxLength) return `longer than ${f.maxLength}`;
      if (f.pattern && !whole(f.pattern).test(v)) return `does not match /${f.pattern}/`;
      return null;
    }
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) return `must be an integer, got ${JSON.stringify(v)}`;
      if ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) return `${v} is outside ${f.min}…${f.max}`;
      return null;
    case 'enum':
      return f.values?.some((x) => x === v) ? null : `${JSON.stringify(v)} is not one of ${JSON.stringify(f.values)}`;
    case 'boolean':
      return typeof v === 'boolean' ? null : `must be a boolean, got ${JSON.stringify(v)}`;
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? checkFields(f.fields ?? [], v).join('; ') || null : 'must be an object';
  }
}

/** Problems of an object's fields against the manifest's list (unknown, invalid, missing), as `name reason`. */
function checkFields(fields: readonly MField[], body: object): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    const f = fields.find((x) => x.name === k);
    const bad = f ? checkField(f, v) : 'is not in the manifest';
    if (bad) problems.push(`${k} ${bad}`);
  }
  for (const f of fields) if (f.required && !(f.name in body)) problems.push(`${f.name} is missing (a required field)`);
  return problems;
}

/** Which manifest request an API request is, or null. */
export function matchEndpoint(m: Manifest, method: string, url: URL) {
  return m.requests.find((e) => e.method === method && url.pathname === m.apiBase + e.path) ?? null;
}

/**
 * Every way the recorded requests break the manifest, as readable lines (empty: none). `drafts` are strings the
 * visitor typed but never sent: they must appear in no URL, header or body.
 *
 * @example
 * assert.deepEqual(checkEgress(manifest, rec.requests, shop.url, ['DRAFT-1f2e']), []);
 */
export function checkEgress(m: Manifest, requests: readonly RecordedRequest[], origin: string, drafts: readonly string[]): string[] {
  const problems: string[] = [];
  const browserHeaders = new Set(m.browserHeaders);
  for (const r of requests) {
    const where = `${r.from}: ${r.method} ${r.url}`;
    for (const d of drafts) {
      const hay = [r.url, ...Object.entries(r.headers).flat(), ...Object.entries(r.wireHeaders ?? {}).flat(), r.postData ?? ''];
      if (hay.some((s) => s.includes(d))) problems.push(`${where}: carries the draft ${d}`);
    }
    const url = new URL(r.url);
    // data: and blob: URLs are read inside the browser; nothing goes on the network.
    if (url.protocol === 'data:' || url.protocol === 'blob:') continue;
    if (url.origin !== origin) {
      problems.push(`${where}: not the shop's origin ${origin}`);
      continue;
    }
    if (url.pathname.startsWith(`${m.apiBase}/`)) {
      const e = matchEndpoint(m, r.method, url);
      if (!e) {
        problems.push(`${where}: not a request of the manifest`);
        continue;
      }
      if (url.search) problems.push(`${where}: query string ${url.search} is not in the manifest`);
      // Headers the page set and headers on the wire: each is the endpoint's (with a matching value) or the browser's.
      const seen = { ...r.headers, ...(r.wireHeaders ?? {}) };
      if (r.wireHeaders === null) problems.push(`${where}: the wire headers were not recorded`);
      for (const [name, value] of Object.entries(seen)) {
        const spec = e.headers.find((h) => h.name === name);
        if (spec) {
          if (!whole(spec.value).test(value)) problems.push(`${where}: header ${name} = ${JSON.stringify(value)} does not match /${spec.value}/`);
        } else if (!browserHeaders.has(name)) problems.push(`${where}: header ${name} is in neither the request's headers nor browserHeaders`);
      }
      for (const h of e.headers) if (!h.optional && !(h.name in seen)) problems.push(`${where}: required header ${h.name} is missing`);
      if (!e.body) {
        if (r.postData) problems.push(`${where}: has a body, the manifest says none`);
        continue;
      }
      let body: unknown;
      try {
        body = JSON.parse(r.postData ?? '');
      } catch {
        problems.push(`${where}: body is not JSON: ${JSON.stringify(r.postData)}`);
        continue;
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        problems.push(`${where}: body is not an object`);
        continue;
      }
      for (const p of checkFields(e.body.fields, body)) problems.push(`${where}: field ${p}`);
      continue;
    }
    if (r.method !== 'GET') problems.push(`${where}: only GETs of pages and assets may leave outside the API`);
    if (url.search) problems.push(`${where}: a query string on a page or asset request`);
    if (r.postData) problems.push(`${where}: a body on a page or asset request`);
    if (url.pathname.startsWith('/temper/')) {
      const file = url.pathname.slice('/temper/'.length);
      if (!m.assets.some((a) => glob(a.file).test(file))) problems.push(`${where}: SDK file ${file} is not in the manifest's assets`);
    }
  }
  return problems;
}

/**
 * Storage items not listed in the manifest's `storage` (empty: all listed).
 *
 * @example
 * assert.deepEqual(unlistedStorage(manifest, await readDeviceStorage(page)), []);
 */
export function unlistedStorage(m: Manifest, items: readonly StoredItem[]): StoredItem[] {
  return items.filter((i) => !m.storage.some((s) => s.area === i.area && s.key === i.key));
}

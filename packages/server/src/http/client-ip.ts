// The client's address for per-IP limits: the closest hop that is not one of our own proxies (the rule of
// fastify/proxy-addr). X-Forwarded-For is a list each proxy appends to, so only its right end was written by
// proxies we trust; the first entry is whatever the client chose to send and must never be believed blindly.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * Which proxies in front of the server to believe. `false` (default): none, the socket peer is the client.
 * `true`: one proxy (the socket peer, e.g. your HAProxy or nginx). A number n: that many proxies in a chain.
 * A list: addresses and CIDR ranges of your proxies (`'10.0.0.0/8'`, `'::1'`), plus the names `'loopback'`,
 * `'linklocal'` and `'uniquelocal'` (private ranges).
 *
 * @example
 * createTemperServer({ secret, trustProxy: true });                      // behind one HAProxy/nginx
 * createTemperServer({ secret, trustProxy: ['10.0.0.0/8', 'loopback'] }); // behind your proxies at these addresses
 */
export type TrustProxy = boolean | number | string | readonly string[];

/** Whether the hop at `address`, `i` hops from the server (0 = the socket peer), is one of our proxies. */
export type TrustFn = (address: string, i: number) => boolean;

const PRESETS: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `::ffff:10.0.0.1` → `10.0.0.1`, so one IPv4 proxy list matches both socket families. */
function normalize(address: string): string {
  const a = address.trim();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a) ? a.slice(7) : a;
}

/** Compiles a `TrustProxy` setting; throws a `TypeError` naming the entry that is neither an address nor a CIDR. */
export function compileTrust(setting: TrustProxy | undefined): TrustFn {
  if (setting === undefined || setting === false) return () => false;
  if (setting === true) return (_a, i) => i < 1;
  if (typeof setting === 'number') {
    if (!Number.isInteger(setting) || setting < 0) throw new RangeError(`trustProxy: a hop count must be an integer ≥ 0, got ${setting}`);
    return (_a, i) => i < setting;
  }
  const list = new BlockList();
  const entries = (typeof setting === 'string' ? setting.split(',') : [...setting]).map((s) => String(s).trim()).filter(Boolean);
  for (const entry of entries.flatMap((e) => PRESETS[e] ?? [e])) {
    const [addr, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(normalize(addr));
    if (family === 0) throw new TypeError(`trustProxy: ${JSON.stringify(entry)} is not an IP address, a CIDR range or a preset name`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(normalize(addr), type);
    else {
      const prefix = Number(bits);
      if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128))
        throw new TypeError(`trustProxy: ${JSON.stringify(entry)} has a bad prefix length`);
      list.addSubnet(normalize(addr), prefix, type);
    }
  }
  return (a) => {
    const n = normalize(a);
    const family = isIP(n);
    return family !== 0 && list.check(n, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** The addresses a request passed through, closest first: the socket peer, then X-Forwarded-For right to left. */
function hops(req: IncomingMessage): string[] {
  const peer = normalize(req.socket.remoteAddress ?? '');
  const xff = req.headers['x-forwarded-for'];
  const list = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').map(normalize).filter(Boolean);
  return [peer, ...list.reverse()];
}

/** The client address: walk from the socket peer outwards while the hop is a trusted proxy. */
export function clientIp(req: IncomingMessage, trust: TrustFn): string {
  const chain = hops(req);
  let i = 0;
  while (i < chain.length - 1 && trust(chain[i]!, i)) {
    // A proxy we trust wrote the next entry; an entry that is not an address means a broken chain: stop here.
    if (isIP(chain[i + 1]!) === 0) break;
    i++;
  }
  return chain[i] || 'unknown';
}

/** Whether the socket peer itself is a trusted proxy (then its X-Forwarded-Host may be believed). */
export function peerTrusted(req: IncomingMessage, trust: TrustFn): boolean {
  return trust(normalize(req.socket.remoteAddress ?? ''), 0);
}

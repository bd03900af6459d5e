// CORS with an origin allowlist. Same-origin requests always pass (the host may come from X-Forwarded-Host
// when the socket peer is a trusted proxy); other origins must be listed. Credentials are never used (the
// bearer token is the only credential), so Allow-Credentials is never sent.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { peerTrusted, type TrustFn } from './client-ip.js';
import { HttpError } from './error.js';

/** Normalises `allowedOrigins`; throws a `TypeError` for an entry that is not an origin URL. */
export function originSet(list: readonly string[]): Set<string> {
  return new Set(
    list.map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        throw new TypeError(`createTemperServer: allowedOrigins entry ${JSON.stringify(o)} is not an origin URL`);
      }
    }),
  );
}

function sameOrigin(req: IncomingMessage, origin: string, trust: TrustFn): boolean {
  const fwd = peerTrusted(req, trust) ? req.headers['x-forwarded-host'] : undefined;
  const host = (Array.isArray(fwd) ? fwd[0] : fwd) ?? req.headers.host;
  try {
    return typeof host === 'string' && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Sets the CORS headers. Returns false after answering a preflight; throws 403 `origin-not-allowed` for an
 * origin that is neither the server's own nor allowed.
 */
export function cors(req: IncomingMessage, res: ServerResponse, allowed: Set<string>, trust: TrustFn): boolean {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (typeof origin === 'string' && !sameOrigin(req, origin, trust)) {
    if (!allowed.has(origin)) throw new HttpError('origin-not-allowed', `origin ${origin} is not allowed`);
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID, Accept',
      'Access-Control-Max-Age': '600',
      'Content-Length': '0',
    });
    res.end();
    return false;
  }
  return true;
}

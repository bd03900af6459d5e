// Small HTTP helpers shared by the visitor and agent routes: JSON bodies under a byte limit, JSON replies,
// bearer extraction. No framework: the handler must work the same under http, Express and Fastify.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@temper/protocol';

export type BodyResult =
  | { ok: true; value: unknown }
  | { ok: false; code: 'body-too-large' | 'bad-json' | 'unsupported-media-type'; message: string };

// How much of an over-long body we keep reading (and discarding) so the client can see the 413 on the same
// connection; past this the socket is destroyed rather than feeding an upload we will never use.
const DRAIN_CAP = 1 << 20;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** True when the request says its body is JSON (UTF-8 if a charset is given at all). */
export function isJson(req: IncomingMessage): boolean {
  const ct = req.headers['content-type'];
  if (typeof ct !== 'string') return false;
  const [type, ...params] = ct.split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => !p.startsWith('charset=') || p === 'charset=utf-8' || p === 'charset="utf-8"');
}

/** Reads and parses a JSON body of at most `limit` bytes. Never rejects for client mistakes. */
export function readJson(req: IncomingMessage, limit: number): Promise<BodyResult> {
  if (!isJson(req))
    return Promise.resolve({ ok: false, code: 'unsupported-media-type', message: 'Content-Type must be application/json' });
  const tooLarge = { ok: false, code: 'body-too-large', message: `the body must be at most ${limit} bytes` } as const;
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    if (over) resolve(tooLarge);
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (over) {
        if (size > limit + DRAIN_CAP) req.destroy();
        return;
      }
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(tooLarge);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (over) return;
      let text: string;
      try {
        text = utf8.decode(Buffer.concat(chunks));
      } catch {
        return resolve({ ok: false, code: 'bad-json', message: 'the body is not valid UTF-8' });
      }
      try {
        resolve({ ok: true, value: JSON.parse(text) });
      } catch (e) {
        resolve({ ok: false, code: 'bad-json', message: `the body is not valid JSON: ${(e as Error).message}` });
      }
    });
    req.on('error', reject);
    // A client that hangs up mid-body: settle instead of leaving the promise (and its closure) behind.
    req.on('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}

/** Sends a JSON body with the given status. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Sends an `ErrorBody` with the status `ERROR_CODES` assigns to `code`. */
export function sendError(
  res: ServerResponse,
  code: ErrorCode,
  message: string,
  field?: string,
  headers: Record<string, string> = {},
): void {
  const body: ErrorBody = { error: field === undefined ? { code, message } : { code, message, field } };
  sendJson(res, ERROR_CODES[code], body, headers);
}

const BEARER = /^Bearer ([A-Za-z0-9._~-]{16,2048})$/;

/** The bearer token of the request, or `null` when absent or malformed. */
export function bearerOf(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  return BEARER.exec(h)?.[1] ?? null;
}

/** The request's address: the socket peer, or the first X-Forwarded-For hop when the proxy is trusted. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** Starts a server-sent event stream: headers that stop proxies buffering it, and the reconnect delay. */
export function openSse(res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n: connected\n\n');
}

/**
 * The id to resume after: the `Last-Event-ID` header, else `?lastEventId=` (EventSource cannot set headers on
 * a first connect). 0 when absent, `null` when malformed.
 */
export function lastEventIdOf(req: IncomingMessage, url: URL): number | null {
  const header = req.headers['last-event-id'];
  const raw = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('lastEventId') ?? '';
  if (raw === '') return 0;
  return /^[0-9]{1,16}$/.test(raw) ? Number(raw) : null;
}

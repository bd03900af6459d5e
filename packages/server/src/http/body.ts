// Request bodies: JSON only, UTF-8 only, at most `limit` bytes, validated by the protocol's strict validators.
// Every client mistake is thrown as an HttpError; only a client hanging up mid-body rejects otherwise.
import type { IncomingMessage } from 'node:http';
import { validate, type ObjectSpec } from '@temper/protocol';
import { HttpError } from './error.js';

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

/** Reads and parses a JSON body of at most `limit` bytes; throws `HttpError` for 415, 413 and bad JSON. */
export function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  if (!isJson(req)) return Promise.reject(new HttpError('unsupported-media-type', 'Content-Type must be application/json'));
  const tooLarge = () => new HttpError('body-too-large', `the body must be at most ${limit} bytes`);
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    if (over) reject(tooLarge());
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (over) {
        if (size > limit + DRAIN_CAP) req.destroy();
        return;
      }
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(tooLarge());
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
        return reject(new HttpError('bad-json', 'the body is not valid UTF-8'));
      }
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new HttpError('bad-json', `the body is not valid JSON: ${(e as Error).message}`));
      }
    });
    req.on('error', reject);
    // A client that hangs up mid-body: settle instead of leaving the promise (and its closure) behind.
    req.on('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}

/** Reads the JSON body and validates it against `spec`; throws `HttpError` naming the offending field. */
export async function readBody<S extends ObjectSpec>(req: IncomingMessage, limit: number, spec: S) {
  const v = validate(spec, await readJson(req, limit));
  if (!v.ok) throw new HttpError(v.error.code, v.error.message, v.error.field);
  return v.value;
}

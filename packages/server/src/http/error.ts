// One error type for every refusal. Routes and helpers throw it; the dispatcher maps it to a response in one
// place (status from ERROR_CODES, an ErrorBody, extra headers such as Retry-After) and counts it.
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@temper/protocol';
import type { ServerResponse } from 'node:http';

/** A refusal with a wire error code; the HTTP status is `ERROR_CODES[code]`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  get body(): ErrorBody {
    return { error: this.field === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, field: this.field } };
  }
}

/** 429 with `Retry-After` for a token bucket that answered "wait `seconds`". */
export function rateLimited(seconds: number): HttpError {
  const secs = Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : 3600;
  return new HttpError('rate-limited', `too many requests; retry in ${secs} s`, undefined, { 'Retry-After': String(secs) });
}

/** Sends a JSON body with the given status (or just ends the response when headers already went out). */
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

/** Sends `error` as an `ErrorBody`. */
export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, error.body, error.headers);
}

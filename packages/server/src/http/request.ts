// Small readers of request headers shared by the visitor and agent routes.
import type { IncomingMessage } from 'node:http';

const BEARER = /^Bearer ([A-Za-z0-9._~-]{16,2048})$/;

/** The bearer token of the request, or `null` when absent or malformed. */
export function bearerOf(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  return BEARER.exec(h)?.[1] ?? null;
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

// An example webhook receiver for Temper's events: checks the HMAC signature on the raw body, answers 2xx only
// after the event is stored, and dedupes by `Idempotency-Key` (Temper delivers at least once: a retry, or an
// instance that died mid-request, sends the same event again with the same key). A real host would write to its
// helpdesk's database instead of the in-memory list here.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { verifyWebhook, type WebhookBody } from '@temper/server';

export interface ReceiverOptions {
  /** The same secret as `createTemperServer({ webhooks: { secret } })`. */
  secret: string;
  port?: number;
  host?: string;
  /** TEST/DEMO: answer 503 to the first attempt of every event, to watch Temper retry. */
  failFirst?: boolean;
  /** Called once per new event (not for duplicates). */
  onEvent?: (event: WebhookBody, attempt: number) => void;
}

export interface Receiver {
  url: string;
  server: Server;
  /** Every request as it came, genuine or not (for tests and the demo log). */
  requests: Array<{ key: string | null; attempt: number; verified: boolean; status: number; type: string | null }>;
  /** Events stored, once each, in arrival order. */
  events: WebhookBody[];
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

/**
 * Starts the receiver on `host:port` (default 127.0.0.1 and a free port).
 *
 * @example
 * const r = await startReceiver({ secret: process.env.TEMPER_WEBHOOK_SECRET!, port: 9090 });
 * createTemperServer({ secret, webhooks: { url: r.url, secret: process.env.TEMPER_WEBHOOK_SECRET! } });
 */
export async function startReceiver(o: ReceiverOptions): Promise<Receiver> {
  const seen = new Set<string>();
  const failed = new Set<string>();
  const requests: Receiver['requests'] = [];
  const events: WebhookBody[] = [];
  const server = createServer(async (req, res) => {
    const answer = (status: number, meta: Omit<Receiver['requests'][number], 'status'>) => {
      requests.push({ ...meta, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_BODY) return void res.writeHead(413).end();
      chunks.push(c);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const attempt = Number(req.headers['temper-attempt'] ?? 1);
    const type = typeof req.headers['temper-event'] === 'string' ? req.headers['temper-event'] : null;
    if (req.method !== 'POST' || !verifyWebhook(o.secret, raw, req.headers['temper-signature'])) return answer(401, { key, attempt, verified: false, type });
    let body: WebhookBody;
    try {
      body = JSON.parse(raw) as WebhookBody;
    } catch {
      return answer(400, { key, attempt, verified: true, type });
    }
    if (!key || body.id !== key) return answer(400, { key, attempt, verified: true, type });
    if (o.failFirst && !failed.has(key)) {
      failed.add(key);
      return answer(503, { key, attempt, verified: true, type });
    }
    if (!seen.has(key)) {
      seen.add(key);
      events.push(body);
      o.onEvent?.(body, attempt);
    }
    answer(200, { key, attempt, verified: true, type });
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', r));
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${addr.port}/temper-webhooks`,
    server,
    requests,
    events,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const secret = process.env.TEMPER_WEBHOOK_SECRET;
  if (!secret || secret.length < 32) {
    console.error('Set TEMPER_WEBHOOK_SECRET (≥ 32 characters), the same as the server’s webhooks.secret.');
    process.exit(1);
  }
  startReceiver({ secret, port: Number(process.env.PORT ?? 9090), failFirst: process.env.FAIL_FIRST === '1', onEvent: (e, n) => console.log(`${e.type} ${e.id} (attempt ${n})`, JSON.stringify(e.data)) }).then((r) =>
    console.log(`Webhook receiver listening on ${r.url}`),
  );
}

// Connections: one command connection and one subscriber connection per backend (per server instance). The
// subscriber is multiplexed: one Redis SUBSCRIBE per channel however many local listeners it has.
import { Redis, type RedisOptions } from 'ioredis';
import { SCRIPTS, type ScriptName } from './scripts.js';

/** A script call: KEYS then ARGV, as defined in scripts.ts. */
export type RunScript = (name: ScriptName, keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/** The URL with its password replaced by `***`, for error messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Opens a connection and waits until it is ready, or rejects with the reason (bad URL, refused, WRONGPASS, TLS…). */
export async function connect(url: string, options: RedisOptions, role: string, timeoutMs: number): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`@temper/server-redis: url ${JSON.stringify(url)} is not a URL (expected redis://… or rediss://…)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new TypeError(`@temper/server-redis: url must start with redis:// or rediss://, got ${parsed.protocol}//`);
  }
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: `temper-${role}`,
    // A command whose reply was lost with the connection may have run (an appended event): resending it could
    // append twice. It fails instead and the caller (an HTTP request) gets an error; the widget retries with
    // its idempotency key. Commands not yet sent wait in the offline queue and go out after the reconnect.
    autoResendUnfulfilledCommands: false,
    scripts: SCRIPTS,
    ...options,
    ...(parsed.protocol === 'rediss:' ? { tls: { ...(options.tls ?? {}) } } : {}),
  });
  let lastError: Error | undefined;
  const onError = (e: Error) => {
    lastError = e;
  };
  redis.on('error', onError);
  const timer = new Promise<never>((_, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms${lastError ? ` (${lastError.message})` : ''}`)), timeoutMs);
    t.unref();
    redis.once('ready', () => clearTimeout(t));
  });
  try {
    await Promise.race([redis.connect(), timer]);
  } catch (e) {
    redis.disconnect();
    // connect() often rejects with a bare "Connection is closed."; the 'error' event before it says why
    // (WRONGPASS, NOAUTH, ECONNREFUSED, a certificate error).
    const own = (e as Error).message || String(e);
    const why = lastError && lastError.message !== own ? `${lastError.message} (${own})` : own;
    throw new Error(`@temper/server-redis: cannot connect to ${redactUrl(url)}: ${why}`, { cause: e });
  } finally {
    redis.off('error', onError);
  }
  return redis;
}

/** Typed access to the commands that `scripts` defined on a connection. */
export function scriptRunner(redis: Redis): RunScript {
  const commands = redis as unknown as Record<ScriptName, (...a: (string | number)[]) => Promise<unknown>>;
  // A script defined without numberOfKeys takes a variable number of keys, given first (as EVAL's numkeys).
  return (name, keys, args) =>
    'numberOfKeys' in SCRIPTS[name] ? commands[name](...keys, ...args) : commands[name](keys.length, ...keys, ...args);
}

type Handler = (message: string) => void;

interface Channel {
  handlers: Set<Handler>;
  /** Resolves once Redis acknowledged the SUBSCRIBE. */
  live: Promise<void>;
}

/**
 * One subscriber connection multiplexed to local handlers. On a reconnect it subscribes again to every
 * channel that still has handlers, then calls `onResubscribed` (the store reads what it missed meanwhile).
 */
export class Subscriber {
  private readonly channels = new Map<string, Channel>();
  private readonly resubscribed = new Set<() => void>();
  private connectedOnce = false;

  constructor(
    private readonly redis: Redis,
    private readonly onError: (e: Error) => void,
  ) {
    redis.on('message', (channel: string, message: string) => {
      const c = this.channels.get(channel);
      if (!c) return;
      for (const h of [...c.handlers]) {
        try {
          h(message);
        } catch (e) {
          this.onError(e as Error);
        }
      }
    });
    redis.on('ready', () => {
      if (!this.connectedOnce) {
        this.connectedOnce = true;
        return;
      }
      const names = [...this.channels.keys()];
      const again = names.length ? redis.subscribe(...names) : Promise.resolve();
      again.then(
        () => {
          for (const f of [...this.resubscribed]) f();
        },
        (e: Error) => this.onError(new Error(`@temper/server-redis: resubscribing after a reconnect failed: ${e.message}`)),
      );
    });
    // 'ready' has already fired when the constructor runs (connect() awaited it).
    this.connectedOnce = redis.status === 'ready';
  }

  /** Calls `f` after every reconnect, once the channels are subscribed again. Returns a function to stop. */
  onResubscribed(f: () => void): () => void {
    this.resubscribed.add(f);
    return () => this.resubscribed.delete(f);
  }

  /** Adds `handler` to `channel`; resolves once the channel is live. Returns the function that removes it. */
  async subscribe(channel: string, handler: Handler): Promise<() => void> {
    let c = this.channels.get(channel);
    if (!c) {
      const live = this.redis.subscribe(channel).then(() => undefined);
      c = { handlers: new Set(), live };
      this.channels.set(channel, c);
      live.catch(() => {
        if (this.channels.get(channel) === c) this.channels.delete(channel);
      });
    }
    c.handlers.add(handler);
    try {
      await c.live;
    } catch (e) {
      c.handlers.delete(handler);
      throw new Error(`@temper/server-redis: SUBSCRIBE ${channel} failed: ${(e as Error).message}`, { cause: e });
    }
    const entry = c;
    return () => {
      if (!entry.handlers.delete(handler) || entry.handlers.size > 0) return;
      if (this.channels.get(channel) !== entry) return;
      this.channels.delete(channel);
      if (this.redis.status === 'end') return;
      this.redis.unsubscribe(channel).catch((e: Error) => {
        if (this.redis.status !== 'end') this.onError(e);
      });
    };
  }
}

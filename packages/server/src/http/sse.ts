// A server-sent event stream as one object that owns its heartbeat, its backpressure and its cleanup (the shape
// of h3's event-stream). A slow reader never grows this process's memory without bound: when `write()` says the
// socket buffer is full we stop writing and queue until 'drain'; past `maxBufferedBytes` queued the stream is
// dropped — the client reconnects with Last-Event-ID and the log replays what it missed, so nothing is lost.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Options of `openSse`. */
export interface SseOptions {
  /** Interval of `: heartbeat` comments; below common proxy idle timeouts (HAProxy, nginx, ELB: 30–60 s). */
  heartbeatMs: number;
  /** Queued bytes (while the socket is not draining) after which the stream is dropped. Default 1 MiB. */
  maxBufferedBytes?: number;
  /** Called on every heartbeat (e.g. to renew presence). */
  onBeat?: () => void;
  /** Reconnect delay sent to EventSource. Default 2000 ms. */
  retryMs?: number;
}

/** An open stream. Writes after close are ignored. */
export interface Sse {
  /** Sends one event with an `id:` line. `data` must not contain newlines (JSON does not). */
  send(id: number, data: string): void;
  /** Sends a comment line (ignored by EventSource; keeps proxies from timing the stream out). */
  comment(text: string): void;
  /** Ends the stream normally. */
  end(): void;
  /** Registers `fn` to run once when the stream ends for any reason. */
  onClose(fn: () => void): void;
  readonly closed: boolean;
  /** Bytes waiting for 'drain'. */
  readonly queuedBytes: number;
  /**
   * Resolves when the socket can take more (at once if it can) or the stream closed. A writer with a large
   * backlog of its own (a replay) awaits this between events instead of filling the queue.
   */
  drained(): Promise<void>;
}

const DEFAULT_MAX_BUFFERED = 1 << 20;

/** Starts an SSE response on `res`: headers that stop proxies buffering it, the reconnect delay, a heartbeat. */
export function openSse(req: IncomingMessage, res: ServerResponse, options: SseOptions): Sse {
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  let closed = false;
  let draining = false;
  let queue: string[] = [];
  let queued = 0;
  const closers: Array<() => void> = [];
  let waiters: Array<() => void> = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const fn of w) fn();
  };

  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(beat);
    res.off('drain', flush);
    queue = [];
    queued = 0;
    wake();
    for (const fn of closers.splice(0)) {
      try {
        fn();
      } catch {
        // One failing cleanup must not skip the others.
      }
    }
  };
  function flush() {
    draining = false;
    if (closed) return;
    if (queue.length === 0) return wake();
    const chunk = queue.join('');
    queue = [];
    queued = 0;
    if (!res.write(chunk)) draining = true;
    else wake();
  }
  const write = (chunk: string) => {
    if (closed) return;
    if (draining) {
      queue.push(chunk);
      queued += Buffer.byteLength(chunk);
      // The reader is not keeping up: drop it rather than hold an unbounded backlog for it.
      if (queued > maxBuffered) {
        cleanup();
        res.destroy();
      }
      return;
    }
    if (!res.write(chunk)) draining = true;
  };
  res.on('drain', flush);
  req.on('close', cleanup);
  res.on('close', cleanup);
  const beat = setInterval(() => {
    // A stalled reader gets no heartbeats queued behind its backlog.
    if (!draining) write(': heartbeat\n\n');
    options.onBeat?.();
  }, options.heartbeatMs);
  beat.unref?.();
  write(`retry: ${options.retryMs ?? 2000}\n: connected\n\n`);

  return {
    send: (id, data) => write(`id: ${id}\ndata: ${data}\n\n`),
    comment: (text) => write(`: ${text}\n\n`),
    end() {
      if (closed) return;
      res.end();
      cleanup();
    },
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
    get closed() {
      return closed;
    },
    get queuedBytes() {
      return queued;
    },
    drained() {
      if (closed || !draining) return Promise.resolve();
      return new Promise<void>((r) => waiters.push(r));
    },
  };
}

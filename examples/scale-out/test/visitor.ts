// Small additions to packages/server/test/helpers.ts (post, session, openEvents) for the scale-out tests.
import type { SseFrame } from '../../../packages/server/test/helpers.ts';

/** `GET url` with a bearer token → status and parsed JSON body. */
export async function getJson(url: string, token: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** `id type from: text` lines, for failure messages. */
export function describe(frames: SseFrame[]): string {
  return frames
    .map((f) => {
      const e = f.event as { type: string; from?: string; text?: string };
      return `\n  ${f.id} ${e.type}${e.from ? ` ${e.from}` : ''}${e.text ? `: ${e.text}` : ''}`;
    })
    .join('');
}

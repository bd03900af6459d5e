// A minimal server-sent events parser (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream).
// EventSource cannot set an Authorization header, which would force the token into the URL (and so into
// server logs and Referer headers); reading the stream with fetch keeps it in a header.

export interface SseMessage {
  /** The last event id seen so far in the stream (ids persist across events, as the spec says). */
  id: string;
  event: string;
  data: string;
}

/**
 * Returns a `push(chunk)` function that parses decoded stream text and calls `onMessage` per event.
 *
 * @example
 * const push = createSseParser((m) => console.log(m.id, m.data));
 * push('id: 1\ndata: {"type":"typing"}\n\n');
 */
export function createSseParser(onMessage: (m: SseMessage) => void, lastId = ''): (chunk: string) => void {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id = lastId;
  return (chunk) => {
    buffer += chunk;
    // A CR at the very end may be the first half of a CRLF split across chunks: keep it for the next one.
    const re = /\r\n|\n|\r(?!$)/g;
    let start = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(buffer))) {
      const line = buffer.slice(start, m.index);
      start = m.index + m[0].length;
      if (line === '') {
        if (data.length) onMessage({ id, event: event || 'message', data: data.join('\n') });
        data = [];
        event = '';
        continue;
      }
      if (line[0] === ':') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value[0] === ' ') value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id' && !value.includes('\0')) id = value;
    }
    buffer = buffer.slice(start);
  };
}

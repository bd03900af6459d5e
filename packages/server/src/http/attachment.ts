// File downloads of the agent API (transcript, report CSVs, the feedback export): one set of headers, so every
// download is an attachment that no cache keeps.
import type { ServerResponse } from 'node:http';

/**
 * Answers 200 with `body` as a download named `filename`, never cached (`Cache-Control: no-store`).
 * @example sendAttachment(ctx.res, 'text/csv; charset=utf-8', 'temper-agents.csv', csv);
 */
export function sendAttachment(res: ServerResponse, contentType: string, filename: string, body: string): void {
  res.writeHead(200, {
    'Content-Type': contentType,
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

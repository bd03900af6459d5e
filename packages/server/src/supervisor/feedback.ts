// The feedback loop: chats an agent labelled "the visitor was upset" / "was not upset", exported as JSON Lines
// in the trainer's row format (`npm run train -- --extra file.jsonl`) by the host, on its own server — the text
// is read from the host's own store and never leaves it. One row per labelled chat: the visitor's own messages,
// joined, because the label is about the chat, not one message; `group` keeps a chat on one side of the split.
import { detectLanguage } from '../bot.js';
import type { Store } from '../store.js';

/** One training row (see models/MODEL_CARD.md, "Feedback from agents"). */
export interface FeedbackRow {
  text: string;
  /** 1 = the agent said the visitor was upset. */
  label: 0 | 1;
  lang: 'en' | 'zh';
  /** The conversation id. */
  group: string;
}

const MAX_CODE_POINTS = 2000;

/** Control characters other than tab and newline, which the trainer refuses. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The labelled chats of `[from, to)` (by label time; the latest label of a chat wins) as trainer rows, oldest
 * label first. Chats deleted or expired since, or without visitor text, are skipped.
 *
 * @example
 * const rows = await exportFeedback(temper.store, { from: Date.now() - 30 * 86_400_000 });
 * await writeFile('feedback.jsonl', rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
 */
export async function exportFeedback(store: Store, range: { from?: number; to?: number } = {}): Promise<FeedbackRow[]> {
  const labels = new Map<string, boolean>();
  for (const e of await store.readAudit({ ...(range.from !== undefined ? { from: range.from } : {}), ...(range.to !== undefined ? { to: range.to } : {}) })) {
    if (e.action !== 'labeled') continue;
    labels.delete(e.conversationId);
    labels.set(e.conversationId, e.reasons[0] === 'upset');
  }
  const rows: FeedbackRow[] = [];
  for (const [id, upset] of labels) {
    const c = await store.getConversation(id);
    if (!c) continue;
    const said = (await store.readEvents(id, 0))
      .map((s) => s.event)
      .filter((e) => e.type === 'message' && e.from === 'visitor')
      .map((e) => (e as { text: string }).text.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, ' ').trim())
      .filter((t) => t.length > 0);
    if (said.length === 0) continue;
    // Keep the end of a long chat: it is what the agent judged.
    const text = [...said.join('\n')].slice(-MAX_CODE_POINTS).join('').trim();
    if (!text) continue;
    rows.push({ text, label: upset ? 1 : 0, lang: detectLanguage(text, c.locale), group: id });
  }
  return rows;
}

// `npm run train -- --extra FILE.jsonl`: a host's (or its agents') own labelled chat messages. Strict: every bad
// line is reported as FILE:LINE with what is wrong, and nothing is trained from a file with any bad line.

/** One row of an extra file, exactly as the trainer reads it. */
export interface ExtraRow {
  text: string;
  /** 1 = the visitor is frustrated/upset, 0 = not. */
  label: 0 | 1;
  lang: 'en' | 'zh';
  /** Optional grouping key (e.g. a conversation id): rows with one group share the train/dev split. */
  group?: string;
}

/** Longest accepted `text`, in code points (the widget's own message limit is lower). */
export const EXTRA_MAX_TEXT = 2000;
const EXTRA_MAX_GROUP = 200;
const KEYS = new Set(['text', 'label', 'lang', 'group']);

/** The trainer rejects a file with any bad line; the message lists each one (the first 20) as `file:line: why`. */
export class ExtraRowsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line: number; message: string }[],
  ) {
    const shown = problems.slice(0, 20).map((p) => `${file}:${p.line}: ${p.message}`);
    if (problems.length > 20) shown.push(`… and ${problems.length - 20} more bad lines`);
    super(`--extra ${file}: ${problems.length} bad line(s), nothing trained:\n${shown.join('\n')}`);
    this.name = 'ExtraRowsError';
  }
}

/** Why one parsed value is not an {@link ExtraRow}, or null when it is one. */
function problemOf(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const r = v as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !KEYS.has(k));
  if (unknown.length) return `unknown key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')} (allowed: text, label, lang, group)`;
  if (typeof r.text !== 'string') return `"text" must be a string, got ${r.text === undefined ? 'nothing' : JSON.stringify(r.text)}`;
  if (!r.text.trim()) return '"text" is empty';
  if (/\p{Surrogate}/u.test(r.text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) return '"text" has a lone surrogate';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B-\u001F\u007F]/.test(r.text)) return '"text" has a control character (only tab and newline are allowed)';
  const cps = [...r.text].length;
  if (cps > EXTRA_MAX_TEXT) return `"text" is ${cps} code points (at most ${EXTRA_MAX_TEXT})`;
  if (r.label !== 0 && r.label !== 1) return `"label" must be the number 0 or 1, got ${r.label === undefined ? 'nothing' : JSON.stringify(r.label)}`;
  if (r.lang !== 'en' && r.lang !== 'zh') return `"lang" must be "en" or "zh", got ${r.lang === undefined ? 'nothing' : JSON.stringify(r.lang)}`;
  if (r.group !== undefined && (typeof r.group !== 'string' || !r.group || r.group.length > EXTRA_MAX_GROUP)) return `"group" must be a non-empty string of at most ${EXTRA_MAX_GROUP} characters`;
  return null;
}

/**
 * Parses and validates the JSON Lines text of one extra file (blank lines are skipped).
 * @throws ExtraRowsError naming every bad line; no rows are returned from a file with one.
 * @example
 * parseExtraRows('{"text":"再不退款我就投诉","label":1,"lang":"zh"}\n', 'chats.jsonl'); // → [{ text: '再不退款我就投诉', label: 1, lang: 'zh' }]
 */
export function parseExtraRows(content: string, file: string): ExtraRow[] {
  const rows: ExtraRow[] = [];
  const problems: { line: number; message: string }[] = [];
  const lines = content.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      problems.push({ line: i + 1, message: `not valid JSON (${(e as Error).message})` });
      return;
    }
    const p = problemOf(v);
    if (p) problems.push({ line: i + 1, message: p });
    else {
      const r = v as ExtraRow;
      rows.push({ text: r.text, label: r.label, lang: r.lang, ...(r.group !== undefined ? { group: r.group } : {}) });
    }
  });
  if (problems.length) throw new ExtraRowsError(file, problems);
  if (rows.length === 0) throw new ExtraRowsError(file, [{ line: 1, message: 'the file has no rows' }]);
  return rows;
}

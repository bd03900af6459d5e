// Builds the support-chat dev set (models/devsets/support-chat.{en,zh}.jsonl) from the hand-written lines and
// templates in support-chat-source.ts. Deterministic (seeded PRNG): the same source always gives the same bytes,
// and scripts/test/support-chat-devset.test.ts fails if the committed files drift from this script.
//   node --import tsx scripts/devset/build-support-chat.ts           write the files
//   node --import tsx scripts/devset/build-support-chat.ts --check   exit 1 if the files are stale
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { leakKey } from '../lib/leak-check.ts';
import { mulberry32 } from '../lib/trainer.ts';
import { CATEGORY_LABEL, DEVSET_DIR, devsetPath, type DevRow } from '../lib/support-chat-devset.ts';
import { EN, ZH, type Category, type LangSource, type Topic } from './support-chat-source.ts';

const SEED = 0x7e3a9;
/** Share of each category's rows (by whole line groups) held out: never for training, never for tuning. */
const HELDOUT_SHARE = 0.45;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function fill(r: Rand, line: string, src: LangSource): string {
  return fillSlots(r, line, src).replace(/\b([Aa]) (?=[aeiou])/g, '$1n ');
}

function fillSlots(r: Rand, line: string, src: LangSource): string {
  return line.replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (slot === 'order') return pick(r, src.vocab.order).replace(/N/g, () => String(Math.floor(r() * 10)));
    const xs = (src.vocab as unknown as Record<string, readonly string[]>)[slot];
    if (!xs) throw new Error(`support-chat source: unknown slot {${slot}} in "${line}"`);
    return pick(r, xs);
  });
}

// Surface variants a real visitor produces: no punctuation, lower case, a typo, an emoji, a greeting or a tag.
// Chosen per category so that an angry line does not get a cheerful emoji.
const EMOJI: Partial<Record<Category, readonly string[]>> = {
  'mild-complaint': ['😕', '🙁'],
  disappointment: ['😞', '😔', '💔'],
  resignation: ['🤷', '😮‍💨', '...'],
  sarcasm: ['🙃', '🙂', '👏'],
  anger: ['😡', '🤬', '!!!'],
  'demand-ultimatum': ['😠', '!!'],
  'thanks-relief': ['🙏', '😊', '👍'],
  'neutral-request': ['🙂', '😊', '🙏'],
};
const PREFIX_EN: Record<Category, readonly string[]> = {
  'neutral-request': ['Hi, ', 'hello, ', 'Hey there, ', 'quick question: ', 'Sorry to bother you, '],
  'mild-complaint': ['Hi, ', 'hello, ', 'Um, ', 'Just so you know, '],
  disappointment: ['Honestly, ', 'hmm. ', 'Well, ', 'To be honest, '],
  resignation: ['ok ', 'look, ', 'honestly ', 'meh, '],
  sarcasm: ['oh ', 'wow. ', 'lol ', 'haha. '],
  anger: ['Hello?? ', 'Seriously, ', 'Again: ', 'Listen, '],
  'demand-ultimatum': ['Final message: ', 'Listen, ', 'Right, ', 'Enough. '],
  'thanks-relief': ['oh ', 'Ah, ', 'Yes! ', 'ok '],
};
const PREFIX_ZH: Record<Category, readonly string[]> = {
  'neutral-request': ['亲，', '你好，', '您好，', '麻烦问下，', '在吗，'],
  'mild-complaint': ['你好，', '客服，', '那个，', '亲，'],
  disappointment: ['说实话，', '唉，', '哎，', '怎么说呢，'],
  resignation: ['唉，', '行，', '好吧，', '哎，'],
  sarcasm: ['哇，', '哈哈，', '呵，', '啧，'],
  anger: ['喂？？', '我说，', '你们听好，', '又是这样，'],
  'demand-ultimatum': ['最后说一次，', '我告诉你们，', '听好了，', '行，'],
  'thanks-relief': ['哦，', '好嘞，', '啊，', '嗯嗯，'],
};

function typo(r: Rand, s: string): string {
  const words = s.split(' ');
  const ix = words.map((w, i) => (/^[a-z]{5,}$/i.test(w) ? i : -1)).filter((i) => i >= 0);
  if (ix.length === 0) return s.toLowerCase();
  const i = pick(r, ix);
  const w = words[i] as string;
  const j = 1 + Math.floor(r() * (w.length - 2));
  words[i] = w.slice(0, j) + (w[j + 1] as string) + (w[j] as string) + w.slice(j + 2);
  return words.join(' ');
}

// Lines that already open with a greeting or an interjection get no second one.
const OPENS_EN = /^(hi|hello|hey|sorry|oh|ok|ah|um|hmm|honestly|well|look|meh|wow|lol|yes|fine|phew|cheers|thx|thanks?)\b/i;
const OPENS_ZH = /^(您好|你好|亲|在吗|嗨|唉|哎|嗯|哦|好的|行|喂|呵呵|哇|算了)/;

function variant(r: Rand, s: string, lang: 'en' | 'zh', cat: Category, kind: number): string {
  // A line that already ends in an emoji or !!! gets no second one; it is lower-cased instead.
  const emoji = () =>
    /[\p{Extended_Pictographic}!]$/u.test(s) ? s.toLowerCase() : `${s}${lang === 'en' ? ' ' : ''}${pick(r, EMOJI[cat] ?? ['🙂'])}`;
  if (lang === 'en') {
    switch (kind % 4) {
      case 0: return s.toLowerCase().replace(/[.,!?;:]+/g, '').replace(/\s+/g, ' ').trim();
      case 1: return typo(r, s);
      case 2: return emoji();
      default: {
        if (OPENS_EN.test(s)) return emoji();
        // "I" and shouted words keep their capitals after a prefix.
        const keep = /^(I\b|I'|[A-Z]{2,})/.test(s);
        return pick(r, PREFIX_EN[cat]) + (keep ? s : s.charAt(0).toLowerCase() + s.slice(1));
      }
    }
  }
  switch (kind % 4) {
    case 0: return s.replace(/[，。！？、,.!?]+/g, ' ').replace(/\s+/g, ' ').trim();
    case 1: {
      // Register through end punctuation and particles, as typed: a question softened with 呀/呢, a complaint
      // closed with ！ or trailing off with …
      const bare = s.replace(/[。！？?!.]+$/u, '');
      // No particle after a particle, an emoji or a 谢谢: "多久发货呀呀", "到哪了呀😊呢".
      if (!/\p{Script=Han}$/u.test(bare) || /[呀呢哈啊吧谢]$/u.test(bare)) return emoji();
      if (cat === 'neutral-request') return /[吗呢吧]$/u.test(bare) ? `${bare}？` : `${bare}${pick(r, ['呀', '呢', '哈'])}`;
      if (cat === 'thanks-relief') return `${bare}${pick(r, ['～', '！', '哈'])}`;
      if (cat === 'anger' || cat === 'demand-ultimatum') return `${bare}${pick(r, ['！', '！！', '!!!'])}`;
      return `${bare}${pick(r, ['…', '。。。', '...'])}`;
    }
    case 2: return emoji();
    default: return OPENS_ZH.test(s) ? emoji() : pick(r, PREFIX_ZH[cat]) + s;
  }
}

interface Draft { text: string; category: Category; topic?: Topic; group: string }

function drafts(lang: 'en' | 'zh', src: LangSource, r: Rand): Draft[] {
  const out: Draft[] = [];
  const add = (category: Category, lines: readonly string[], perLine: number, topic?: Topic) => {
    lines.forEach((line, li) => {
      const group = `${category}/${topic ?? ''}/${li}`;
      const slotted = /\{\w+\}/.test(line);
      const base = slotted ? Array.from({ length: perLine }, () => fill(r, line, src)) : [line];
      for (const text of base) out.push({ text, category, topic, group });
      // Unslotted lines get more surface variants, so every line weighs about the same.
      const extra = slotted ? Math.max(1, perLine - 1) : perLine + 1;
      for (let k = 0; k < extra; k++) out.push({ text: variant(r, pick(r, base), lang, category, k + li), category, topic, group });
    });
  };
  for (const [topic, lines] of Object.entries(src.neutral) as [Topic, readonly string[]][]) add('neutral-request', lines, 2, topic);
  for (const [category, lines] of Object.entries(src.upsetOrThanks) as [Category, readonly string[]][]) add(category, lines, 3);
  return out;
}

/**
 * The dev set of one language, in a fixed order. Rows whose `leakKey` repeats are dropped (first kept); whole
 * line groups go to `heldout` until ≥ 45 % of each category is held out.
 */
export function buildSupportChat(lang: 'en' | 'zh'): DevRow[] {
  const src = lang === 'en' ? EN : ZH;
  const r = mulberry32(SEED ^ (lang === 'en' ? 1 : 2));
  const seen = new Set<string>();
  const ds = drafts(lang, src, r).filter((d) => {
    const k = leakKey(d.text);
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const heldout = new Set<string>();
  for (const cat of Object.keys(CATEGORY_LABEL) as Category[]) {
    const rows = ds.filter((d) => d.category === cat);
    const size = new Map<string, number>();
    for (const d of rows) size.set(d.group, (size.get(d.group) ?? 0) + 1);
    const groups = [...size.keys()];
    // Fisher–Yates with the seeded PRNG.
    for (let i = groups.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [groups[i], groups[j]] = [groups[j] as string, groups[i] as string];
    }
    let n = 0;
    for (const g of groups) {
      if (n >= HELDOUT_SHARE * rows.length) break;
      heldout.add(g);
      n += size.get(g) as number;
    }
  }
  return ds.map((d) => ({
    text: d.text,
    label: CATEGORY_LABEL[d.category],
    lang,
    category: d.category,
    ...(d.topic ? { topic: d.topic } : {}),
    split: heldout.has(d.group) ? 'heldout' : 'dev',
  }));
}

export function serialize(rows: readonly DevRow[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const lang of ['en', 'zh'] as const) {
    const rows = buildSupportChat(lang);
    const text = serialize(rows);
    const path = devsetPath(lang);
    if (check) {
      let old = '';
      try { old = readFileSync(path, 'utf8'); } catch { /* missing = stale */ }
      if (old !== text) { console.error(`stale: ${path} (run scripts/devset/build-support-chat.ts)`); stale = true; }
      continue;
    }
    writeFileSync(path, text);
    const counts: Record<string, { dev: number; heldout: number }> = {};
    for (const row of rows) (counts[row.category] ??= { dev: 0, heldout: 0 })[row.split]++;
    console.log(`${lang}: ${rows.length} rows → ${join(DEVSET_DIR, `support-chat.${lang}.jsonl`)}`);
    console.table(counts);
  }
  if (stale) process.exit(1);
}

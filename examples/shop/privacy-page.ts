// The shop's privacy page, in English and Simplified Chinese. A plain-language part for shoppers comes first;
// the technical tables below it are rendered from the SDK's egress manifest, so what a privacy officer reads is
// generated from the same definitions the code validates against.
import { storageByKey, type EgressManifest, type Locale, type ManifestField, type StorageItem } from '@temper/protocol';
import { esc, layout } from './pages.ts';

function range(f: ManifestField): string {
  if (f.values) return `one of ${f.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (f.min !== undefined) return `${f.min} … ${f.max}`;
  if (f.maxLength !== undefined) return `${f.minLength}–${f.maxLength} characters${f.pattern ? `, /${f.pattern}/` : ''}`;
  return '';
}

/** The part for shoppers, one block per language. Every claim here is checked by the shop's tests or the egress test. */
const PLAIN: Record<Locale, { title: string; short: string; lead: string; points: string[]; details: string; detailsNote: string; other: string }> = {
  en: {
    title: 'Privacy: what the chat does with your data',
    short: 'In short',
    lead: 'The chat on this site is run by Brew & Co. with the Temper software.',
    points: [
      'What you type is sent to us only when you send it as a chat message. Drafts you delete or never send stay on your device.',
      'While you chat, your device estimates how the conversation is going, on one of four levels: calm, uneasy, frustrated or angry. That estimate is made on your device; your messages are not sent anywhere for it.',
      'Only the level (0 to 3) and whether it is rising, steady or easing are sent to us, so that a customer who is having a bad time reaches a person sooner. Never scores, and never any text beyond the messages you send.',
      'You can switch mood detection off in the chat at any time (the “Mood detection” switch). “What’s shared” in the chat lists every level sent during that chat.',
      '“Forget this chat” deletes the conversation stored on this device. The chat stores on your device only what it needs to work: the conversation, messages still waiting to be sent, your choices, and the levels sent. It sets no cookies.',
    ],
    details: 'Details for privacy and technical staff',
    detailsNote: 'Generated from the SDK’s egress manifest: the chat can send nothing that is not listed here.',
    other: '中文版',
  },
  'zh-CN': {
    title: '隐私：聊天如何处理您的数据',
    short: '简而言之',
    lead: '本网站的在线客服由 Brew & Co. 使用 Temper 软件提供。',
    points: [
      '您输入的内容只有在您作为聊天消息发送时才会发送给我们。删除的或未发送的草稿只留在您的设备上。',
      '聊天时，您的设备会估计对话的情绪状态，分为四个等级：平静、不安、沮丧、生气。这一估计在您的设备上完成，您的消息不会因此被发送到任何地方。',
      '只有等级（0 到 3）及其趋势（上升、平稳或缓和）会发送给我们，以便情绪不佳的顾客更快接通人工客服。绝不发送评分，除您发送的消息外也不发送任何文字。',
      '您可以随时在聊天中关闭情绪识别（“情绪识别”开关）。聊天中的“分享了什么”会列出本次对话发送的每一个等级。',
      '“忘记此对话”会删除存储在本设备上的对话。聊天只在您的设备上存储运行所需的内容：对话、尚未发送的消息、您的选择以及已发送的等级。它不设置 Cookie。',
    ],
    details: '供隐私和技术人员参考的详细信息',
    detailsNote: '根据 SDK 的数据外发清单生成：聊天不会发送此处未列出的任何内容。以下表格为英文。',
    other: 'English',
  },
};

const AREA: Record<StorageItem['area'], string> = {
  indexedDB: "IndexedDB (default, <code>storage: 'local'</code>)",
  sessionStorage: "sessionStorage (<code>storage: 'session'</code>: this tab only)",
  localStorage: 'localStorage',
};

/**
 * The /privacy page in `locale`.
 *
 * @example
 * sendHtml(res, 200, privacyPage(manifest, 'zh-CN'));
 */
export function privacyPage(m: EgressManifest, locale: Locale = 'en'): string {
  const t = PLAIN[locale];
  const rows = m.requests
    .flatMap((r) =>
      (r.body?.fields ?? []).map(
        (f) => `<tr><td><code>${r.method} ${esc(m.apiBase + r.path)}</code></td><td><code>${esc(f.name)}</code></td>` +
          `<td>${f.type}</td><td>${esc(range(f))}</td><td>${f.userText ? '<strong>yes</strong>' : 'no'}</td><td>${esc(f.purpose)}</td></tr>`,
      ),
    )
    .join('\n        ');
  const reqs = m.requests
    .map((r) => `<tr><td><code>${r.method} ${esc(m.apiBase + r.path)}</code></td><td>${esc(r.purpose)}</td><td>${esc(r.when)}</td>` +
      `<td>${r.headers.map((h) => `<code>${esc(h.name)}</code>`).join(', ')}</td></tr>`)
    .join('\n        ');
  const storage = storageByKey(m.storage)
    .map((s) => `<tr><td><code>${esc(s.key)}</code></td><td>${s.areas.map((a) => AREA[a]).join('<br>or ')}</td><td>${esc(s.holds)}</td><td>${esc(s.deleted)}</td></tr>`)
    .join('\n        ');
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';
  const table = (id: string, caption: string, head: string[], body: string) => `<h3 id="${id}-title">${caption}</h3>
    <div class="table-scroll" role="region" aria-labelledby="${id}-title" tabindex="0">
    <table id="${id}">
      <thead><tr>${head.map((x) => `<th scope="col">${x}</th>`).join('')}</tr></thead>
      <tbody>
        ${body}
      </tbody>
    </table>
    </div>`;
  return layout(
    locale === 'en' ? 'Privacy' : '隐私',
    `    <div class="privacy">
    <p class="lang-switch"><a href="/privacy?lang=${other}" hreflang="${other}" lang="${other}">${t.other}</a></p>
    <h1>${esc(t.title)}</h1>
    <section id="plain" aria-labelledby="plain-title">
    <h2 id="plain-title">${esc(t.short)}</h2>
    <p>${esc(t.lead)}</p>
    <ul class="plain">
      ${t.points.map((p) => `<li>${esc(p)}</li>`).join('\n      ')}
    </ul>
    </section>
    <section id="technical" aria-labelledby="technical-title">
    <h2 id="technical-title">${esc(t.details)}</h2>
    <p>${esc(t.detailsNote)} <a href="/temper/egress-manifest.json">egress-manifest.json</a></p>
    <div lang="en">
    ${table('requests', 'Requests', ['Request', 'Purpose', 'When', 'Headers set by the SDK'], reqs)}
    ${table('fields', 'Fields', ['Request', 'Field', 'Type', 'Range', 'Typed by you', 'Purpose'], rows)}
    ${table('storage', 'Stored on your device', ['Key', 'Where', 'Holds', 'Deleted'], storage)}
    <h3>Never sent</h3>
    <ul>
      ${m.neverSent.map((n) => `<li>${esc(n)}</li>`).join('\n      ')}
    </ul>
    </div>
    </section>
    </div>`,
    '/privacy',
    locale,
  );
}

// Every user-visible string of the launcher and the panel, in every supported language (the privacy bar's are in
// privacy-strings.ts, so the panel's file does not carry them: rollup puts modules the panel and the scoring glue
// share into the panel's file).
import { waitMinutes, type Locale } from '@temper/protocol';

/** Strings the launcher (in temper.js) needs; kept apart so the core bundle carries only these. */
export const LAUNCHER_STRINGS = {
  en: { open: 'Open chat', unread: (n: number) => `Open chat, ${n} new ${n === 1 ? 'message' : 'messages'}` },
  'zh-CN': { open: '打开聊天', unread: (n: number) => `打开聊天，${n} 条新消息` },
} satisfies Record<Locale, unknown>;

/** Strings of the panel (in temper-panel.js). */
export const PANEL_STRINGS = {
  en: {
    title: 'Chat with us',
    close: 'Close chat',
    messages: 'Messages',
    input: 'Message',
    placeholder: 'Type a message…',
    send: 'Send',
    sending: 'Sending…',
    failed: 'Not sent',
    you: 'You',
    bot: 'Assistant',
    agent: 'Agent',
    system: 'Notice',
    typing: 'Typing…',
    offline: 'Cannot reach the chat right now. Your messages will be sent when the connection is back.',
    refused: 'We could not verify your account, so the chat cannot start. Please sign in again.',
    queued: (pos?: number, wait?: number) =>
      `Waiting for a person${pos ? ` (you are number ${pos} in line` : ''}${pos && wait !== undefined ? `, about ${waitMinutes(wait)} min` : ''}${pos ? ')' : ''}.`,
    /** Shown after the agent's name (isolated in its own element, so a name cannot reorder this text). */
    joined: ' joined the chat.',
    someone: 'An agent',
    closed: 'This conversation was closed.',
    newMessage: (who: string, text: string) => `${who}: ${text}`,
    empty: 'Ask us anything. We usually reply in a few seconds.',
    /** This language's own name, on the switch that offers it. */
    name: 'English',
    // ---- h-warch, issue 12 (defects 1, 2, 13): the panel's direction, the new-messages button, the too-long error ----
    dir: 'ltr' as 'ltr' | 'rtl',
    unseen: 'New messages',
    tooLong: (n: number, max: number) =>
      `This message has ${n.toLocaleString('en')} characters; the limit is ${max.toLocaleString('en')}. Shorten it or send it in parts.`,
    cannotSend: 'This message cannot be sent. Please change it and try again.',
    // ---- end h-warch ----
    // Issue 15, finding 8 (under the thread after a message whose card number was masked).
    cardMasked: "The card number was masked (•••• 1111) before it was stored or sent. Please don't share card details in chat.",
  },
  'zh-CN': {
    title: '在线客服',
    close: '关闭聊天',
    messages: '消息',
    input: '消息',
    placeholder: '输入消息…',
    send: '发送',
    sending: '发送中…',
    failed: '未发送',
    you: '您',
    bot: '智能助手',
    agent: '客服',
    system: '通知',
    typing: '正在输入…',
    offline: '暂时无法连接客服，连接恢复后会自动发送您的消息。',
    refused: '无法验证您的账户，聊天无法开始，请重新登录。',
    queued: (pos?: number, wait?: number) =>
      `正在为您转接人工客服${pos ? `（您排在第 ${pos} 位` : ''}${pos && wait !== undefined ? `，约 ${waitMinutes(wait)} 分钟` : ''}${pos ? '）' : ''}。`,
    joined: '已加入对话。',
    someone: '客服',
    closed: '此对话已结束。',
    newMessage: (who: string, text: string) => `${who}：${text}`,
    empty: '有任何问题都可以问我们，通常几秒内回复。',
    name: '中文',
    // ---- h-warch, issue 12 (defects 1, 2, 13) ----
    dir: 'ltr' as 'ltr' | 'rtl',
    unseen: '有新消息',
    tooLong: (n: number, max: number) => `您的消息有 ${n.toLocaleString('zh-CN')} 个字符，超过了 ${max.toLocaleString('zh-CN')} 个字符的上限。请缩短，或分几条发送。`,
    cannotSend: '此消息无法发送，请修改后再试。',
    // ---- end h-warch ----
    cardMasked: '银行卡号在保存或发送前已被遮盖（•••• 1111）。请不要在聊天中提供银行卡信息。',
  },
} satisfies Record<Locale, unknown>;
export type PanelStrings = (typeof PANEL_STRINGS)['en'];

// --- Messenger basics (issue 12): "seen" receipts, past conversations, rating at close (en + zh-CN, 您) ---
/** The few messenger strings the panel itself shows (in temper-panel.js). */
export const MESSENGER_PANEL_STRINGS = {
  en: { seen: 'Seen', past: 'Past conversations' },
  'zh-CN': { seen: '已读', past: '历史对话' },
} satisfies Record<Locale, unknown>;

// The rating and past-conversation views' strings (en + zh-CN, 您) are in ./messenger-strings.ts: they load
// with those lazily loaded views instead of adding ≈ 600 B (gzip) to the panel at first paint.

// Every user-visible string, in every supported language. One file so translators see it all at once.
import type { Locale } from '@temper/protocol';

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
      `Waiting for a person${pos ? ` (you are number ${pos} in line` : ''}${pos && wait ? `, about ${Math.ceil(wait / 60)} min` : ''}${pos ? ')' : ''}.`,
    /** Shown after the agent's name (isolated in its own element, so a name cannot reorder this text). */
    joined: ' joined the chat.',
    someone: 'An agent',
    closed: 'This conversation was closed.',
    newMessage: (who: string, text: string) => `${who}: ${text}`,
    empty: 'Ask us anything. We usually reply in a few seconds.',
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
    you: '你',
    bot: '智能助手',
    agent: '客服',
    system: '通知',
    typing: '正在输入…',
    offline: '暂时无法连接客服，连接恢复后会自动发送你的消息。',
    refused: '无法验证你的账户，聊天无法开始，请重新登录。',
    queued: (pos?: number, wait?: number) =>
      `正在为你转接人工客服${pos ? `（你排在第 ${pos} 位` : ''}${pos && wait ? `，约 ${Math.ceil(wait / 60)} 分钟` : ''}${pos ? '）' : ''}。`,
    joined: '已加入对话。',
    someone: '客服',
    closed: '此对话已结束。',
    newMessage: (who: string, text: string) => `${who}：${text}`,
    empty: '有任何问题都可以问我们，通常几秒内回复。',
  },
} satisfies Record<Locale, unknown>;
export type PanelStrings = (typeof PANEL_STRINGS)['en'];

/** Strings of the privacy notice, the mood-detection switch and the "What's shared" view (in temper-scoring.js). */
export const PRIVACY_STRINGS = {
  en: {
    on: 'Mood detection runs on this device; only a calm-to-frustrated level is shared.',
    off: 'Mood detection is off; nothing about your mood is shared.',
    unavailable: 'Mood detection is unavailable in this browser; nothing about your mood is shared.',
    toggle: 'Mood detection',
    shared: "What's shared",
    sharedIntro: 'Sent to this site during this chat:',
    sharedEmpty: 'Nothing has been shared in this chat.',
    levels: ['Calm', 'Uneasy', 'Frustrated', 'Angry'],
    trends: { '-1': 'easing', '0': 'steady', '1': 'rising' },
    forget: 'Forget this chat',
  },
  'zh-CN': {
    on: '情绪识别仅在本设备上运行，只会分享从“平静”到“沮丧”的等级。',
    off: '情绪识别已关闭，不会分享任何情绪信息。',
    unavailable: '此浏览器无法进行情绪识别，不会分享任何情绪信息。',
    toggle: '情绪识别',
    shared: '分享了什么',
    sharedIntro: '本次对话中发送给本网站的信息：',
    sharedEmpty: '本次对话尚未分享任何信息。',
    levels: ['平静', '不安', '沮丧', '生气'],
    trends: { '-1': '缓和', '0': '平稳', '1': '上升' },
    forget: '忘记此对话',
  },
} satisfies Record<Locale, unknown>;
export type PrivacyStrings = (typeof PRIVACY_STRINGS)['en'];

// --- Messenger basics (issue 12): "seen" receipts, past conversations, rating at close (en + zh-CN, 您) ---
/** The few messenger strings the panel itself shows (in temper-panel.js). */
export const MESSENGER_PANEL_STRINGS = {
  en: { seen: 'Seen', past: 'Past conversations' },
  'zh-CN': { seen: '已读', past: '历史对话' },
} satisfies Record<Locale, unknown>;

// The rating and past-conversation views' strings (en + zh-CN, 您) are in ./messenger-strings.ts: they load
// with those lazily loaded views instead of adding ≈ 600 B (gzip) to the panel at first paint.

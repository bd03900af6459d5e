// Every string of the agent console, the reports page and their sign-in, in English and Simplified Chinese
// (issue 12, defect 11). The server renders the staff pages with <html lang> from `?lang=` or the browser's
// Accept-Language (pages.ts pageLocale); the app reads that once, so a page and its app never disagree.
import type { Level, Trend } from '@temper/protocol';

export type StaffLocale = 'en' | 'zh-CN';

/** The language of this staff page: the one the server put on `<html lang>`. */
export const staffLocale = (): StaffLocale => (typeof document !== 'undefined' && document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en');

const en = {
  languageName: (l: string): string => (l === 'zh' ? 'Chinese (zh)' : 'English (en)'),
  otherLanguage: '中文',
  level: 'Level',
  levels: ['calm', 'uneasy', 'frustrated', 'angry'] as readonly string[],
  notScored: 'not scored',
  trends: { rising: 'rising', easing: 'easing', steady: 'steady' },
  reasons: 'Reasons',
  waiting: 'Waiting',
  meta: (priority: number, turns: number, missed: number) =>
    `priority ${priority} · ${turns} ${turns === 1 ? 'message' : 'messages'}${missed > 0 ? ` · bot missed ${missed}` : ''}`,
  claim: 'Claim',
  claiming: 'Claiming…',
  queueTitle: 'Waiting for a person',
  goOnlineHint: 'Go online to claim chats.',
  reconnecting: 'Reconnecting to the queue…',
  noOneWaiting: 'No one is waiting.',
  yourChats: 'Your chats',
  chatsWithAgents: 'Chats with agents',
  noneYet: 'None yet.',
  newCount: (n: number) => `${n} new`,
  queuedLine: (pos?: number) => `Queued for a person${pos ? ` (position ${pos})` : ''}.`,
  anAgent: 'An agent',
  tookChat: ' took the chat.',
  backWithBot: 'Back with the assistant.',
  chatClosed: 'Chat closed.',
  visitor: 'Visitor',
  notice: 'Notice',
  assistant: 'Assistant',
  agent: 'Agent',
  chat: 'Chat',
  pickChat: 'Claim a chat from the queue, or open one of yours.',
  loadingChat: 'Loading the chat…',
  state: 'state',
  handBack: 'Hand back to the bot',
  closeChat: 'Close chat',
  transcript: 'Transcript',
  botTyping: 'Assistant is typing…',
  replyLabel: 'Reply to the visitor',
  replyPlaceholder: 'Type a reply… (Enter sends, Shift+Enter for a new line)',
  send: 'Send',
  consoleTitle: 'Agent console',
  signedInAs: 'Signed in as',
  roleName: (r: string) => r,
  goOffline: 'Online — go offline',
  goOnline: 'Offline — go online',
  agentsOnline: 'Agents online:',
  reports: 'Reports',
  signOut: 'Sign out',
  dismiss: 'Dismiss',
  // Sign-in
  enterVisibleName: 'Enter the name visitors will see.',
  enterName: 'Enter your name.',
  couldNotSignIn: (why: string) => `Could not sign in: ${why}`,
  demoWarningTitle: 'Demo sign-in — not for production.',
  demoWarning:
    'Anyone can get an agent or a supervisor token here, and a supervisor reads every transcript, the audit log and the reports. It is rate-limited, on in npm start and off in npm run serve unless TEMPER_DEMO_SIGNIN=1. A real shop issues agent tokens from its own staff login (with createAgentToken on its server).',
  nameForVisitors: 'Your name (visitors see it on the replies you write)',
  yourName: 'Your name',
  role: 'Role',
  roleFixed: (r: string) => `Role: ${r}`,
  signIn: 'Sign in',
  expired: 'Your sign-in expired. Sign in again.',
  reportsForSupervisors: (name: string, role: string) => `Reports are for supervisors; you are signed in as ${name} (${role}).`,
  // Reports page chrome
  period: 'Period',
  ranges: { hour: 'Last hour', day: 'Last 24 hours', week: 'Last 7 days', month: 'Last 30 days' },
  refresh: 'Refresh',
  downloads: 'Downloads',
  downloadFailed: (why: string) => `Download failed: ${why}`,
};

export type StaffStrings = typeof en;

const zh: StaffStrings = {
  languageName: (l: string) => (l === 'zh' ? '中文 (zh)' : '英文 (en)'),
  otherLanguage: 'English',
  level: '等级',
  levels: ['平静', '不安', '沮丧', '生气'],
  notScored: '未评分',
  trends: { rising: '上升', easing: '缓和', steady: '平稳' },
  reasons: '原因',
  waiting: '已等待',
  meta: (priority: number, turns: number, missed: number) => `优先级 ${priority} · ${turns} 条消息${missed > 0 ? ` · 机器人未理解 ${missed} 次` : ''}`,
  claim: '接入',
  claiming: '接入中…',
  queueTitle: '等待人工客服',
  goOnlineHint: '上线后才能接入对话。',
  reconnecting: '正在重新连接队列…',
  noOneWaiting: '目前无人等待。',
  yourChats: '我的对话',
  chatsWithAgents: '客服的对话',
  noneYet: '暂无。',
  newCount: (n: number) => `${n} 条新消息`,
  queuedLine: (pos?: number) => `排队等待人工客服${pos ? `（第 ${pos} 位）` : ''}。`,
  anAgent: '一位客服',
  tookChat: ' 接入了对话。',
  backWithBot: '已转回智能助手。',
  chatClosed: '对话已结束。',
  visitor: '访客',
  notice: '通知',
  assistant: '智能助手',
  agent: '客服',
  chat: '对话',
  pickChat: '从队列中接入一个对话，或打开您的对话。',
  loadingChat: '正在加载对话…',
  state: '状态',
  handBack: '转回机器人',
  closeChat: '结束对话',
  transcript: '对话记录',
  botTyping: '智能助手正在输入…',
  replyLabel: '回复访客',
  replyPlaceholder: '输入回复…（Enter 发送，Shift+Enter 换行）',
  send: '发送',
  consoleTitle: '客服工作台',
  signedInAs: '当前登录：',
  roleName: (r: string) => ({ agent: '客服', supervisor: '主管', admin: '管理员' })[r] ?? r,
  goOffline: '在线 — 点击下线',
  goOnline: '离线 — 点击上线',
  agentsOnline: '在线客服：',
  reports: '报表',
  signOut: '退出登录',
  dismiss: '关闭',
  enterVisibleName: '请输入访客将看到的名字。',
  enterName: '请输入您的名字。',
  couldNotSignIn: (why: string) => `无法登录：${why}`,
  demoWarningTitle: '演示登录，不可用于生产环境。',
  demoWarning:
    '任何人都可以在这里获得客服或主管令牌，而主管可以阅读所有对话记录、审计日志和报表。此入口有频率限制，在 npm start 中开启，在 npm run serve 中默认关闭（除非设置 TEMPER_DEMO_SIGNIN=1）。真实的商店应通过自己的员工登录签发客服令牌（在服务器上使用 createAgentToken）。',
  nameForVisitors: '您的名字（访客会在您的回复上看到）',
  yourName: '您的名字',
  role: '角色',
  roleFixed: (r: string) => `角色：${({ agent: '客服', supervisor: '主管', admin: '管理员' })[r] ?? r}`,
  signIn: '登录',
  expired: '登录已过期，请重新登录。',
  reportsForSupervisors: (name: string, role: string) => `报表仅供主管查看；您当前以 ${name}（${role}）登录。`,
  period: '时间范围',
  ranges: { hour: '最近 1 小时', day: '最近 24 小时', week: '最近 7 天', month: '最近 30 天' },
  refresh: '刷新',
  downloads: '下载',
  downloadFailed: (why: string) => `下载失败：${why}`,
};

/** The strings of this page's language. */
export const T: StaffStrings = staffLocale() === 'zh-CN' ? zh : en;

/**
 * A level as its number and name, e.g. "2 frustrated"; `null` (the visitor's scoring is off) as "not scored".
 *
 * @example
 * levelWords(2, T); // '2 frustrated' (or '2 沮丧')
 */
export const levelWords = (l: Level | null, s: StaffStrings = T): string => (l === null ? s.notScored : `${l} ${s.levels[l]}`);

/**
 * A trend in words.
 *
 * @example
 * trendWords(1, T); // 'rising'
 */
export const trendWords = (t: Trend | null, s: StaffStrings = T): string => (t === null ? '—' : t > 0 ? s.trends.rising : t < 0 ? s.trends.easing : s.trends.steady);

/** The link that offers this page in the other language. */
export const otherLanguageHref = (): string => `?lang=${staffLocale() === 'zh-CN' ? 'en' : 'zh-CN'}`;

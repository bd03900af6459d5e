// Messenger basics (issue 12): strings of the rating and past-conversation views, in every supported
// language. A file of their own (the rest are in strings.ts) because those views are loaded lazily: kept in
// strings.ts, they would ride in the panel chunk at first paint.
import type { Locale } from '@temper/protocol';

/** Strings of the rating and past-conversation views (a lazily loaded part of the panel). */
export const MESSENGER_STRINGS = {
  en: {
    rateTitle: 'How was this chat?',
    scores: ['Very bad', 'Bad', 'OK', 'Good', 'Great'],
    score: (n: number, label: string) => `${n} of 5: ${label}`,
    comment: 'Anything you would like to add? (optional)',
    submit: 'Send rating',
    pick: 'Choose a rating from 1 to 5 first.',
    thanks: 'Thank you for your feedback.',
    rateFailed: 'Your rating could not be sent. Please try again.',
    historyTitle: 'Past conversations',
    back: 'Back to the chat',
    backToList: 'All past conversations',
    none: 'You have no earlier conversations.',
    loading: 'Loading…',
    loadFailed: 'Your past conversations could not be loaded. Please try again.',
    count: (n: number) => `${n} ${n === 1 ? 'message' : 'messages'}`,
    closedState: 'closed',
    openState: 'open',
    of: (date: string) => `Conversation of ${date}`,
  },
  'zh-CN': {
    rateTitle: '您对本次服务满意吗？',
    scores: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
    score: (n: number, label: string) => `${n} 分（满分 5 分）：${label}`,
    comment: '您还有什么想补充的吗？（选填）',
    submit: '提交评分',
    pick: '请先选择 1 到 5 分。',
    thanks: '感谢您的反馈。',
    rateFailed: '评分未能提交，请您稍后重试。',
    historyTitle: '历史对话',
    back: '返回当前对话',
    backToList: '全部历史对话',
    none: '您还没有更早的对话。',
    loading: '加载中…',
    loadFailed: '无法加载您的历史对话，请您稍后重试。',
    count: (n: number) => `${n} 条消息`,
    closedState: '已结束',
    openState: '进行中',
    of: (date: string) => `${date} 的对话`,
  },
} satisfies Record<Locale, unknown>;
export type MessengerStrings = (typeof MESSENGER_STRINGS)['en'];

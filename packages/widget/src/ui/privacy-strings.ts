// The privacy bar's strings (temper-scoring.js), in every supported language. Their own module: were they in
// strings.ts, which the panel imports too, rollup would put them into the panel's file (+547 B gz there).
import type { Locale } from '@temper/protocol';

/** Strings of the privacy notice, the mood-detection switch and the "What's shared" view (in temper-scoring.js). */
export const PRIVACY_STRINGS = {
  en: {
    on: 'Mood detection runs on this device; only a level (calm, uneasy, frustrated or angry) and its trend are shared.',
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
    on: '情绪识别仅在本设备上运行，只会分享情绪等级（平静、不安、沮丧或生气）及其变化趋势。',
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

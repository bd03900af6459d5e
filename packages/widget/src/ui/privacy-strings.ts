// The privacy bar's strings (temper-scoring.js), in every supported language. Their own module: were they in
// strings.ts, which the panel imports too, rollup would put them into the panel's file (+547 B gz there).
//
// Issue 15, finding 4: the notice says what EU AI Act Art. 50(3) asks of an emotion recognition system, plainly —
// that an automated system estimates mood from the messages on this device, why (a person, a careful tone), who
// receives what (this site: a level 0–3 and its trend; sent messages as chat), that the routing is automated, how
// to switch it off, and (with the `privacyPolicyUrl` option) where the host's privacy policy is.
import type { Locale } from '@temper/protocol';
import type { StorageMode } from '../core/types.js';

/** Strings of the privacy notice, the mood-detection switch and the "What's shared" view (in temper-scoring.js). */
export const PRIVACY_STRINGS = {
  en: {
    on: (site: string) =>
      `Mood detection: an automated system on this device estimates your mood from the messages you write here, so that this site (${site}) can bring in a person or reply more carefully. Whether a bot or a person answers is decided automatically. From mood detection the site receives only a level (calm, uneasy, frustrated or angry) and its trend; the messages you send reach it as chat. You can switch mood detection off at any time.`,
    off: 'Mood detection is off: nothing estimates your mood and nothing about it is shared. The messages you send reach this site as chat.',
    unavailable: 'Mood detection is unavailable in this browser; nothing about your mood is shared.',
    policy: 'Privacy policy',
    toggle: 'Mood detection',
    shared: "What's shared",
    sharedIntro: 'Sent to this site during this chat:',
    sharedEmpty: 'Nothing has been shared in this chat.',
    levels: ['Calm', 'Uneasy', 'Frustrated', 'Angry'],
    trends: { '-1': 'easing', '0': 'steady', '1': 'rising' },
    stored: (mode: StorageMode, hours: number) =>
      mode === 'local'
        ? `This chat is kept on this device until ${hours} ${hours === 1 ? 'hour' : 'hours'} after its last message, or until you forget it.`
        : mode === 'session'
          ? 'This chat is kept in this tab only and is gone when you close it.'
          : 'This chat is not kept on this device: it ends with this page.',
    cards: "Card numbers are masked (•••• 1111) before they are stored or sent. Please don't share card details in chat.",
    forget: 'Forget this chat',
    refIntro:
      'Before this device forgets the chat: its reference, in case you want this site to find, export or delete the conversation (the site keeps its own copy under its retention rules).',
    refLabel: 'Conversation reference',
    noRef: 'Nothing of this chat has reached the site yet.',
    copy: 'Copy reference',
    copied: 'Copied.',
    copyFailed: 'Select the reference and copy it.',
    confirm: 'Forget it now',
    cancel: 'Cancel',
  },
  'zh-CN': {
    on: (site: string) =>
      `情绪识别：本设备上的自动化系统会根据您在此输入的消息估计您的情绪，以便本网站（${site}）为您安排人工客服或更谨慎地回复。由机器人还是人工客服接待，由系统自动决定。情绪识别只会向本网站提供情绪等级（平静、不安、沮丧或生气）及其变化趋势；您发送的消息会作为聊天内容发送给本网站。您可以随时关闭情绪识别。`,
    off: '情绪识别已关闭：不会估计您的情绪，也不会分享任何情绪信息。您发送的消息会作为聊天内容发送给本网站。',
    unavailable: '此浏览器无法进行情绪识别，不会分享任何情绪信息。',
    policy: '隐私政策',
    toggle: '情绪识别',
    shared: '分享了什么',
    sharedIntro: '本次对话中发送给本网站的信息：',
    sharedEmpty: '本次对话尚未分享任何信息。',
    levels: ['平静', '不安', '沮丧', '生气'],
    trends: { '-1': '缓和', '0': '平稳', '1': '上升' },
    stored: (mode: StorageMode, hours: number) =>
      mode === 'local'
        ? `此对话保存在本设备上，最后一条消息 ${hours} 小时后或您选择忘记时删除。`
        : mode === 'session'
          ? '此对话仅保存在此标签页中，关闭标签页后即删除。'
          : '此对话不会保存在本设备上，离开此页面即结束。',
    cards: '银行卡号在保存或发送前会被遮盖（•••• 1111）。请不要在聊天中提供银行卡信息。',
    forget: '忘记此对话',
    refIntro: '在本设备忘记此对话之前：这是对话编号。如需本网站查找、导出或删除此对话，请提供该编号（网站按其保留规则保存自己的副本）。',
    refLabel: '对话编号',
    noRef: '此对话尚未发送到本网站。',
    copy: '复制编号',
    copied: '已复制。',
    copyFailed: '请选中编号并复制。',
    confirm: '立即忘记',
    cancel: '取消',
  },
} satisfies Record<Locale, unknown>;
export type PrivacyStrings = (typeof PRIVACY_STRINGS)['en'];

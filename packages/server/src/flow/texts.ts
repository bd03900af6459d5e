// Everything the server itself says to a visitor, in both first-class languages. Kept apart from the logic so
// a translator (or a host) can read all of it in one place.

export type Lang = 'en' | 'zh';

export const TEXT = {
  queued: {
    en: (p: number, m: number) =>
      `Connecting you to a person… You are number ${p} in line; the expected wait is about ${m} min. You can keep writing here.`,
    zh: (p: number, m: number) => `正在为您转接人工客服…您排在第 ${p} 位，预计等待约 ${m} 分钟。您可以继续在这里留言。`,
  },
  'no-agent-available': {
    en: 'No one from our team is online right now, so the assistant will keep helping as best it can. If you leave your email or phone number here, a person will get back to you.',
    zh: '目前没有在线的客服同事，助手会继续尽力帮助您。如果您在这里留下邮箱或电话，我们的同事会尽快联系您。',
  },
  'outside-hours': {
    en: 'Our team is outside business hours right now, so the assistant will keep helping. Leave your email or phone number here and a person will get back to you when we open.',
    zh: '现在不在客服工作时间，助手会继续为您服务。请在这里留下邮箱或电话，我们上班后会尽快联系您。',
  },
  joined: { en: (n: string) => `${n} from our team has joined the chat.`, zh: (n: string) => `客服 ${n} 已加入对话。` },
  released: {
    en: 'You are back with the assistant. Say “agent” any time to reach a person again.',
    zh: '已转回智能助手。如需人工服务，随时输入“转人工”。',
  },
  // Asking for a person again (issue 12, defect 3): an ask always gets an answer, with the honest wait.
  stillQueued: {
    en: (p: number, m: number) => `You are still in line for a person: number ${p}, about ${m} min. They will see everything you write here.`,
    zh: (p: number, m: number) => `您仍在排队等待人工客服：第 ${p} 位，预计约 ${m} 分钟。您在这里写的内容，同事都能看到。`,
  },
  stillNoAgent: {
    en: (h: number) =>
      `Still no one from our team is online, sorry. Leave your email or phone number here and a person will get back to you within ${h} hours.`,
    zh: (h: number) => `抱歉，目前仍没有在线的客服同事。请在这里留下邮箱或电话，我们的同事会在 ${h} 小时内联系您。`,
  },
  stillOutsideHours: {
    en: (h: number) =>
      `Our team is still outside business hours, sorry. Leave your email or phone number here and a person will get back to you within ${h} hours of opening.`,
    zh: (h: number) => `抱歉，现在仍不在客服工作时间。请在这里留下邮箱或电话，我们上班后 ${h} 小时内会联系您。`,
  },
  // Callback requests (issue 12, defect 4): the contact is confirmed back, with when they will hear from us.
  callbackSaved: {
    en: (contact: string, h: number) =>
      `Thank you — a person from our team will get back to you at ${contact} within ${h} hours. You can keep writing here in the meantime.`,
    zh: (contact: string, h: number) => `谢谢您！我们的同事会在 ${h} 小时内通过 ${contact} 联系您。在此期间，您也可以继续在这里留言。`,
  },
  callbackKept: {
    en: (contact: string, h: number) =>
      `No one from our team is online yet, but we have your contact (${contact}): a person will get back to you within ${h} hours.`,
    zh: (contact: string, h: number) => `目前还没有在线的客服同事，但我们已记下您的联系方式（${contact}），同事会在 ${h} 小时内联系您。`,
  },
  closed: { en: 'This chat was closed. Write again any time.', zh: '此对话已结束。如需帮助，欢迎随时再次留言。' },
  botTimeout: {
    en: 'Sorry, our assistant is taking too long to answer. Your message was received and stays in this chat; you can keep writing.',
    zh: '抱歉，助手回复超时。您的消息已收到，并保留在此对话中；您可以继续留言。',
  },
  botError: {
    en: 'Sorry, our assistant could not answer just now. Your message was received and stays in this chat.',
    zh: '抱歉，助手暂时无法回答。您的消息已收到，并保留在此对话中。',
  },
} as const;

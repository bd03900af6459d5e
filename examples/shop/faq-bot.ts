// The demo shop's FAQ bot: keyword intents in English and Chinese, answers in the language of the message.
// Deliberately rule-based: the point of the demo is routing and handoff, and a rules bot makes "did not
// understand" an honest, testable signal instead of a model's guess.
import type { BotAdapter, BotContext, BotReply, Tone } from '@temper/server';
import { detectLanguage } from '@temper/server';
import { asksForHuman } from '@temper/protocol';

type Lang = 'en' | 'zh';

/** One answer: a lead sentence and numbered steps. Careful tone keeps only the first steps. */
interface Answer {
  lead: string;
  steps: readonly string[];
}

interface Intent {
  id: string;
  /** English keywords (whole words or phrases, lowercase). A leading `~` marks a generic word that weighs half. */
  en: readonly string[];
  /** Chinese keywords (substrings), `~` as in `en`. */
  zh: readonly string[];
  answer: Record<Lang, Answer>;
  /** Small talk (greetings, thanks) never gets the careful preamble. */
  smallTalk?: boolean;
  /** A rule that counts as one full keyword (the ask for a person: the shared `asksForHuman`). */
  matches?: (text: string) => boolean;
}

const DEFINED: readonly Intent[] = [
  {
    id: 'checkout-error',
    en: ['checkout', 'check out', 'error', 'failed', 'fails', 'failing', 'declined', 'not working', "doesn't work", 'broken', 'stuck'],
    zh: ['结账', '结算', '报错', '错误', '失败', '出错', '无法下单', '下不了单', '卡住'],
    answer: {
      en: {
        lead: 'Sorry the checkout gave you an error. These steps fix most cases:',
        steps: [
          'Reload the checkout page; your cart is kept.',
          'Check that the card details and billing address match your bank’s records.',
          'Try another payment method (card, PayPal or Alipay).',
          'If it still fails, note the error code shown on the page and send it here.',
        ],
      },
      zh: {
        lead: '抱歉，结账时出现了错误。以下步骤通常可以解决：',
        steps: ['刷新结账页面，购物车内容会保留。', '确认银行卡信息和账单地址与银行记录一致。', '换一种支付方式（银行卡、PayPal 或支付宝）。', '如果仍然失败，请把页面上显示的错误代码发到这里。'],
      },
    },
  },
  {
    id: 'order-status',
    en: ['~order', '~orders', 'tracking', 'track', 'where is my', 'package', 'parcel', 'delivery status', 'not arrived', "hasn't arrived", '~late'],
    zh: ['~订单', '物流', '快递', '包裹', '追踪', '跟踪', '查件', '到哪', '还没到', '没收到', '~单号'],
    answer: {
      en: {
        lead: 'You can follow your order from your account:',
        steps: [
          'Open “My orders” from the account menu.',
          'Pick the order to see its status and the tracking number.',
          'Tap the tracking number for the carrier’s live status.',
          'No update for 5 working days? Tell us the order number and we will chase the carrier.',
        ],
      },
      zh: {
        lead: '您可以在账户中查看订单进度：',
        steps: ['在账户菜单中打开“我的订单”。', '选择订单，查看状态和物流单号。', '点击物流单号查看承运商的实时状态。', '如果 5 个工作日没有更新，请告诉我们订单号，我们会联系承运商。'],
      },
    },
  },
  {
    id: 'refund',
    en: ['refund', 'refunds', 'refunded', 'money back', 'reimburse', 'chargeback'],
    zh: ['退款', '退钱', '钱退', '返还', '到账'],
    answer: {
      en: {
        lead: 'Refunds go back to the original payment method:',
        steps: [
          'We start the refund the day your return reaches our warehouse.',
          'Cards and PayPal show it within 5–10 working days; Alipay within 3.',
          'You get an email when it is sent.',
        ],
      },
      zh: {
        lead: '退款会原路退回到您的支付方式：',
        steps: ['退货到达仓库当天我们就会发起退款。', '银行卡和 PayPal 需 5–10 个工作日到账，支付宝 3 个工作日内。', '退款发出后您会收到邮件通知。'],
      },
    },
  },
  {
    id: 'returns',
    en: ['return', 'returns', 'send back', 'exchange', 'wrong size', 'damaged', 'defective'],
    zh: ['退货', '换货', '退回', '寄回', '尺码不对', '损坏', '坏了', '质量问题'],
    answer: {
      en: {
        lead: 'Returns are free within 30 days:',
        steps: [
          'Open “My orders” and choose “Return an item”.',
          'Print the prepaid label we email you.',
          'Drop the parcel at any post office within 14 days.',
          'Damaged or wrong item? Add a photo and we send a replacement first.',
        ],
      },
      zh: {
        lead: '30 天内可免费退货：',
        steps: ['打开“我的订单”，选择“退货”。', '打印我们通过邮件发送的预付运单。', '14 天内将包裹交到任一邮局。', '商品损坏或发错？附上照片，我们会先寄出替换品。'],
      },
    },
  },
  {
    id: 'shipping',
    en: ['shipping', 'ship', 'deliver', 'delivery', 'postage', 'courier', 'how long', 'international', 'express'],
    zh: ['运费', '配送', '发货', '送货', '多久', '几天', '邮费', '国际', '快递费', '包邮'],
    answer: {
      en: {
        lead: 'Shipping options:',
        steps: [
          'Standard: 3–5 working days, free over $50.',
          'Express: 1–2 working days, $9.',
          'International: 7–14 working days; duties are shown at checkout.',
        ],
      },
      zh: {
        lead: '配送方式：',
        steps: ['标准配送：3–5 个工作日，满 50 美元包邮。', '加急配送：1–2 个工作日，9 美元。', '国际配送：7–14 个工作日，关税在结账时显示。'],
      },
    },
  },
  {
    id: 'payment',
    en: ['payment', '~pay', '~card', 'credit card', 'paypal', 'alipay', 'invoice', 'charged', '~charge', 'billing'],
    zh: ['支付', '付款', '信用卡', '银行卡', '支付宝', '微信支付', '发票', '扣款', '扣费', '账单'],
    answer: {
      en: {
        lead: 'We accept Visa, Mastercard, American Express, PayPal and Alipay.',
        steps: [
          'Your card is charged only when the order ships.',
          'A pending amount before that is an authorisation and drops off by itself.',
          'Invoices are in “My orders” → “Download invoice”.',
        ],
      },
      zh: {
        lead: '我们支持 Visa、Mastercard、American Express、PayPal 和支付宝。',
        steps: ['订单发货时才会扣款。', '发货前显示的待处理金额是预授权，会自动解除。', '发票可在“我的订单”→“下载发票”中获取。'],
      },
    },
  },
  {
    id: 'human',
    // The same rule the server routes by and the device scores by, so the bot never says "a colleague is joining"
    // to a message the server does not hand over (你们客服电话多少), or the other way round.
    en: [],
    zh: [],
    matches: (text) => asksForHuman(text),
    answer: {
      en: { lead: 'I am asking a colleague to join this chat.', steps: ['You can keep writing here; they will see everything.'] },
      zh: { lead: '我正在请同事加入此对话。', steps: ['您可以继续在这里留言，同事会看到全部内容。'] },
    },
  },
  {
    id: 'thanks',
    en: ['thanks', 'thank you', 'thx', 'cheers', 'great', 'perfect'],
    zh: ['谢谢', '感谢', '多谢', '好的', '太好了'],
    smallTalk: true,
    answer: {
      en: { lead: 'You are welcome! Anything else I can help with?', steps: [] },
      zh: { lead: '不客气！还有什么可以帮您？', steps: [] },
    },
  },
  {
    id: 'greeting',
    en: ['hi', 'hello', 'hey', 'good morning', 'good afternoon', 'good evening'],
    zh: ['你好', '您好', '嗨', '哈喽', '早上好', '下午好', '晚上好'],
    smallTalk: true,
    answer: {
      en: { lead: 'Hello! I can help with orders and tracking, shipping, returns, refunds, payment and checkout problems.', steps: [] },
      zh: { lead: '您好！我可以帮您查询订单和物流、配送、退货、退款、支付以及结账问题。', steps: [] },
    },
  },
];

// On equal scores the earlier intent wins: a specific problem (a failed checkout, a refund, a return) beats
// the generic order-status question that almost every message about an order also matches.
const PRIORITY = ['checkout-error', 'refund', 'returns', 'order-status', 'shipping', 'payment', 'human', 'thanks', 'greeting'];
const INTENTS = [...DEFINED].sort((a, b) => PRIORITY.indexOf(a.id) - PRIORITY.indexOf(b.id));

const FALLBACK: Record<Lang, Answer> = {
  en: {
    lead: 'Sorry, I did not understand that. I can help with:',
    steps: ['orders and tracking', 'shipping', 'returns and refunds', 'payment and checkout errors', 'or say “agent” to reach a person'],
  },
  zh: {
    lead: '抱歉，我没有理解您的问题。我可以帮您处理：',
    steps: ['订单和物流', '配送', '退货和退款', '支付和结账错误', '或输入“转人工”联系人工客服'],
  },
};

const CAREFUL = {
  sorry: { en: 'I am sorry this has been frustrating.', zh: '很抱歉给您带来了困扰。' },
  offer: {
    en: 'If this does not solve it, a person from our team can take over — just say “agent”.',
    zh: '如果仍未解决，可以由我们的同事接手——输入“转人工”即可。',
  },
  noAgent: {
    en: 'No one from the team is free right now; leave your email or phone number here and we will get back to you.',
    zh: '目前没有空闲的客服同事；您可以在这里留下邮箱或电话，我们会尽快联系您。',
  },
  fallback: {
    en: 'I am sorry, I did not understand. Could you say it in a few words, like “refund” or “tracking”?',
    zh: '很抱歉，我没有理解。能否用几个词描述，比如“退款”或“物流”？',
  },
} as const;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const weight = (k: string) => (k.startsWith('~') ? 1 : 2);
const bare = (k: string) => k.replace(/^~/, '');
const EN_PATTERNS = new Map(
  INTENTS.map((i) => [
    i.id,
    i.en.map((k) => ({ re: new RegExp(`(^|[^a-z])${escape(bare(k)).replace(/ /g, '\\s+')}($|[^a-z])`), w: weight(k) })),
  ]),
);

/** Finds the best intent of a message, or null. Longer keyword matches weigh more than short ones. */
export function matchIntent(text: string, lang: Lang): string | null {
  const lower = text.normalize('NFKC').toLowerCase().replace(/[’‘]/g, "'");
  let best: { id: string; score: number } | null = null;
  for (const intent of INTENTS) {
    let score = 0;
    if (lang === 'zh') {
      for (const k of intent.zh) if (lower.includes(bare(k))) score += weight(k);
      // Mixed messages ("我的 order") still count the English words.
    }
    for (const { re, w } of EN_PATTERNS.get(intent.id) ?? []) if (re.test(lower)) score += w;
    if (intent.matches?.(text)) score += 2;
    if (score > 0 && (!best || score > best.score)) best = { id: intent.id, score };
  }
  return best?.id ?? null;
}

function render(a: Answer, maxSteps: number): string {
  const steps = a.steps.slice(0, maxSteps);
  return steps.length === 0 ? a.lead : `${a.lead}\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`;
}

/** Options of `createFaqBot`. */
export interface FaqBotOptions {
  /** Display name on replies, one per reply language. Default `{ en: 'Shop assistant', zh: '店铺助手' }`. */
  name?: Readonly<Record<Lang, string>>;
  /** Tone when the server does not set one. Default `'neutral'`. */
  tone?: Tone;
}

/**
 * Creates the demo shop's bilingual FAQ bot. It answers in the language of each message (Chinese when it holds
 * CJK characters), marks replies it could not match `understood: false`, and follows `ctx.tone`: careful =
 * an apology, at most two steps, and an offer of a person (or, with no one free, of a call back).
 *
 * @example
 * const temper = createTemperServer({ secret, bot: createFaqBot() });
 */
export function createFaqBot(options: FaqBotOptions = {}): BotAdapter {
  // A Chinese reply signed "Shop assistant" read as English chrome in a Chinese chat (issue 12, defect 11).
  const names = options.name ?? { en: 'Shop assistant', zh: '店铺助手' };
  return async (conversation, message, ctx?: Partial<BotContext>): Promise<BotReply> => {
    const lang: Lang = detectLanguage(message.text, conversation.locale);
    const name = names[lang];
    const tone: Tone = ctx?.tone ?? options.tone ?? 'neutral';
    const id = matchIntent(message.text, lang);
    const intent = INTENTS.find((i) => i.id === id);
    // Never promise a colleague who is not there.
    if (intent?.id === 'human' && ctx?.noAgentAvailable) return { text: CAREFUL.noAgent[lang], understood: true, name };
    if (tone === 'careful') {
      const tail = ctx?.noAgentAvailable ? CAREFUL.noAgent[lang] : CAREFUL.offer[lang];
      const sep = lang === 'zh' ? '' : ' ';
      if (!intent) return { text: `${CAREFUL.fallback[lang]}${sep}${tail}`, understood: false, name };
      if (intent.smallTalk || intent.id === 'human') return { text: render(intent.answer[lang], 2), understood: true, name };
      return { text: `${CAREFUL.sorry[lang]}${sep}${render(intent.answer[lang], 2)}\n${tail}`, understood: true, name };
    }
    if (!intent) return { text: render(FALLBACK[lang], 9), understood: false, name };
    return { text: render(intent.answer[lang], 9), understood: true, name };
  };
}

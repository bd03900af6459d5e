// The demo shop's FAQ bot: intents with synonyms in English and Chinese (damaged item, late delivery, order
// status by number, returns, refunds, payment, invoices, stock, shipping, checkout errors), answers in the
// language of the message. Deliberately rule-based: the point of the demo is routing and handoff, and a rules
// bot makes "did not understand" an honest, testable signal instead of a model's guess.
import type { BotAdapter, BotContext, BotConversation, BotReply, Tone } from '@temper/server';
import { detectLanguage } from '@temper/server';
import { asksForHuman, waitMinutes } from '@temper/protocol';

type Lang = 'en' | 'zh';

/** One answer: a lead sentence and numbered steps (every tone shows all of them). */
interface Answer {
  lead: string;
  steps: readonly string[];
}

interface Intent {
  id: string;
  /**
   * English keywords (whole words or phrases, lowercase). A leading `~` marks a generic word that weighs half;
   * a trailing `*` takes any ending (`dent*`: dent, dents, dented).
   */
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
    id: 'damaged',
    en: [
      'damaged', 'damage', 'dent*', 'crack*', 'broken', 'broke', 'smashed', 'shatter*', 'scratch*', 'chipped', 'bent',
      'defective', 'faulty', 'leak*', 'torn', 'ripped', 'arrived broken', 'in pieces', 'wrong item', 'missing part*',
      "doesn't turn on", "won't turn on", '~not working',
    ],
    zh: ['损坏', '坏了', '坏的', '破了', '破损', '碎了', '裂', '凹', '瘪', '变形', '划痕', '磕', '漏水', '质量问题', '发错', '少了', '缺件', '不能用', '开不了机'],
    answer: {
      en: {
        lead: 'Sorry it arrived damaged. We replace it first and sort out the rest after:',
        steps: [
          'Take a photo of the item and of the box it came in.',
          'Open “My orders”, choose the order and “Report a problem”, and add the photos.',
          'We ship a replacement within one working day; no need to send the damaged one back first.',
          'Prefer your money back? Choose “Refund” there instead; it goes to your original payment method.',
        ],
      },
      zh: {
        lead: '很抱歉商品到货时有损坏。我们会先为您补发，其余的事之后再处理：',
        steps: ['请拍下商品和外包装的照片。', '打开“我的订单”，选择该订单并点击“报告问题”，上传照片。', '我们会在一个工作日内寄出替换品，无需先寄回损坏的商品。', '如果您更希望退款，可以在同一页面选择“退款”，款项会原路退回。'],
      },
    },
  },
  {
    id: 'late-delivery',
    en: [
      'waiting', 'still waiting', 'been waiting', 'weeks', 'two weeks', 'a week', 'late', 'delay*', 'overdue', 'taking forever',
      'takes forever', 'so long', 'still not here', 'not here yet', 'never arrived', 'never came', 'not arrived', "hasn't arrived",
      "hasn't come", "didn't arrive", "haven't received", "didn't receive", 'not received', 'still not', 'lost parcel', 'lost package',
    ],
    zh: ['等了', '等很久', '等了很久', '好几天', '一周', '两周', '几周', '迟迟', '延迟', '延误', '太慢', '这么久', '还没到', '还没收到', '没收到', '一直没到', '怎么还没', '丢件', '丢了'],
    answer: {
      en: {
        lead: 'Sorry your parcel is taking this long. Here is what we do about a late delivery:',
        steps: [
          'Open “My orders” and tap the tracking number: it shows where the carrier has it now.',
          'Standard delivery takes 3–5 working days (international 7–14); past that it counts as late.',
          'Late by more than 5 working days, or no tracking update for 5 days? Send the order number here and we chase the carrier today.',
          'If it is lost, we send a new one or refund you in full — your choice.',
        ],
      },
      zh: {
        lead: '很抱歉让您等了这么久。包裹延误时我们这样处理：',
        steps: ['打开“我的订单”，点击物流单号，可以看到承运商目前的配送进度。', '标准配送需 3–5 个工作日（国际 7–14 个工作日），超过即视为延误。', '延误超过 5 个工作日，或物流 5 天没有更新？请把订单号发到这里，我们当天联系承运商。', '如果包裹丢失，我们会为您重新发货或全额退款，由您选择。'],
      },
    },
  },
  {
    id: 'checkout-error',
    en: ['checkout', 'check out', '~error', '~failed', '~fails', '~failing', 'declined', '~not working', "~doesn't work", '~stuck', 'place an order', "can't order"],
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
    en: ['~order', '~orders', 'tracking', 'track', 'where is my', 'package', 'parcel', 'delivery status', 'order status', 'status of my', 'shipped yet', 'dispatched'],
    zh: ['~订单', '物流', '快递', '包裹', '追踪', '跟踪', '查件', '到哪', '发货了吗', '~单号', '订单状态'],
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
    en: ['refund*', 'money back', 'reimburse*', 'chargeback', 'pay me back', 'get my money'],
    zh: ['退款', '退钱', '钱退', '返还', '到账', '退回的钱'],
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
    en: ['return', 'returns', 'returning', 'send back', 'send it back', 'exchange', 'swap', 'wrong size', "doesn't fit", 'too small', 'too big', 'changed my mind'],
    zh: ['退货', '换货', '退回', '寄回', '尺码不对', '不合适', '太小', '太大', '退换', '七天无理由'],
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
    id: 'invoice',
    en: ['invoice*', 'receipt*', 'vat', 'tax invoice', 'company invoice', 'billing address on'],
    zh: ['发票', '收据', '开票', '增值税', '抬头', '专票', '普票'],
    answer: {
      en: {
        lead: 'Invoices are ready as soon as an order ships:',
        steps: [
          'Open “My orders”, pick the order and choose “Download invoice” (PDF).',
          'Need your company name or VAT number on it? Add them under “Account → Billing” and download it again.',
          'For an order placed as a guest, the invoice link is in the shipping email.',
        ],
      },
      zh: {
        lead: '订单发货后即可开具发票：',
        steps: ['打开“我的订单”，选择订单并点击“下载发票”（PDF）。', '需要公司抬头或税号？请在“账户 → 开票信息”中填写，然后重新下载。', '以游客身份下单的，发票链接在发货邮件中。'],
      },
    },
  },
  {
    id: 'stock',
    en: ['in stock', 'out of stock', 'sold out', 'restock*', 'back in stock', 'stock', 'availability', 'available again', 'when will you have', 'do you have'],
    zh: ['有货', '缺货', '没货', '库存', '补货', '到货', '售罄', '卖完', '还有吗', '什么时候有'],
    answer: {
      en: {
        lead: 'Stock is shown live on each product page:',
        steps: [
          '“In stock” items ship the same or the next working day.',
          'Sold out? Tap “Email me when it is back” on the product page; restocks usually take 1–3 weeks.',
          'Back-in-stock alerts go out in the order people asked, so signing up early helps.',
        ],
      },
      zh: {
        lead: '每个商品页面都会实时显示库存：',
        steps: ['显示“有货”的商品当天或下一个工作日发货。', '已售罄？在商品页面点击“到货通知我”；补货通常需要 1–3 周。', '到货通知按登记顺序发送，越早登记越好。'],
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
    en: ['payment*', '~pay', '~paid', '~card', 'credit card', 'debit card', 'paypal', 'alipay', 'wechat pay', 'charged', '~charge', 'billing', 'installments', 'pay later'],
    zh: ['支付', '付款', '信用卡', '银行卡', '支付宝', '微信支付', '扣款', '扣费', '账单', '分期', '付钱'],
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
      en: { lead: 'Hello! I can help with orders and tracking, late or damaged deliveries, returns, refunds, payment, invoices, stock and checkout problems.', steps: [] },
      zh: { lead: '您好！我可以帮您查询订单和物流、处理延误或损坏的包裹、退货、退款、支付、发票、库存以及结账问题。', steps: [] },
    },
  },
];

// On equal scores the earlier intent wins: a specific problem (damage, a late parcel, a failed checkout, a
// refund, a return) beats the generic order-status question that almost every message about an order matches.
const PRIORITY = ['damaged', 'late-delivery', 'checkout-error', 'refund', 'returns', 'invoice', 'stock', 'order-status', 'shipping', 'payment', 'human', 'thanks', 'greeting'];
const INTENTS = [...DEFINED].sort((a, b) => PRIORITY.indexOf(a.id) - PRIORITY.indexOf(b.id));

const FALLBACK: Record<Lang, Answer> = {
  en: {
    lead: 'Sorry, I did not understand that. I can help with:',
    steps: ['orders and tracking, late or damaged parcels', 'returns and refunds', 'payment, invoices and checkout errors', 'stock and shipping'],
  },
  zh: {
    lead: '抱歉，我没有理解您的问题。我可以帮您处理：',
    steps: ['订单和物流、延误或损坏的包裹', '退货和退款', '支付、发票和结账错误', '库存和配送'],
  },
};

/** The last lines of an answer: how to reach a person, or where the visitor stands with one. */
const TAIL = {
  offer: {
    en: 'If this does not solve it, a person from our team can take over — just say “agent”.',
    zh: '如果仍未解决，可以由我们的同事接手——输入“转人工”即可。',
  },
  noAgent: {
    en: 'No one from the team is free right now; leave your email or phone number here and we will get back to you.',
    zh: '目前没有空闲的客服同事；您可以在这里留下邮箱或电话，我们会尽快联系您。',
  },
  callbackKept: {
    en: 'We have your contact details, and a person from our team will get back to you.',
    zh: '我们已记下您的联系方式，同事会尽快联系您。',
  },
  queued: {
    en: (p: number, m: number) => `You are number ${p} in line for a person (about ${m} min); they will see this whole chat.`,
    zh: (p: number, m: number) => `您正在排队等待人工客服（第 ${p} 位，约 ${m} 分钟），同事会看到完整的对话。`,
  },
} as const;

const CAREFUL = {
  sorry: { en: 'I am sorry this has been frustrating.', zh: '很抱歉给您带来了困扰。' },
  fallback: {
    en: 'I am sorry, I did not understand. Could you say it in a few words, like “refund” or “tracking”?',
    zh: '很抱歉，我没有理解。能否用几个词描述，比如“退款”或“物流”？',
  },
  /** The second miss in a row: no third "did not understand" — a person is the better offer. */
  missedAgain: {
    en: 'I am sorry, I still cannot work out what you need, so I am asking a person from our team to help you.',
    zh: '很抱歉，我仍然没能理解您的需求，我这就请同事来帮您。',
  },
} as const;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const weight = (k: string) => (k.startsWith('~') ? 1 : 2);
const bare = (k: string) => k.replace(/^~/, '');
// `dent*` matches dent, dents, dented: a trailing `*` takes any ending of letters.
const wordPattern = (k: string) => {
  const stem = bare(k).endsWith('*');
  const body = escape(bare(k).replace(/\*$/, '')).replace(/ /g, '\\s+');
  return new RegExp(`(^|[^a-z])${body}${stem ? '[a-z]*' : ''}($|[^a-z])`);
};
const EN_PATTERNS = new Map(INTENTS.map((i) => [i.id, i.en.map((k) => ({ re: wordPattern(k), w: weight(k) }))]));
const normalise = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[’‘]/g, "'");

/** Finds the best intent of a message, or null. Longer keyword matches weigh more than short ones. */
export function matchIntent(text: string, lang: Lang): string | null {
  const lower = normalise(text);
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
  // A bare order number ("#10234", "订单 10234") is a question about that order.
  if (!best && orderNumberOf(text)) return 'order-status';
  return best?.id ?? null;
}

/**
 * The order number in a message — "#10234", "order 10234", "order no. 10234", "订单号 10234", "订单10234" — or
 * null. Shop order numbers are 4–10 digits; a phone number (more digits, or spaced groups) is not one.
 *
 * @example
 * orderNumberOf('where is order #10234?'); // '10234'
 */
export function orderNumberOf(text: string): string | null {
  const m = /(?:#|\border\s*(?:no\.?|number|num|#)?\s*[:：]?\s*|订单(?:号|编号)?\s*[:：]?\s*|单号\s*[:：]?\s*)(\d{4,10})(?!\d)/i.exec(normalise(text));
  return m?.[1] ?? null;
}

function render(a: Answer): string {
  return a.steps.length === 0 ? a.lead : `${a.lead}\n${a.steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`;
}

/** The order-status answer for a known order number: the same steps, about that order. */
function aboutOrder(order: string, lang: Lang): Answer {
  return lang === 'zh'
    ? {
        lead: `订单 ${order}：`,
        steps: [`在“我的订单”中打开订单 ${order}，可以看到状态和物流单号。`, '点击物流单号查看承运商的实时状态。', `如果 5 个工作日没有更新，请回复“催单 ${order}”，我们会联系承运商。`],
      }
    : {
        lead: `Order #${order}:`,
        steps: [`Open “My orders” and pick #${order} to see its status and tracking number.`, 'Tap the tracking number for the carrier’s live status.', `No update for 5 working days? Reply “chase #${order}” and we contact the carrier.`],
      };
}

/** Options of `createFaqBot`. */
export interface FaqBotOptions {
  /** Display name on replies, one per reply language. Default `{ en: 'Shop assistant', zh: '店铺助手' }`. */
  name?: Readonly<Record<Lang, string>>;
  /** Tone when the server does not set one. Default `'neutral'`. */
  tone?: Tone;
}

/** How the reply ends: where the visitor stands with a person (queued, no one free, a callback kept) or how to get one. */
function tailOf(ctx: Partial<BotContext> | undefined, lang: Lang): string {
  if (ctx?.queue) return TAIL.queued[lang](ctx.queue.position, waitMinutes(ctx.queue.waitSeconds));
  if (ctx?.noAgentAvailable) return (ctx.callbackRequested ? TAIL.callbackKept : TAIL.noAgent)[lang];
  return TAIL.offer[lang];
}

/** True when the bot's previous reply in this conversation was a miss (`understood: false`). */
const missedLastTime = (conversation: BotConversation) =>
  conversation.transcript.filter((m) => m.from === 'bot').at(-1)?.understood === false;

/**
 * Creates the demo shop's bilingual FAQ bot. It answers in the language of each message (Chinese when it holds
 * CJK characters), knows damaged items, late deliveries, order status (by number too), returns, refunds,
 * payment, invoices, stock, shipping and checkout errors by their synonyms in both languages, and marks
 * replies it could not match `understood: false`. It never says "did not understand" twice in a row: the
 * second miss offers a person. It follows `ctx.tone`: careful = an apology before the full answer and how to
 * reach a person — or, while queued (`ctx.queue`), the place in line and the wait instead, and with no one
 * free, a callback.
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
    const sep = lang === 'zh' ? '' : ' ';
    const reply = (text: string, understood = true): BotReply => ({ text, understood, name });
    if (intent?.id === 'human') {
      // Never promise a colleague who is not there, nor one more than the visitor is already waiting for.
      if (ctx?.queue || ctx?.noAgentAvailable) return reply(tailOf(ctx, lang));
      return reply(render(intent.answer[lang]));
    }
    if (!intent) {
      if (missedLastTime(conversation))
        return reply(ctx?.queue || ctx?.noAgentAvailable ? `${CAREFUL.missedAgain[lang]}${sep}${tailOf(ctx, lang)}` : CAREFUL.missedAgain[lang], false);
      if (tone === 'careful') return reply(`${CAREFUL.fallback[lang]}${sep}${tailOf(ctx, lang)}`, false);
      return reply(`${render(FALLBACK[lang])}\n${tailOf(ctx, lang)}`, false);
    }
    const order = intent.id === 'order-status' ? orderNumberOf(message.text) : null;
    const answer = render(order ? aboutOrder(order, lang) : intent.answer[lang]);
    if (intent.smallTalk) return reply(answer);
    // The careful tone adds an apology and a way to a person; it never drops a line of the answer.
    if (tone === 'careful') return reply(`${CAREFUL.sorry[lang]}${sep}${answer}\n${tailOf(ctx, lang)}`);
    return reply(ctx?.queue ? `${answer}\n${tailOf(ctx, lang)}` : answer);
  };
}

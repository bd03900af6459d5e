import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BotContext, BotConversation } from '@temper/server';
import type { MessageEvent } from '@temper/protocol';
import { asksForHuman } from '@temper/protocol';
import { createFaqBot, matchIntent, orderNumberOf } from '../faq-bot.ts';

const conv: BotConversation = { id: 'conv-test-1', transcript: [] };
const msg = (text: string): MessageEvent => ({ type: 'message', id: 'm1', from: 'visitor', text, at: 0, clientId: 'client-001' });
const ctx = (over: Partial<BotContext> = {}): BotContext => ({
  tone: 'neutral',
  language: 'en',
  abortSignal: new AbortController().signal,
  ...over,
});
const CJK = /[\u4e00-\u9fff]/;

test('English intents', () => {
  const cases: Array<[string, string]> = [
    ['Where is my order?', 'order-status'],
    ['Can I get a tracking number', 'order-status'],
    ['How long does shipping take to Canada?', 'shipping'],
    ['I want to return these shoes, wrong size', 'returns'],
    ['I want to return my order', 'returns'],
    ['When will I get my refund?', 'refund'],
    ['Do you take PayPal?', 'payment'],
    ['My payment failed at checkout with an error', 'checkout-error'],
    ['The checkout doesn’t work', 'checkout-error'],
    ['Hello there', 'greeting'],
    ['Thank you!', 'thanks'],
    ['Can I talk to a real person', 'human'],
  ];
  for (const [text, intent] of cases) assert.equal(matchIntent(text, 'en'), intent, text);
  assert.equal(matchIntent('this is something else entirely', 'en'), null, '"hi" inside "this" is not a greeting');
});

test('Chinese intents', () => {
  const cases: Array<[string, string]> = [
    ['我的订单到哪了？', 'order-status'],
    // "The parcel still hasn't come" is a late delivery (issue 12), not a status question.
    ['快递还没到', 'late-delivery'],
    ['我的快递到哪了', 'order-status'],
    ['运费多少？几天能到？', 'shipping'],
    ['我想退货，订单号 12345', 'returns'],
    ['退款什么时候到账', 'refund'],
    ['可以用支付宝付款吗', 'payment'],
    ['结账的时候一直报错', 'checkout-error'],
    ['你好', 'greeting'],
    ['谢谢', 'thanks'],
    ['转人工', 'human'],
    ['怎么退货', 'returns'],
  ];
  for (const [text, intent] of cases) assert.equal(matchIntent(text, 'zh'), intent, text);
});

test('the human intent is the shared asksForHuman rule: the bot offers a colleague exactly when the server hands over', () => {
  for (const [text, lang] of [['I need a manager', 'en'], ['put me through to someone', 'en'], ['帮我找客服', 'zh'], ['有没有真人', 'zh']] as const) {
    assert.equal(asksForHuman(text), true, text);
    assert.equal(matchIntent(text, lang), 'human', text);
  }
  for (const [text, lang] of [['the agent said my parcel is lost', 'en'], ['你们客服电话多少', 'zh'], ['客服根本不回复', 'zh']] as const) {
    assert.equal(asksForHuman(text), false, text);
    assert.notEqual(matchIntent(text, lang), 'human', text);
  }
});

test('replies in the language of the message and marks what it understood', async () => {
  const bot = createFaqBot();
  const en = await bot(conv, msg('How do refunds work?'), ctx());
  assert.equal(en?.understood, true);
  assert.doesNotMatch(en!.text, CJK);
  assert.match(en!.text, /original payment method/);
  const zh = await bot({ ...conv, locale: 'en' }, msg('怎么退款？'), ctx({ language: 'zh' }));
  assert.equal(zh?.understood, true);
  assert.match(zh!.text, /退款/);
  const lost = await bot(conv, msg('purple elephants'), ctx());
  assert.equal(lost?.understood, false);
  assert.match(lost!.text, /did not understand/);
  const lostZh = await bot(conv, msg('天气怎么样'), ctx());
  assert.equal(lostZh?.understood, false);
  assert.match(lostZh!.text, /没有理解/);
  assert.equal(en?.name, 'Shop assistant');
  assert.equal(zh?.name, '店铺助手', 'a Chinese reply is signed in Chinese');
});

test('neither script: falls back to the conversation locale', async () => {
  const bot = createFaqBot();
  const r = await bot({ ...conv, locale: 'zh-CN' }, msg('???'), ctx());
  assert.match(r!.text, CJK);
  assert.equal(r?.understood, false);
});

test('careful tone: apology, every step of the answer, an offer of a person (or of a call back when no one is free)', async () => {
  const bot = createFaqBot();
  const neutral = await bot(conv, msg('I want to return this'), ctx());
  const careful = await bot(conv, msg('I want to return this'), ctx({ tone: 'careful' }));
  const steps = (t: string) => t.match(/^\d\. .*$/gm) ?? [];
  assert.equal(steps(neutral!.text).length, 4);
  // Issue 12: the careful tone used to keep only two of the four steps.
  assert.deepEqual(steps(careful!.text), steps(neutral!.text), 'no line of the answer is dropped');
  assert.match(careful!.text, /^I am sorry/);
  assert.match(careful!.text, /a person from our team can take over/);
  const noAgent = await bot(conv, msg('I want to return this'), ctx({ tone: 'careful', noAgentAvailable: true }));
  assert.match(noAgent!.text, /No one from the team is free right now; leave your email or phone/);
  const zh = await bot(conv, msg('我要退货'), ctx({ tone: 'careful' }));
  assert.match(zh!.text, /^很抱歉/);
  assert.match(zh!.text, /转人工/);
  assert.equal(steps(zh!.text).length, 4);
  const carefulLost = await bot(conv, msg('purple elephants'), ctx({ tone: 'careful' }));
  assert.equal(carefulLost?.understood, false);
  assert.match(carefulLost!.text, /^I am sorry, I did not understand/);
  const tone = await createFaqBot({ tone: 'careful' })(conv, msg('refund?'), { abortSignal: new AbortController().signal } as BotContext);
  assert.match(tone!.text, /^I am sorry/);
});

// Issue 12, defect 10: the probes from the issue and their neighbours, in both languages.
test('intents with synonyms: damaged item, late delivery, order status by number, invoices, stock (en + zh)', () => {
  const cases: Array<[string, 'en' | 'zh', string]> = [
    ['my kettle arrived dented', 'en', 'damaged'],
    ['the glass is cracked', 'en', 'damaged'],
    ['The lamp came smashed and the box was torn', 'en', 'damaged'],
    ['my toaster is faulty, it won’t turn on', 'en', 'damaged'],
    ['waiting two weeks for my kettle', 'en', 'late-delivery'],
    ['my parcel is delayed again', 'en', 'late-delivery'],
    ["it still hasn't arrived", 'en', 'late-delivery'],
    ['where is order #10234?', 'en', 'order-status'],
    ['#10234', 'en', 'order-status'],
    ['has my order shipped yet', 'en', 'order-status'],
    ['can I get a VAT invoice', 'en', 'invoice'],
    ['I need a receipt for my order', 'en', 'invoice'],
    ['is the blue kettle in stock?', 'en', 'stock'],
    ['when will you restock the mugs', 'en', 'stock'],
    ['I was charged twice on my card', 'en', 'payment'],
    ['水壶收到的时候是坏的', 'zh', 'damaged'],
    ['杯子碎了', 'zh', 'damaged'],
    ['等了两周还没收到', 'zh', 'late-delivery'],
    ['包裹一直没到，太慢了', 'zh', 'late-delivery'],
    ['订单 10234 到哪了', 'zh', 'order-status'],
    ['订单号：10234', 'zh', 'order-status'],
    ['怎么开发票', 'zh', 'invoice'],
    ['这个还有货吗', 'zh', 'stock'],
    ['什么时候补货', 'zh', 'stock'],
  ];
  for (const [text, lang, intent] of cases) assert.equal(matchIntent(text, lang), intent, text);
  assert.equal(orderNumberOf('where is order #10234?'), '10234');
  assert.equal(orderNumberOf('order no. 987654'), '987654');
  assert.equal(orderNumberOf('订单号：10234'), '10234');
  assert.equal(orderNumberOf('call me on 13800138000'), null, 'a phone number is not an order number');
  assert.equal(orderNumberOf('order 12'), null);
});

test('answers the issue\'s probes with the right answer; an order number is repeated back', async () => {
  const bot = createFaqBot();
  const dented = await bot(conv, msg('my kettle arrived dented'), ctx());
  assert.equal(dented?.understood, true);
  assert.match(dented!.text, /arrived damaged.*replacement/s);
  const late = await bot(conv, msg('waiting two weeks for my kettle'), ctx());
  assert.match(late!.text, /late delivery/);
  const order = await bot(conv, msg('where is order #10234?'), ctx());
  assert.match(order!.text, /^Order #10234:/);
  const zhOrder = await bot(conv, msg('订单 10234 到哪了'), ctx({ language: 'zh' }));
  assert.match(zhOrder!.text, /^订单 10234：/);
});

test('never "did not understand" twice in a row: the second miss offers a person', async () => {
  const bot = createFaqBot();
  const first = await bot(conv, msg('purple elephants'), ctx());
  assert.equal(first?.understood, false);
  assert.match(first!.text, /did not understand/);
  assert.match(first!.text, /say “agent”/, 'the first miss already names the way to a person');
  const history: BotConversation = { id: conv.id, transcript: [msg('purple elephants'), { ...msg('x'), id: 'b1', from: 'bot', text: first!.text, understood: false }] };
  const second = await bot(history, msg('green giraffes'), ctx());
  assert.equal(second?.understood, false, 'still an honest miss, so the server can hand over');
  assert.doesNotMatch(second!.text, /did not understand/);
  assert.match(second!.text, /asking a person from our team/);
  const zhHistory: BotConversation = { id: conv.id, transcript: [{ ...msg('x'), id: 'b1', from: 'bot', text: '抱歉', understood: false }] };
  const secondZh = await bot(zhHistory, msg('天气怎么样'), ctx({ noAgentAvailable: true }));
  assert.doesNotMatch(secondZh!.text, /没有理解您的问题/);
  assert.match(secondZh!.text, /留下邮箱或电话/, 'no one free: a callback is offered instead');
});

test('while queued the bot gives the place and wait instead of "say agent"; a kept callback is not asked for again', async () => {
  const bot = createFaqBot();
  const queue = { position: 2, waitSeconds: 170 };
  for (const [text, tone] of [['how do refunds work?', 'careful'], ['how do refunds work?', 'neutral'], ['purple elephants', 'careful'], ['purple elephants', 'neutral'], ['agent', 'careful']] as const) {
    const r = await bot(conv, msg(text), ctx({ tone, queue }));
    assert.doesNotMatch(r!.text, /say “agent”/, `${text} (${tone})`);
    assert.match(r!.text, /number 2 in line for a person \(about 3 min\)/, `${text} (${tone})`);
  }
  const zh = await bot(conv, msg('怎么退款'), ctx({ tone: 'careful', queue, language: 'zh' }));
  assert.doesNotMatch(zh!.text, /转人工/);
  assert.match(zh!.text, /第 2 位，约 3 分钟/);
  const kept = await bot(conv, msg('how do refunds work?'), ctx({ tone: 'careful', noAgentAvailable: true, callbackRequested: true }));
  assert.doesNotMatch(kept!.text, /leave your email/);
  assert.match(kept!.text, /We have your contact details/);
});

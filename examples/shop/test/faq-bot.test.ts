import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BotContext, BotConversation } from '@temper/server';
import type { MessageEvent } from '@temper/protocol';
import { asksForHuman } from '@temper/protocol';
import { createFaqBot, matchIntent } from '../faq-bot.ts';

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
    ['快递还没到', 'order-status'],
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

test('careful tone: apology, at most two steps, an offer of a person (or of a call back when no one is free)', async () => {
  const bot = createFaqBot();
  const neutral = await bot(conv, msg('I want to return this'), ctx());
  const careful = await bot(conv, msg('I want to return this'), ctx({ tone: 'careful' }));
  assert.equal((neutral!.text.match(/^\d\. /gm) ?? []).length, 4);
  assert.equal((careful!.text.match(/^\d\. /gm) ?? []).length, 2);
  assert.match(careful!.text, /^I am sorry/);
  assert.match(careful!.text, /a person from our team can take over/);
  const noAgent = await bot(conv, msg('I want to return this'), ctx({ tone: 'careful', noAgentAvailable: true }));
  assert.match(noAgent!.text, /No one from the team is free right now; leave your email or phone/);
  const zh = await bot(conv, msg('我要退货'), ctx({ tone: 'careful' }));
  assert.match(zh!.text, /^很抱歉/);
  assert.match(zh!.text, /转人工/);
  const carefulLost = await bot(conv, msg('purple elephants'), ctx({ tone: 'careful' }));
  assert.equal(carefulLost?.understood, false);
  assert.match(carefulLost!.text, /^I am sorry, I did not understand/);
  const tone = await createFaqBot({ tone: 'careful' })(conv, msg('refund?'), { abortSignal: new AbortController().signal } as BotContext);
  assert.match(tone!.text, /^I am sorry/);
});

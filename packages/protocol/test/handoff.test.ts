import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asksForHuman, HANDOFF_PHRASES } from '@temper/protocol';

// Probes: what a visitor types, and whether it asks for a person. The decisions are explained in
// packages/protocol/src/handoff.ts; each line here is one of them.
const ASKS_EN = [
  'I need a manager', 'I want a human', 'Can I talk to a human?', 'can I talk to a real person please', 'I want a real person',
  'let me speak to someone', 'get me an agent', 'connect me with a representative', 'transfer me to an agent', 'put me through to a person',
  'speak to your manager', 'Can I speak with the person in charge?', 'I want to talk to a customer service agent', 'give me a human',
  'is there a human I can talk to?', 'do you have a real person available', 'any agents available?', 'I demand to speak to a supervisor',
  'live agent', 'AGENT', 'agent!!', 'Agent now!!', 'human please', 'representative please', 'operator', 'manager pls', 'a person', 'real person',
  'ＡＧＥＮＴ', 'Are you a bot? I want a human.', 'escalate this to a manager', 'how do I contact customer service?', 'no more bots',
  'I’d like to speak to someone', 'get someone to call me', 'I want a real one',
];
const NOT_ASKS_EN = [
  'the agent said my parcel is lost', 'my shipping agent lost the parcel', 'the delivery agent left it at the wrong door',
  'I spoke to someone yesterday and they said it shipped', 'the agent I talked to was rude', 'is this a human-readable invoice?',
  'humane treatment', 'humane society', 'are you a real person?', 'is this a bot?', 'am I talking to a bot?', "I don't need a human, just the tracking link",
  'I need someone to fix this', 'where is my order', 'How do I change my address?', 'Thanks, that worked', 'what is the customer service phone number?',
  "I'm not a robot, the captcha keeps failing", 'my user agent is Chrome', 'My manager needs an invoice for this order', 'people say the kettle is great',
  'thanks agent', 'Hi', 'ok', 'the person who delivered it was lovely', 'great, another delay, love it', 'I give up',
];
const ASKS_ZH = [
  '转人工', '我要人工客服', '人工客服', '人工服务', '找人工', '要人工', '人工', '人工！', '转人工！！', '人工呢', '有没有人工', '有人工吗',
  '找真人', '有没有真人', '真人客服', '帮我找客服', '客服呢？', '客服在吗', '叫客服来', '怎么联系客服', '客服', '给我转接人工',
  '叫你们经理来', '我要找你们负责人', '不要机器人', '我不想跟机器人聊', '你是机器人吗？我要人工', '转 人工', '转人工 please',
];
const NOT_ASKS_ZH = [
  '客服根本不回复', '你们客服电话多少', '客服电话是多少', '联系客服电话是多少', '客服几点上班', '客服态度太差了', '客服回复有点慢', '谢谢客服',
  '终于收到了，谢谢客服', '人工客服态度太差', '人工客服不回复', '我要投诉人工客服态度差', '你是真人吗', '是机器人吗', '你是人工还是机器人',
  '人工智能会取代客服吗', '安装要人工费吗', '人工费多少', '经理说可以退', '退款多久到账', '怎么退货', '可以用支付宝付款吗', '谢谢，问题解决了',
  '算了', '有人吗', '反正也没人管',
];

test('asksForHuman, English: asks', () => {
  for (const t of ASKS_EN) assert.equal(asksForHuman(t), true, t);
});
test('asksForHuman, English: talking about a person, asking what the chat is, look-alikes', () => {
  for (const t of NOT_ASKS_EN) assert.equal(asksForHuman(t), false, t);
});
test('asksForHuman, Chinese: asks', () => {
  for (const t of ASKS_ZH) assert.equal(asksForHuman(t), true, t);
});
test('asksForHuman, Chinese: 客服 as a topic or a complaint, look-alikes of 人工, questions about the bot', () => {
  for (const t of NOT_ASKS_ZH) assert.equal(asksForHuman(t), false, t);
});

test('asksForHuman: lang limits the table; without it both apply; bad input throws', () => {
  assert.equal(asksForHuman('转人工', 'en'), false);
  assert.equal(asksForHuman('转人工', 'zh'), true);
  assert.equal(asksForHuman('I need a manager', 'zh'), false);
  assert.equal(asksForHuman('I need a manager', 'en'), true);
  assert.equal(asksForHuman('我的快递到哪了 agent please'), false, 'Han text around a bare English word talks about one');
  assert.throws(() => asksForHuman(42 as unknown as string), TypeError);
});

test('asksForHuman: the issue\'s probes (客服根本不回复, I need a manager) and their neighbours', () => {
  const probes: [string, boolean][] = [
    ['客服根本不回复', false], ['I need a manager', true], ['你们客服电话多少', false], ['the agent said my parcel is lost', false],
    ['I want to speak to your supervisor', true], ['人工客服态度太差', false], ['put me through to someone', true], ['speak to a human', true],
    ['客服呢', true], ['你是真人吗', false], ['人工智能', false], ['escalate to a manager please', true],
  ];
  for (const [t, want] of probes) assert.equal(asksForHuman(t), want, t);
});

test('HANDOFF_PHRASES is the one table: every English person word is a person for the short-message rule too', () => {
  for (const w of ['agent', 'human', 'representative', 'operator', 'manager', 'supervisor']) {
    assert.ok((HANDOFF_PHRASES.en.persons as readonly string[]).includes(w), w);
    assert.equal(asksForHuman(w), true, w);
  }
});

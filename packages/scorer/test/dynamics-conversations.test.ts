// Scripted conversations in English and Chinese through the whole on-device path: the shipped model's
// featurizer and ONNX graph (onnxruntime-web, the browser's wasm) → conversation dynamics with the default
// config → levels. These pin the behaviour the issue asks for; they fail if a retrained model or a retuned
// config breaks it. Bot replies are marked understood or not as the server's bot would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDynamics, resolveDynamicsConfig, type DynamicsOutput } from '../src/dynamics.ts';
import { DYNAMICS_METADATA_KEY } from '../src/core.ts';
import { loadFrustrationModel, type FrustrationModel } from '../src/model.ts';
import { modelBytes, ort } from './helpers/model.ts';

/** A visitor message, then the reply's `understood` flag (omitted: the bot understood). */
type Turn = readonly [text: string, understood?: boolean];

let model: FrustrationModel;
before(async () => {
  model = await loadFrustrationModel(modelBytes(), ort);
});
after(() => model.release());

/** Plays a conversation: messages 30 s apart, each answered 4 s later. Same config resolution as the core. */
async function play(turns: readonly Turn[]): Promise<DynamicsOutput[]> {
  const raw = model.meta.raw[DYNAMICS_METADATA_KEY];
  const dyn = createDynamics(resolveDynamicsConfig(raw === undefined ? undefined : (JSON.parse(raw) as Record<string, unknown>)));
  const ps = await model.scoreTexts(turns.map(([text]) => text));
  let t = 1_700_000_000_000;
  return turns.map(([text, understood], i) => {
    t += 30_000;
    const o = dyn.visitor(text, ps[i]!, t);
    dyn.reply(understood ?? true, t + 4_000);
    return o;
  });
}

const levels = (os: readonly DynamicsOutput[]) => os.map((o) => o.level);
const trace = (turns: readonly Turn[], os: readonly DynamicsOutput[]) =>
  os.map((o, i) => `${o.level} score=${o.score.toFixed(2)} evidence=${o.evidence?.toFixed(2)} ${turns[i]![0]}`).join('\n');

const SCRIPTS = {
  en: {
    calm: [
      ['Hi! Do you have this jacket in medium?'],
      ['And does it come in blue?'],
      ['Great. How long does shipping to Berlin take?'],
      ['Perfect, thanks a lot for your help!'],
    ],
    souring: [
      ['Hi, where is my order? It was due yesterday.'],
      ['The tracking page shows nothing at all.', false],
      ['This is the third time I am asking and nobody helps!!', false],
      ['Unbelievable. Worst service I have ever had.'],
    ],
    oneSwear: [
      ['Hey, do you sell gift cards?'],
      ['Damn, that was fast. Thanks a lot!'],
      ['Cool, I will order one today.'],
      ['Have a nice evening!'],
    ],
    repeated: [
      ['Hi, the checkout page shows an error when I pay.'],
      ['I tried again, it is still not working.'],
      ['Sorry, it is still not working.'],
      ['Still not working, unfortunately.'],
      ['It is still not working, I am afraid.'],
    ],
    askBase: [['Hi, I have a question about my invoice.'], ['It shows the wrong billing address.', false]],
    ask: 'Can I talk to a real person, please?',
    noAsk: 'Could you check the address, please?',
    politeQuestions: [['How do I return an item?'], ['Where is my order?'], ['Can I pay with PayPal?'], ['Who pays for return shipping?']],
    // Everyday shop questions, none of them in the support-chat dev set (written for this test): a chat of them stays
    // calm. v2.3's English support-chat shift at +0.6 put "When will my package be delivered?" / "Can I return this if
    // it doesn't fit?" in a row at level 1; the shift's margin is chosen so that it does not.
    everydayQuestions: [
      ['Hi, can you help me with my order?'], ['When will my package be delivered?'], ["Can I return this if it doesn't fit?"],
      ['How long do refunds usually take?'], ['Do you have this in a size 10?'], ['Is there free shipping over $50?'],
      ["I'd like to change my shipping address please"], ['Can I get an invoice for my purchase?'], ['What payment methods do you accept?'],
      ['Is this item back in stock soon?'], ['How do I track my parcel?'], ['Can I cancel my order?'], ['Do you ship internationally?'],
      ['Can I exchange this for a different colour?'], ["What's your return policy?"], ['I need to update my billing details'],
    ],
    furious: [
      ['I have waited three weeks for my refund and nobody answers. Refund me NOW or I file a chargeback!!'],
      ['This is a joke!! Give me my money back TODAY or I am reporting you.'],
    ],
    // The same demand said without emphasis: the model alone must carry it (no caps or !! cues to help).
    calmUltimatum: [
      ['I have waited three weeks for my refund and nobody answers. Refund me now or I file a chargeback.'],
      ['This is a joke. Give me my money back today or I am reporting you.'],
    ],
    resigned: [['I give up, nothing you suggest works.'], ['Whatever, forget it.'], ['I guess I will just never see that parcel.']],
    disappointed: [['Honestly I expected much better from you.'], ['Really disappointed, the kettle arrived dented.'], ['Such a letdown, I was looking forward to it.']],
    thanksAfterFix: [
      ['Where is my refund? It has been two weeks!!'],
      ['Still nothing, this is ridiculous!!', false],
      ['This is the third time I am asking, nobody helps!!', false],
      ['Oh it just arrived, thank you so much for sorting it out!'],
      ['Great, all fixed now. Thanks a lot!'],
    ],
  },
  zh: {
    calm: [['你好，这件外套有M码吗？'], ['有蓝色的吗？'], ['好的，寄到上海要几天？'], ['好的，谢谢你的帮助！']],
    souring: [
      ['你好，我的订单昨天就该到了，现在在哪？'],
      ['物流页面什么都查不到', false],
      ['我已经问了三遍了，没人管吗！！', false],
      ['太离谱了，什么破服务'],
    ],
    oneSwear: [['你们卖礼品卡吗？'], ['卧槽，这么快就到了，太棒了，谢谢！'], ['好的，我今天就下单。'], ['祝你晚上愉快！']],
    repeated: [
      ['你好，付款的时候页面一直报错'],
      ['我又试了一次，还是不行'],
      ['不好意思，还是不行'],
      ['还是不行啊，怎么办'],
      ['试了好几次了，还是不行'],
    ],
    askBase: [['你好，我想问一下发票的问题'], ['发票上的地址写错了', false]],
    ask: '可以转人工吗？',
    noAsk: '可以帮我改一下地址吗？',
    politeQuestions: [['怎么退货'], ['我的订单到哪了'], ['可以用支付宝付款吗'], ['退货运费谁出']],
    everydayQuestions: [
      ['你好，请问什么时候发货？'], ['我想改一下收货地址'], ['可以开发票吗'], ['这个有现货吗'], ['怎么查物流'], ['可以退换货吗'],
      ['退款一般几天到账'], ['能用微信支付吗'], ['满多少包邮'], ['这件衣服有大码吗'], ['订单可以取消吗'], ['快递是哪家的'],
      ['发票抬头写错了能改吗'], ['什么时候能到北京'], ['这个颜色还有吗'], ['请问有优惠券吗'], ['怎么联系售后'], ['商品质量有保证吗'],
    ],
    furious: [['等了三个星期还没退款，再不退我就去12315投诉你们！！'], ['你们这是欺诈，今天不给我退钱我就报警']],
    calmUltimatum: [['等了三个星期还没退款，再不退我就去12315投诉你们。'], ['你们这是欺诈，今天不给我退钱我就报警。']],
    resigned: [['算了，说了也没用'], ['随便吧，我不想再问了'], ['算了算了，这单我认栽']],
    disappointed: [['真的很失望，跟描述完全不一样'], ['本来很期待的，结果收到的水壶是坏的'], ['太让人失望了，以后不会再买了']],
    thanksAfterFix: [
      ['我的退款到底什么时候到？都两个星期了！！'],
      ['还是没有，太离谱了！！', false],
      ['我已经问了三遍了，没人管吗！！', false],
      ['收到退款了，谢谢你们帮我处理！'],
      ['好的，问题解决了，非常感谢！'],
    ],
  },
} satisfies Record<string, Record<string, readonly Turn[] | string>>;

/**
 * Known gaps of the shipped model that the dynamics cannot (and should not) paper over. A `todo` test still runs
 * and prints its trace; it turns into a plain pass once a retrained model fixes the gap, and then the entry goes.
 */
// Empty since the seed-support retrain (the English furious demand and unemphatic ultimatum now reach level 2).
const MODEL_GAPS: Partial<Record<string, Partial<Record<'calm' | 'furious' | 'calmUltimatum', string>>>> = {};

for (const [lang, s] of Object.entries(SCRIPTS)) {
  describe(`conversations (${lang}, shipped model)`, () => {
    test('a calm chat stays at level 0', { todo: MODEL_GAPS[lang]?.calm }, async () => {
      const os = await play(s.calm);
      assert.deepEqual(levels(os), s.calm.map(() => 0), trace(s.calm, os));
    });

    test('a chat that sours reaches level 2 within four messages', async () => {
      const os = await play(s.souring);
      assert.ok(os.some((o) => o.level >= 2), trace(s.souring, os));
      assert.equal(os[0]!.level, 0, 'the polite opening is calm');
    });

    test('one swear word in a friendly chat does not reach level 2', async () => {
      const os = await play(s.oneSwear);
      assert.ok(os.every((o) => o.level < 2), trace(s.oneSwear, os));
    });

    test('polite but repeated "still not working" reaches level 2, even when the bot says it understood', async () => {
      const os = await play(s.repeated);
      assert.ok(os.some((o) => o.level >= 2), trace(s.repeated, os));
      assert.ok(os.at(-1)!.cues!.repeats >= 1, 'the repetition was seen');
    });

    test('polite questions about returns, orders and payment, one after another, stay at level 0', async () => {
      const os = await play(s.politeQuestions);
      assert.deepEqual(levels(os), s.politeQuestions.map(() => 0), trace(s.politeQuestions, os));
    });

    test('everyday shop questions, one after another in one chat, stay at level 0', async () => {
      const os = await play(s.everydayQuestions);
      assert.deepEqual(levels(os), s.everydayQuestions.map(() => 0), trace(s.everydayQuestions, os));
    });

    test('a furious demand reaches level 2 within two messages', { todo: MODEL_GAPS[lang]?.furious }, async () => {
      const os = await play(s.furious);
      assert.ok(os.some((o) => o.level >= 2), trace(s.furious, os));
    });

    test('the same demand without !! or capitals reaches level 2 within two messages', { todo: MODEL_GAPS[lang]?.calmUltimatum }, async () => {
      const os = await play(s.calmUltimatum);
      assert.ok(os.some((o) => o.level >= 2), trace(s.calmUltimatum, os));
    });

    for (const kind of ['resigned', 'disappointed'] as const) {
      test(`${kind} messages reach at least level 1 within three messages`, async () => {
        const os = await play(s[kind]);
        assert.ok(os.some((o) => o.level >= 1), trace(s[kind], os));
      });
    }

    test('thanks after a fix brings the level down', async () => {
      const os = await play(s.thanksAfterFix);
      const peak = Math.max(...levels(os));
      assert.ok(peak >= 2, trace(s.thanksAfterFix, os));
      assert.ok(os.at(-1)!.level < peak, trace(s.thanksAfterFix, os));
      assert.ok(os.at(-1)!.score < os[2]!.score, 'the score falls with the thanks');
    });

    test('an explicit ask for a human raises the forecast', async () => {
      const withAsk = await play([...s.askBase, [s.ask]]);
      const without = await play([...s.askBase, [s.noAsk]]);
      assert.ok(withAsk.at(-1)!.cues!.askHuman && !without.at(-1)!.cues!.askHuman, 'withAsk.at(-1)!.cues!.askHuman && !without.at(-1)!.cues!.askHuman');
      const a = withAsk.at(-1)!.forecastProbability;
      const b = without.at(-1)!.forecastProbability;
      assert.ok(a > b, `with ask ${a.toFixed(3)} vs without ${b.toFixed(3)}`);
      assert.ok(withAsk.at(-1)!.willReachLevel2Soon || withAsk.at(-1)!.level >= 2, trace([...s.askBase, [s.ask]], withAsk));
    });
  });
}

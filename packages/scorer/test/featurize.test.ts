import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featurizerVersionFor } from '../src/featurize.ts';
import {
  DEFAULT_FEATURIZER_CONFIG as CFG,
  featureStrings,
  featurize,
  hashString,
  parseFeaturizerConfig,
  truncateText,
  zhShare,
} from '../src/index.ts';

const LEX = new Map([['terrible', -0.8], ['good', 0.6], ['like', 0.5], ['slow', -0.3], ['delay', -0.4], ['love', 0.8]]);
const ZH = {
  words: new Map([['满意', 0.6], ['失望', -0.6], ['不满', -0.5], ['差', -0.5], ['好', 0.5], ['晚', -0.3]]),
  emotions: new Map([['失望', 'NJ'], ['满意', 'PA']]),
  degree: new Map([['很', 1.3], ['太', 1.3], ['有点', 0.8], ['好', 1.3]]),
};
const keys = (t: string) => [...featureStrings(t, CFG, LEX, ZH).keys()];
/** v2.5's featurizer: the shipped one without temper-feat-6's contrast, boosters and quotes. */
const CFG5 = { ...CFG, version: 'temper-feat-5', contrast: 0, boosters: 0, quotes: 0 } as const;
const feat = (t: string) => featurize(t, CFG, LEX, ZH);

test('hash is pinned: changing it would silently break every shipped model', () => {
  assert.equal(hashString('', 0), 1572119809);
  assert.equal(hashString('w:refund', CFG.hashSeed), 258824198);
  assert.equal(hashString('h:太差', CFG.hashSeed), 4247893129);
});

test('NFKC and case folding: full-width and upper-case text give the same words', () => {
  const a = keys('ＲＥＦＵＮＤ please').filter((k) => k.startsWith('w:'));
  const b = keys('refund please').filter((k) => k.startsWith('w:'));
  assert.deepEqual(a, b);
});

test('shouting and repeated punctuation (ASCII and full-width) are features', () => {
  assert.ok(keys('WHERE IS MY ORDER').includes('x:shout'), 'keys(\'WHERE IS MY ORDER\').includes(\'x:shout\')');
  assert.ok(keys('WHERE IS MY ORDER').includes('x:caps2'), 'keys(\'WHERE IS MY ORDER\').includes(\'x:caps2\')');
  assert.ok(!keys('where is my order').includes('x:shout'), '!keys(\'where is my order\').includes(\'x:shout\')');
  assert.ok(keys('why???').includes('x:??'), 'keys(\'why???\').includes(\'x:??\')');
  assert.ok(keys('为什么？？').includes('x:??'), 'keys(\'为什么？？\').includes(\'x:??\')');
  assert.ok(keys('seriously!!!').includes('x:!!'), 'keys(\'seriously!!!\').includes(\'x:!!\')');
  assert.ok(keys('ok!').includes('x:!'), 'keys(\'ok!\').includes(\'x:!\')');
  assert.ok(keys('really?!').includes('x:?!'), 'keys(\'really?!\').includes(\'x:?!\')');
  assert.ok(keys('whatever...').includes('x:...'), 'keys(\'whatever...\').includes(\'x:...\')');
});

test('URLs, mentions, order ids and numbers become placeholders', () => {
  const k = keys('@AcmeHelp order AB12345 see https://acme.example/x?id=9 waited 3 hours #778899');
  for (const p of ['w:<user>', 'w:<id>', 'w:<url>', 'w:<num>']) assert.ok(k.includes(p), p);
  assert.ok(!k.some((x) => x.includes('acme') || x.includes('ab12345') || x.includes('778899')), '!k.some((x) => x.includes(\'acme\') || x.includes(\'ab12345\') || x.includes(\'778899\'))');
  assert.deepEqual(feat('order AB12345 late'), feat('order ZZ99887 late'));
});

test('Chinese is read by characters: unigrams and bigrams', () => {
  const k = keys('太差了');
  for (const f of ['h:太', 'h:差', 'h:了', 'h:太差', 'h:差了']) assert.ok(k.includes(f), f);
  assert.ok(!k.some((x) => x.startsWith('w:')), '!k.some((x) => x.startsWith(\'w:\'))');
});

test('emoji, emoticons, elongation and negation scope', () => {
  assert.ok(keys('great 😡').includes('e:😡'), 'keys(\'great 😡\').includes(\'e:😡\')');
  assert.ok(keys('great 😡').includes('x:emoji'), 'keys(\'great 😡\').includes(\'x:emoji\')');
  assert.ok(keys('not happy :(').includes('e::('), 'keys(\'not happy :(\').includes(\'e::(\')');
  assert.ok(keys('sooooo slow').includes('x:elong'), 'keys(\'sooooo slow\').includes(\'x:elong\')');
  const neg = keys("I don't like it, it works");
  assert.ok(neg.includes('n:like'), 'neg.includes(\'n:like\')');
  assert.ok(!neg.includes('n:works'), 'a comma ends the negation scope');
});

test('features are deterministic, weights sum to 1, ids are in range', () => {
  const t = 'Still waiting for my refund!!! 3 weeks now 😤 等了三周';
  const a = feat(t), b = feat(t);
  assert.deepEqual(a, b);
  const sum = a.weights.reduce((s, w) => s + w, 0);
  assert.ok(Math.abs(sum - 1) < 1e-5, 'Math.abs(sum - 1) < 1e-5');
  assert.ok(a.ids.every((i) => i >= 0 && i < CFG.buckets), 'a.ids.every((i) => i >= 0 && i < CFG.buckets)');
  assert.equal(feat('').ids.length, 1);
});

test('long input is cut deterministically to head + tail without splitting a surrogate pair', () => {
  const long = '😀'.repeat(1000) + ' the end is angry';
  const cut = truncateText(long, CFG);
  assert.ok(cut.length <= CFG.maxChars + 1, 'cut.length <= CFG.maxChars + 1');
  assert.ok(cut.endsWith('angry'), 'cut.endsWith(\'angry\')');
  assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut), 'no lone high surrogate');
  assert.ok(!/(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(cut), 'no lone low surrogate');
  assert.deepEqual(feat(long), feat(long + ''));
  const huge = 'x'.repeat(2_000_000);
  const t = Date.now();
  feat(huge);
  assert.ok(Date.now() - t < 200, 'a 2 MB message costs no more than a short one');
});

test('config round-trips through JSON and bad configs are rejected', () => {
  assert.deepEqual(parseFeaturizerConfig(JSON.parse(JSON.stringify(CFG))), CFG);
  assert.throws(() => parseFeaturizerConfig({ ...CFG, buckets: 0 }), /buckets/);
  assert.throws(() => parseFeaturizerConfig({ ...CFG, version: 'other' }), /version/);
  const { hashSeed: _drop, ...missing } = CFG;
  assert.throws(() => parseFeaturizerConfig(missing), /hashSeed/);
  assert.throws(() => parseFeaturizerConfig({ ...CFG, charNgramRange: [5, 3] }), /charNgramRange/);
});

test('lexicon valence becomes binned features; negation flips the sign; no lexicon, no features', () => {
  const k = keys('this is terrible');
  assert.ok(k.includes('l:-3'), k.join(' '));
  assert.ok(k.includes('l:min-3') && k.includes('l:neg1'), 'k.includes(\'l:min-3\') && k.includes(\'l:neg1\')');
  const n = keys('not good');
  assert.ok(n.includes('l:-2'), 'negated "good" (0.6 × −0.74 ≈ −0.44) lands in bin −2');
  assert.ok(!keys('good').some((x) => x.startsWith('l:-') || x.startsWith('l:min')), '!keys(\'good\').some((x) => x.startsWith(\'l:-\') || x.startsWith(\'l:min\'))');
  assert.throws(() => featurize('x', CFG), /needs a lexicon/);
  assert.throws(() => featurize('x', CFG, LEX), /needs a Chinese lexicon/);
  assert.ok(![...featureStrings('terrible', { ...CFG, lexiconBins: 0, zhLexiconBins: 0 }).keys()].some((x) => x.startsWith('l:')), '![...featureStrings(\'terrible\', { ...CFG, lexiconBins: 0, zhLexiconBins: 0 }).keys()].some((x) =>…');
});

test('Chinese negation scope marks the characters after 不/没; configs from before the key parse as "off"', () => {
  const cfg = { ...CFG, hanNegationScope: 2 };
  const k = [...featureStrings('不是很好', cfg, LEX, ZH).keys()];
  assert.ok(k.includes('hn:是') && k.includes('hn:很') && !k.includes('hn:好'), k.join(' '));
  assert.ok(![...featureStrings('很好', cfg, LEX, ZH).keys()].some((x) => x.startsWith('hn:')), '![...featureStrings(\'很好\', cfg, LEX, ZH).keys()].some((x) => x.startsWith(\'hn:\'))');
  const { hanNegationScope: _omit, ...older } = cfg;
  assert.equal(parseFeaturizerConfig(older).hanNegationScope, 0);
});

test('Chinese lexicon: longest match, degree words scale, negation flips, emotion class when not negated', () => {
  // 失望 −0.6 → bin round(−2.4) = −2, with its class NJ (失望).
  assert.ok(keys('我很失望').includes('z:c:NJ'), 'keys(\'我很失望\').includes(\'z:c:NJ\')');
  assert.ok(keys('有点失望').includes('z:-2'), '有点 × 0.8 → −0.48 → bin −2');
  assert.ok(keys('太失望了').includes('z:-3'), '太 × 1.3 → −0.78 → bin −3');
  const neg = keys('不满意');
  assert.ok(neg.includes('z:-2') && !neg.includes('z:c:PA'), `不满 is an entry of its own and matches first: ${neg.join(' ')}`);
  const notGood = keys('不是很满意');
  assert.ok(notGood.includes('z:-2') && !notGood.includes('z:c:PA'), `negated 很满意 (0.78 × −0.74 ≈ −0.58 → bin −2): ${notGood.join(' ')}`);
  assert.ok(keys('很满意').includes('z:3') && keys('很满意').includes('z:c:PA'), 'keys(\'很满意\').includes(\'z:3\') && keys(\'很满意\').includes(\'z:c:PA\')');
  // 好 is a degree word before a sentiment word (好差 = very bad) and a sentiment word otherwise.
  assert.ok(keys('好差').includes('z:-3') && !keys('好差').includes('z:2'), 'keys(\'好差\').includes(\'z:-3\') && !keys(\'好差\').includes(\'z:2\')');
  assert.ok(keys('很好').includes('z:3'), 'keys(\'很好\').includes(\'z:3\')');
  assert.ok(keys('失望').includes('z:min-2') && keys('失望').includes('z:neg1'), 'keys(\'失望\').includes(\'z:min-2\') && keys(\'失望\').includes(\'z:neg1\')');
  assert.ok(!keys('请问有货吗').some((x) => x.startsWith('z:')), 'no lexicon word, no z: feature');
  const v1 = { ...CFG5, version: 'temper-feat-1', zhLexiconBins: 0 } as const;
  assert.ok(![...featureStrings('我很失望', v1, LEX).keys()].some((x) => x.startsWith('z:')), 'a v1 config has no z: features');
});

test('both valences in one message (sarcasm, mixed reviews) are one feature; Han share picks the calibration', () => {
  assert.ok(keys('great delay, love it').some((x) => x.startsWith('x:mix')), keys('great delay, love it').join(' '));
  assert.ok(keys('真是太好了，又晚了').some((x) => x.startsWith('x:mix')), 'keys(\'真是太好了，又晚了\').some((x) => x.startsWith(\'x:mix\'))');
  assert.ok(!keys('love it').some((x) => x.startsWith('x:mix')), '!keys(\'love it\').some((x) => x.startsWith(\'x:mix\'))');
  const v1 = { ...CFG5, version: 'temper-feat-1', zhLexiconBins: 0 } as const;
  assert.ok(![...featureStrings('great delay, love it', v1, LEX).keys()].some((x) => x.startsWith('x:mix')), 'v1 features unchanged');
  assert.equal(zhShare('where is my order'), 0);
  assert.equal(zhShare('我的订单在哪'), 1);
  assert.ok(Math.abs(zhShare('我的order') - 2 / 7) < 1e-9, 'Math.abs(zhShare(\'我的order\') - 2 / 7) < 1e-9');
  assert.equal(zhShare('123 !!'), 0);
  assert.equal(feat('我的订单').zh, 1);
});

test('praise context (temper-feat-3): next to a positive word, the other words and Han characters get an s: copy', () => {
  const k = keys('another delay, love it');
  assert.ok(k.includes('s:another') && k.includes('s:delay') && k.includes('s:it'), k.join(' '));
  assert.ok(!k.includes('s:love'), 'the praise word itself gets no copy');
  assert.ok(keys('not another delay, love it').includes('s:n:another'), 'a negated word keeps its negation mark');
  assert.ok(!keys('another delay again').some((x) => x.startsWith('s:')), 'no praise, no s: features');
  assert.ok(!keys('not good at all').some((x) => x.startsWith('s:')), 'negated praise is not praise');
  const zh = keys('很好，又晚了');
  assert.ok(zh.includes('s:h:又') && zh.includes('s:h:晚'), zh.join(' '));
  // At most 40 context tokens, however long the message.
  assert.equal(keys(`love ${Array.from({ length: 60 }, (_, i) => `q${String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26))}`).join(' ')}`).filter((x) => x.startsWith('s:')).length, 40);
  const v2 = { ...CFG5, version: 'temper-feat-2', praiseContextWeight: 0 } as const;
  assert.ok(![...featureStrings('another delay, love it', v2, LEX, ZH).keys()].some((x) => x.startsWith('s:')), 'a v2 config has no s: features');
  const { praiseContextWeight: _omit, summaryShare: _omit2, neverSo: _omit3, ...older } = { ...CFG5, version: 'temper-feat-2' };
  assert.equal(parseFeaturizerConfig(older).praiseContextWeight, 0, 'a v2 model file parses as "off"');
  assert.throws(() => parseFeaturizerConfig({ ...CFG5, version: 'temper-feat-2', neverSo: 0 }), /praiseContextWeight needs temper-feat-3/);
  assert.throws(() => parseFeaturizerConfig({ ...CFG, praiseContextWeight: -1 }), /praiseContextWeight/);
});

test('summary share (temper-feat-4): the lexicon summaries hold a fixed share of the weight, however long the message', () => {
  const SUM = /^(?:l:min|l:neg|z:min|z:neg|x:mix)/;
  const summaryWeight = (t: string, cfg: typeof CFG) => {
    const buckets = new Set([...featureStrings(t, cfg, LEX, ZH).keys()].filter((k) => SUM.test(k)).map((k) => hashString(k, cfg.hashSeed) % cfg.buckets));
    const f = featurize(t, cfg, LEX, ZH);
    return [...f.ids].reduce((s, id, i) => s + (buckets.has(id) ? (f.weights[i] as number) : 0), 0);
  };
  const short = 'terrible service';
  const long = `terrible service, ${Array.from({ length: 30 }, (_, i) => `w${String.fromCharCode(97 + (i % 26))}${i}`).join(' ')}`;
  assert.ok(Math.abs(summaryWeight(short, CFG) - CFG.summaryShare) < 1e-6, String(summaryWeight(short, CFG)));
  assert.ok(Math.abs(summaryWeight(long, CFG) - CFG.summaryShare) < 1e-6, String(summaryWeight(long, CFG)));
  // Plain mean pooling (share 0): the same summaries weigh several times less in the long message.
  const mean = { ...CFG, summaryShare: 0 };
  assert.ok(summaryWeight(long, mean) < summaryWeight(short, mean) / 3, `${summaryWeight(long, mean)} vs ${summaryWeight(short, mean)}`);
  // Weights still sum to 1, and a message without any lexicon word is pooled exactly as before.
  assert.ok(Math.abs([...feat(long).weights].reduce((a, b) => a + b, 0) - 1) < 1e-6, 'weights sum to 1');
  assert.deepEqual(featurize('where is my parcel', CFG, LEX, ZH), featurize('where is my parcel', mean, LEX, ZH));
  // Config: off when missing (older files), only from temper-feat-4 on, and a share below 1.
  const { summaryShare: _omit, neverSo: _omit2, ...older } = { ...CFG5, version: 'temper-feat-3' };
  assert.equal(parseFeaturizerConfig(older).summaryShare, 0, 'a temper-feat-3 model file parses as "off"');
  assert.throws(() => parseFeaturizerConfig({ ...CFG5, version: 'temper-feat-3', neverSo: 0 }), /summaryShare needs temper-feat-4/);
  assert.throws(() => parseFeaturizerConfig({ ...CFG, summaryShare: 1 }), /bad summaryShare/);
  assert.throws(() => parseFeaturizerConfig({ ...CFG, summaryShare: '0.2' }), /bad summaryShare/);
});

test('"never so" (temper-feat-5): never + so/this/such inside the scope intensifies instead of negating', () => {
  const keys = (t: string, cfg: typeof CFG = CFG) => [...featureStrings(t, cfg, LEX, ZH).keys()];
  const off = { ...CFG5, version: 'temper-feat-4', neverSo: 0 } as const;
  // "terrible" keeps its own (negative) sign: no negated copy, and the strongest word is negative.
  const on = keys('I have never been so terrible');
  assert.ok(!on.includes('n:terrible') && on.some((k) => /^l:-\d/.test(k)), on.join(' '));
  const old = keys('I have never been so terrible', off);
  assert.ok(old.includes('n:terrible') && !old.some((k) => /^l:-\d/.test(k)), `before feat-5 it was negated: ${old.join(' ')}`);
  // Both ways: praise after "never … this" stays praise.
  const happy = keys('never been this good');
  assert.ok(!happy.includes('n:good') && happy.includes('l:2'), happy.join(' '));
  // Only "never", only so/this/such, and only inside the scope: other negators and other words still negate.
  assert.ok(keys('not so happy').includes('n:happy'), '"not so" still negates');
  assert.ok(keys('never happy with it').includes('n:happy'), 'plain "never" still negates');
  assert.ok(keys("I don't know, never. so happy").every((k) => k !== 'n:happy'), 'a full stop already ended the scope');
  // Config: off when missing (older files), only from temper-feat-5 on, 0 or 1.
  const { neverSo: _omit, ...older } = { ...CFG5, version: 'temper-feat-4' };
  assert.equal(parseFeaturizerConfig(older).neverSo, 0, 'a temper-feat-4 model file parses as "off"');
  assert.throws(() => parseFeaturizerConfig({ ...CFG5, version: 'temper-feat-4' }), /neverSo needs temper-feat-5/);
  assert.throws(() => parseFeaturizerConfig({ ...CFG, neverSo: 2 }), /bad neverSo/);
  assert.throws(() => parseFeaturizerConfig({ ...CFG, neverSo: true }), /bad neverSo/);
});

test('contrast (temper-feat-6): valence before the first but/但是 counts half, after it one and a half times', () => {
  const on = { ...CFG5, version: 'temper-feat-6', contrast: 1 } as const;
  const lex = (t: string, cfg: typeof CFG) => [...featureStrings(t, cfg, LEX, ZH).keys()].filter((k) => /^(?:[lz]:|x:mix)/.test(k));
  // good 0.6 → 0.3 (bin 1), terrible −0.8 → −1 (clamped, bin −4); without the rule bins 2 and −3.
  assert.deepEqual(lex('good but terrible', CFG5), ['l:2', 'l:-3', 'l:min-3', 'l:neg1', 'x:mix2:-3']);
  assert.deepEqual(lex('good but terrible', on), ['l:1', 'l:-4', 'l:min-4', 'l:neg1', 'x:mix1:-4']);
  // Only the first contrast word counts, and "but" must be a word ("butter" is not).
  assert.deepEqual(lex('good butter', on), lex('good butter', CFG5));
  assert.deepEqual(lex('good', on), lex('good', CFG5), 'no contrast word: nothing changes');
  // Chinese: 满意 0.6 → 0.3 before 但是, 失望 −0.6 → −0.9 after it.
  assert.deepEqual(lex('很满意但是有点失望', CFG5).filter((k) => /^z:-?\d$/.test(k)), ['z:3', 'z:-2']);
  assert.deepEqual(lex('满意但是失望', on).filter((k) => /^z:-?\d$/.test(k)), ['z:1', 'z:-4']);
  // Config: off when missing, only from temper-feat-6 on, 0 or 1.
  const { contrast: _omit, ...older } = { ...CFG5, version: 'temper-feat-6' };
  assert.equal(parseFeaturizerConfig(older).contrast, 0);
  assert.throws(() => parseFeaturizerConfig({ ...CFG5, version: 'temper-feat-5', contrast: 1 }), /contrast needs temper-feat-6/);
  assert.throws(() => parseFeaturizerConfig({ ...on, contrast: 2 }), /bad contrast/);
});

test('boosters (temper-feat-6): very/so ×1.3 and slightly ×0.7 on a lexicon word up to two words later, same clause', () => {
  const on = { ...CFG5, version: 'temper-feat-6', boosters: 1 } as const;
  const bins = (t: string, cfg: typeof CFG) => [...featureStrings(t, cfg, LEX, ZH).keys()].filter((k) => /^l:-?\d$/.test(k));
  assert.deepEqual(bins('slow', on), ['l:-1']);
  assert.deepEqual(bins('very slow', on), ['l:-2'], '−0.3 × 1.3 = −0.39 → bin −2');
  assert.deepEqual(bins('so very slow', on), ['l:-2'], 'boosters do not stack');
  assert.deepEqual(bins('very much slow', on), ['l:-2'], 'two words later still counts');
  assert.deepEqual(bins('very much too slow', on), ['l:-1'], 'three words later does not');
  assert.deepEqual(bins('very. slow', on), ['l:-1'], 'a clause end stops it');
  assert.deepEqual(bins('slightly terrible', on), ['l:-2'], '−0.8 × 0.7 = −0.56 → bin −2');
  assert.deepEqual(bins('very slow', CFG5), ['l:-1'], 'off in v2.5\'s config');
  // Negation still flips the boosted value: "not very good" is 0.6 × 1.3 × −0.74 = −0.58.
  assert.deepEqual(bins('not very good', on), ['l:-2']);
  assert.throws(() => parseFeaturizerConfig({ ...CFG5, version: 'temper-feat-5', boosters: 1 }), /boosters needs temper-feat-6/);
  assert.throws(() => parseFeaturizerConfig({ ...on, boosters: -1 }), /bad boosters/);
});

test('quotes (temper-feat-6): a lexicon word in a short quotation is mentioned, not meant', () => {
  const on = { ...CFG5, version: 'temper-feat-6', quotes: 1 } as const;
  const lex = (t: string, cfg: typeof CFG = on) => [...featureStrings(t, cfg, LEX, ZH).keys()].filter((k) => /^(?:[lqz]:|x:mix|x:quote)/.test(k));
  assert.deepEqual(lex('the "good" service'), ['x:quote', 'q:2']);
  assert.deepEqual(lex("my 'good' box, terrible"), ['x:quote', 'q:2', 'l:-3', 'l:min-3', 'l:neg1'], 'no x:mix: the quoted praise is not praise');
  assert.deepEqual(lex('the “good” one'), ['x:quote', 'q:2'], 'curly quotes too');
  assert.deepEqual(lex("don't like it"), lex("don't like it", CFG5), 'apostrophes are not quotes');
  assert.deepEqual(lex("the customers' 'good' idea"), ['x:quote', 'q:2'], 'a plural possessive does not open a quotation');
  assert.deepEqual(lex('"good"'), ['l:2'], 'a whole quoted message is not a quotation in it');
  assert.deepEqual(lex('she said "this is not at all good" to me'), ['l:-2', 'l:min-2', 'l:neg1'], 'five words or more: a quotation, not a scare quote');
  assert.deepEqual(lex('the "good" service', CFG5), ['l:2'], 'off in v2.5\'s config');
  // Chinese: the quoted run gets q:z: features and leaves the summaries alone.
  assert.deepEqual(lex('真是“满意”的服务'), ['x:quote', 'q:z:2', 'q:z:c:PA']);
  assert.throws(() => parseFeaturizerConfig({ ...CFG5, version: 'temper-feat-5', quotes: 1 }), /quotes needs temper-feat-6/);
  assert.throws(() => parseFeaturizerConfig({ ...on, quotes: 3 }), /bad quotes/);
});

test('featurizerVersionFor: the oldest version with every feature the config turns on (what the trainer writes)', () => {
  assert.equal(featurizerVersionFor(CFG), 'temper-feat-6');
  assert.equal(featurizerVersionFor(CFG5), 'temper-feat-5');
  assert.equal(featurizerVersionFor({ ...CFG5, neverSo: 0 }), 'temper-feat-4');
  assert.equal(featurizerVersionFor({ ...CFG5, neverSo: 0, summaryShare: 0 }), 'temper-feat-3');
  assert.equal(featurizerVersionFor({ ...CFG5, neverSo: 0, summaryShare: 0, praiseContextWeight: 0 }), 'temper-feat-2');
  assert.equal(featurizerVersionFor({ ...CFG5, quotes: 1 }), 'temper-feat-6', 'one feat-6 rule is enough');
  // What it returns always parses: the checks and the version choice read the same table.
  for (const cfg of [CFG, CFG5, { ...CFG5, boosters: 1 }]) assert.equal(parseFeaturizerConfig({ ...cfg, version: featurizerVersionFor(cfg) }).version, featurizerVersionFor(cfg));
});

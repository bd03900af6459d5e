// Neutral Chinese support-chat messages, generated from templates written for this repo (MIT, like the code).
// Why: every Chinese training source is reviews, Weibo posts or chatbot abuse. There a sentence ending in 吗？ is
// a rhetorical complaint ("这也叫服务吗？", 87–94% negative in the review sets), so the model learned that a
// plain product question is frustrated (有货吗？ → p ≈ 0.9). The English side has Bitext for calm requests;
// these rows are the Chinese counterpart: label 0, training only, a small budget, listed in the model card.

const ITEMS = ['这款', '这件', '这个', '那双鞋', '这台', '这本书', '这套', '这个型号', '这件衬衫', '这款耳机', '这个套餐', '这张优惠券'];
const ATTRS = ['黑色', '白色', '红色', '大号', '小号', 'L码', 'S码', '42码', '128G', '256G', '现货', '赠品', '发票', '保修', '中文说明书', '礼盒装'];
const PLACES = ['北京', '广州', '深圳', '杭州', '成都', '武汉', '南京', '西安'];
const FRAMES_ITEM_ATTR = ['请问{i}有{a}吗？', '{i}有{a}的吗', '{i}还有{a}吗？', '你好，{i}有没有{a}？', '想问一下{i}有{a}吗', '{i}{a}还有货吗？'];
const FRAMES_PLACE = ['寄到{p}要几天？', '{p}可以发货吗？', '请问发{p}走什么快递？', '{p}能当天到吗？', '到{p}运费多少？'];
const PLAIN = [
  '你好，在吗？', '您好', '请问怎么修改收货地址？', '我想查一下订单', '订单号发给你了', '怎么开发票？', '可以用花呗吗？',
  '支持七天无理由退货吗？', '怎么联系售后？', '会员积分怎么用？', '可以帮我改一下手机号吗？', '明天能发货吗？', '尺码怎么选？',
  '身高170穿多大合适？', '有优惠活动吗？', '包装是原厂的吗？', '好的，谢谢', '收到了，谢谢', '明白了，谢谢你',
  '好的，我再看看', '没问题', '嗯嗯好的', '那我下单了', '已经付款了', '麻烦帮我备注一下', '可以开公司抬头的发票吗？',
  '这个怎么安装？', '说明书在哪里下载？', '怎么绑定账号？', '密码忘了怎么办？', '怎么取消自动续费？', '可以预约上门安装吗？',
];

/** The neutral messages, deterministic and de-duplicated. */
export function zhSupportSeed(): string[] {
  const out = new Set<string>(PLAIN);
  for (const f of FRAMES_ITEM_ATTR) for (const i of ITEMS) for (const a of ATTRS) out.add(f.replace('{i}', i).replace('{a}', a));
  for (const f of FRAMES_PLACE) for (const p of PLACES) out.add(f.replace('{p}', p));
  return [...out];
}

// Issue 12 over real sockets: asking for a person again always gets an answer (defect 3), a contact left
// after "no one is online" is kept for staff and confirmed (defect 4), and while queued the wait quoted is
// the one the banner shows and the bot no longer offers a person (defect 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken } from '@temper/server';
import { waitMinutes, type ServerEvent } from '@temper/protocol';
import { createFaqBot } from '../../../examples/shop/faq-bot.ts';
import { SECRET, api, messages, openEvents, post, session, start, type SseFrame } from './helpers.ts';

const agent = createAgentToken(SECRET, { agentId: 'agent-a', name: 'Mei', role: 'agent', ttlMs: 86_400_000 });
const isMessage = (from: string) => (f: SseFrame) => f.event.type === 'message' && f.event.from === from;
const text = (f: SseFrame) => (f.event.type === 'message' ? f.event.text : '');
/** Events after the visitor message `clientId`, until `done` holds for the list (polling the stream). */
async function repliesTo(ev: Awaited<ReturnType<typeof openEvents>>, clientId: string, done: (after: ServerEvent[]) => boolean) {
  const after = () => {
    const i = ev.frames.findIndex((f) => f.event.type === 'message' && f.event.clientId === clientId);
    return i < 0 ? null : ev.frames.slice(i + 1).map((f) => f.event);
  };
  await ev.until((): boolean => {
    const a = after();
    return a !== null && done(a);
  });
  return after()!;
}
const said = (events: ServerEvent[]) => events.filter((e) => e.type === 'message' && e.from !== 'visitor').map((e) => (e.type === 'message' ? e.text : ''));

test('no agent online: every ask for a person is answered, in English and Chinese (the second one was silent)', async () => {
  const s = await start({ bot: createFaqBot() });
  try {
    for (const [locale, asks] of [
      ['en', ['I want a human', 'agent', 'I want a human']],
      ['zh-CN', ['转人工', '转人工', '我要找人工客服']],
    ] as const) {
      const v = await session(s.base, locale);
      const ev = await openEvents(s.base, v.token);
      for (const [n, ask] of asks.entries()) {
        const id = `ask-${locale}-${n}`.padEnd(10, '0');
        assert.equal((await post(s.base, '/messages', { id, text: ask }, v.token)).status, 201);
        const got = said(await repliesTo(ev, id, (a) => said(a).length >= 1));
        assert.equal(got.length, 1, `ask ${n + 1} (${ask}) got exactly one answer: ${JSON.stringify(got)}`);
        if (locale === 'en') assert.match(got[0]!, /no one from our team is online/i);
        else assert.match(got[0]!, /没有在线的客服/);
        assert.match(got[0]!, locale === 'en' ? /email or phone/ : /邮箱或电话/, 'offers a callback');
        if (n > 0) assert.match(got[0]!, locale === 'en' ? /within 24 hours/ : /24 小时内/, 'says when they will hear back');
        if (locale === 'zh-CN') assert.doesNotMatch(got[0]!, /你/, 'Chinese notices use 您');
      }
      ev.close();
    }
  } finally {
    await s.close();
  }
});

test('a contact left after "no one is online" is confirmed, kept for staff, and the bot does not say "did not understand"', async () => {
  const s = await start({ bot: createFaqBot(), callbackWithinHours: 4 });
  try {
    const v = await session(s.base, 'en');
    const ev = await openEvents(s.base, v.token);
    await post(s.base, '/messages', { id: 'cb-ask-001', text: 'Can I talk to a person?' }, v.token);
    await repliesTo(ev, 'cb-ask-001', (a) => said(a).length >= 1);
    await post(s.base, '/messages', { id: 'cb-mail-01', text: 'sure, my email is mei.chen@example.com' }, v.token);
    const after = said(await repliesTo(ev, 'cb-mail-01', (a) => said(a).length >= 1));
    assert.equal(after.length, 1);
    assert.match(after[0]!, /get back to you at mei\.chen@example\.com within 4 hours/);
    // Nothing else follows it: the bot was spared a message that was only the address.
    await post(s.base, '/messages', { id: 'cb-next-01', text: 'thanks' }, v.token);
    await ev.until((f) => isMessage('bot')(f));
    const between = ev.frames.slice(ev.frames.findIndex((f) => f.event.type === 'message' && f.event.clientId === 'cb-mail-01'));
    assert.ok(!messages(between).some((m) => m.understood === false), 'no "did not understand"');

    // Staff see it; visitors (and no token) cannot.
    const list = await api(s, 'GET', '/agent/callbacks', agent);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((i: any) => [i.conversationId, i.kind, i.contact, i.state]),
      [[v.conversationId, 'email', 'mei.chen@example.com', 'bot']],
    );
    assert.equal((await api(s, 'GET', '/agent/callbacks', v.token)).status, 401);
    assert.equal((await api(s, 'GET', '/agent/callbacks')).status, 401);
    // The audit log records that a callback was asked for, never the contact.
    const audit = await s.handler.store.readAudit({ conversationId: v.conversationId });
    assert.ok(audit.some((e) => e.action === 'callback-requested'), 'audit.some((e) => e.action === \'callback-requested\')');
    assert.ok(!JSON.stringify(audit).includes('mei.chen'), 'the contact is not in the audit log');

    // Asked again, the visitor is told the contact is kept (not invited to leave it a second time).
    await post(s.base, '/messages', { id: 'cb-again-1', text: 'agent' }, v.token);
    const again = said(await repliesTo(ev, 'cb-again-1', (a) => said(a).length >= 1));
    assert.match(again[0]!, /we have your contact \(mei\.chen@example\.com\)/);

    // An agent comes online: the chat is queued and its row carries the callback.
    await api(s, 'POST', '/agent/presence', agent, { status: 'online' });
    const q = await api(s, 'GET', '/agent/queue', agent);
    assert.equal(q.body.items[0].callback.contact, 'mei.chen@example.com');
    ev.close();
  } finally {
    await s.close();
  }
});

test('Chinese phone numbers are captured; a question beside the contact still gets the bot; an uninvited email is only chat', async () => {
  const s = await start({ bot: createFaqBot() });
  try {
    const v = await session(s.base, 'zh-CN');
    const ev = await openEvents(s.base, v.token);
    await post(s.base, '/messages', { id: 'zh-ask-001', text: '转人工' }, v.token);
    await repliesTo(ev, 'zh-ask-001', (a) => said(a).length >= 1);
    await post(s.base, '/messages', { id: 'zh-tel-001', text: '我的手机 138 0013 8000，退款多久到账？' }, v.token);
    const got = await repliesTo(ev, 'zh-tel-001', (a) => a.some((e) => e.type === 'message' && e.from === 'bot'));
    assert.match(said(got)[0]!, /138 0013 8000/);
    const bot = messages(got.map((event, id) => ({ id, event }))).find((m) => m.from === 'bot')!;
    assert.equal(bot.understood, true);
    assert.match(bot.text, /退款/, 'the refund question is answered too');
    assert.equal((await api(s, 'GET', '/agent/callbacks', agent)).body.items[0].contact, '138 0013 8000');

    // Nobody invited this one to leave a contact: no callback is recorded.
    const w = await session(s.base, 'en');
    await post(s.base, '/messages', { id: 'en-mail-01', text: 'please change my email to bo@example.org' }, w.token);
    const items = (await api(s, 'GET', '/agent/callbacks', agent)).body.items;
    assert.deepEqual(items.map((i: any) => i.conversationId), [v.conversationId]);
    ev.close();
  } finally {
    await s.close();
  }
});

test('queued: asking again gives place and wait (the banner\'s figure), and the bot no longer says "say agent"', async () => {
  const s = await start({ bot: createFaqBot(), expectedWaitSeconds: 150 });
  try {
    await api(s, 'POST', '/agent/presence', agent, { status: 'online' });
    const v = await session(s.base, 'en');
    const ev = await openEvents(s.base, v.token);
    await post(s.base, '/messages', { id: 'q-ask-0001', text: 'I want a human' }, v.token);
    const h = await ev.until((f) => f.event.type === 'handoff' && f.event.state === 'queued');
    const wait = h.event.type === 'handoff' ? h.event.waitSeconds! : -1;
    const notice = await ev.until(isMessage('system'));
    assert.match(text(notice), new RegExp(`about ${waitMinutes(wait)} min`), 'the notice says the banner\'s minutes');

    await post(s.base, '/messages', { id: 'q-ask-0002', text: 'agent' }, v.token);
    const again = said(await repliesTo(ev, 'q-ask-0002', (a) => said(a).length >= 1));
    assert.equal(again.length, 1);
    assert.match(again[0]!, new RegExp(`still in line for a person: number 1, about ${waitMinutes(wait)} min`));

    await post(s.base, '/messages', { id: 'q-faq-0001', text: 'how do refunds work?' }, v.token);
    const bot = said(await repliesTo(ev, 'q-faq-0001', (a) => a.some((e) => e.type === 'message' && e.from === 'bot')));
    assert.match(bot.at(-1)!, /Refunds go back/);
    assert.doesNotMatch(bot.at(-1)!, /say “agent”|say "agent"/i, 'no offer of a person while one is coming');
    assert.match(bot.at(-1)!, new RegExp(`number 1 in line.*about ${waitMinutes(wait)} min`));
    ev.close();
  } finally {
    await s.close();
  }
});

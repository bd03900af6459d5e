// Callback requests (issue 12, defect 4): when no one is free the visitor is told "leave your email or phone
// number here and a person will get back to you" — and then the bot answered the address with "I did not
// understand". Now the server finds the contact in the message itself (any bot, no widget form needed), keeps
// it with the conversation for staff (`meta.callback`, shown in the agent console and reports, never in the
// audit log or to other visitors), confirms it to the visitor with when they will hear back, and spares the
// bot a message that was only the contact.
import type { CallbackRequest } from './types.js';

// A pragmatic address: local part, @, a dotted domain with a letter TLD. Not RFC 5322; a person reads it.
export const EMAIL = /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}/;
// A phone number: optional +, digits with spaces, dots, dashes or parentheses between groups, 7–15 digits.
export const PHONE = /(?:\+|\b)\d(?:[\d\s().-]{5,22})\d\b/g;
// Words around a contact that carry nothing for the bot ("my email is …", "请打 … 联系我").
const FILLER =
  /\b(?:my|the|is|it'?s|here|you|can|could|please|pls|call|text|reach|contact|email|e-mail|mail|address|phone|mobile|cell|number|no|me|at|on|or|and|me|back|thanks|thank|ok|okay|sure)\b|邮箱|电子邮件|邮件|电话|手机|号码|手机号|我的|是|请|打|联系|联系我|给我|回电|可以|吧|谢谢|好的/giu;

/**
 * The first email address or phone number in `text`, or `null`. Phone numbers need 7–15 digits (so "order
 * 10234" is not one) and are returned with their spacing collapsed.
 *
 * @example
 * findContact('sure, mei.chen@example.com'); // { kind: 'email', contact: 'mei.chen@example.com' }
 * findContact('我的手机 138 0013 8000');      // { kind: 'phone', contact: '138 0013 8000' }
 */
export function findContact(text: string): Pick<CallbackRequest, 'kind' | 'contact'> | null {
  const email = EMAIL.exec(text);
  if (email) return { kind: 'email', contact: email[0] };
  for (const m of text.matchAll(PHONE)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 7 && digits.length <= 15) return { kind: 'phone', contact: m[0].trim().replace(/\s+/g, ' ') };
  }
  return null;
}

/** True when `text` is little more than `contact` ("my email is …"): the bot then has nothing to answer. */
export function onlyContact(text: string, contact: string): boolean {
  const rest = text.split(contact).join(' ').replace(FILLER, ' ').replace(/[\p{P}\p{S}\s\d]+/gu, '');
  return rest.length <= 2;
}

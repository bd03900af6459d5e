// Issue 15, finding 8: card numbers typed into a chat (PCI DSS: never store or show a full PAN). One masker,
// used by the widget before it stores or shows a message and by the server before it stores, shows or exports
// one, so device, console and exports agree on what a masked number looks like.

/** What `maskCardNumbers` puts in place of each masked digit. */
export const CARD_MASK_CHAR = '•';

// A run of 13–19 digits, optionally grouped by single spaces or hyphens (how people type a card number:
// "4111 1111 1111 1111", "4111-1111-1111-1111"), not glued to other digits or Latin letters (SKU4111… is a
// code; 卡号4111… is a card: Chinese text runs straight into digits). Full-width digits are
// folded before the check (a Chinese IME may type １２３４).
const CANDIDATE = /(?<![\p{Script=Latin}\p{N}])(?:\p{Nd}[ -]?){12,18}\p{Nd}(?![\p{Script=Latin}\p{N}])/gu;

function asciiDigit(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c >= 0xff10 && c <= 0xff19) return String(c - 0xff10);
  return ch;
}

/**
 * True when `digits` (ASCII digits only) passes the Luhn check that every payment card number passes.
 *
 * @example
 * luhnValid('4111111111111111'); // true
 * luhnValid('4111111111111112'); // false
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Masks every payment card number in `text`: a run of 13–19 digits (spaces or hyphens between groups allowed)
 * that passes the Luhn check keeps its last four digits and its separators; every other digit becomes
 * `CARD_MASK_CHAR`. Other digit runs — order numbers, phone numbers, tracking ids — stay as typed unless they
 * happen to pass Luhn at 13–19 digits (about 1 in 10 such runs does; masking a stray order number is the safe
 * side of that trade). Idempotent: a masked text has no digit runs long enough to mask again.
 *
 * @example
 * maskCardNumbers('my card is 4111 1111 1111 1111, order 12345678');
 * // 'my card is •••• •••• •••• 1111, order 12345678'
 */
export function maskCardNumbers(text: string): string {
  if (typeof text !== 'string') throw new TypeError(`maskCardNumbers expects a string, got ${typeof text}`);
  return text.replace(CANDIDATE, (run) => {
    const digits = [...run].filter((ch) => /\p{Nd}/u.test(ch)).map(asciiDigit).join('');
    if (!/^\d{13,19}$/.test(digits) || !luhnValid(digits)) return run;
    let keep = 4;
    const out: string[] = [];
    const chars = [...run];
    for (let i = chars.length - 1; i >= 0; i--) {
      const ch = chars[i]!;
      if (/\p{Nd}/u.test(ch)) {
        out.push(keep > 0 ? ch : CARD_MASK_CHAR);
        keep--;
      } else out.push(ch);
    }
    return out.reverse().join('');
  });
}

/**
 * True when `text` holds a card number `maskCardNumbers` would mask.
 *
 * @example
 * hasCardNumber('4111111111111111'); // true
 * hasCardNumber('order 12345678');   // false
 */
export function hasCardNumber(text: string): boolean {
  return maskCardNumbers(text) !== text;
}

// Issue 15, finding 8: the card-number masker shared by the widget and the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCardNumber, luhnValid, maskCardNumbers } from '../src/index.ts';

test('luhnValid: known test card numbers pass, one changed digit fails', () => {
  for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '6200000000000005', '4000056655665556']) assert.equal(luhnValid(n), true, n);
  for (const n of ['4111111111111112', '5555555555554445', '', '41x1', '١٢٣']) assert.equal(luhnValid(n), false, n);
});

test('maskCardNumbers keeps the last four and the separators, masks the rest, in en and zh text', () => {
  assert.equal(maskCardNumbers('card 4111 1111 1111 1111 please'), 'card •••• •••• •••• 1111 please');
  assert.equal(maskCardNumbers('4111-1111-1111-1111'), '••••-••••-••••-1111');
  assert.equal(maskCardNumbers('卡号是4111111111111111，谢谢'), '卡号是••••••••••••1111，谢谢');
  assert.equal(maskCardNumbers('Amex 378282246310005.'), 'Amex •••••••••••0005.');
  // Full-width digits as a Chinese IME types them.
  assert.equal(maskCardNumbers('４１１１１１１１１１１１１１１１'), '••••••••••••１１１１');
  // Two in one message.
  assert.equal(maskCardNumbers('5555555555554444 or 4111111111111111'), '••••••••••••4444 or ••••••••••••1111');
});

test('maskCardNumbers leaves what is not a card number as typed', () => {
  for (const t of [
    'order A12345678, phone +86 138 0013 8000',
    'tracking 4111111111111112', // fails Luhn
    'id 41111111111111110000', // 22 digits: no card
    'SKU4111111111111111', // glued to letters: a code, not a card
    '2026-12-01 14:00',
    '',
  ])
    assert.equal(maskCardNumbers(t), t, t);
  assert.equal(hasCardNumber('pay with 4111111111111111'), true);
  assert.equal(hasCardNumber('order 12345678'), false);
});

test('maskCardNumbers is idempotent and rejects non-strings', () => {
  const once = maskCardNumbers('4111 1111 1111 1111 and 5555-5555-5555-4444');
  assert.equal(maskCardNumbers(once), once);
  assert.throws(() => maskCardNumbers(42 as unknown as string), TypeError);
});

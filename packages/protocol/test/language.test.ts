// Review of issue 12: the one language rule the widget's labels and the server's bot share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writtenIn } from '../src/index.ts';

test('writtenIn: any Han character is Chinese, also mixed with Latin words and digits', () => {
  for (const t of ['我的订单在哪里？', '退款', 'order A1042 还没到', '转人工', 'ok 好的', '𠀀']) assert.equal(writtenIn(t), 'zh-CN', t);
});

test('writtenIn: two Latin words and no Han is English', () => {
  for (const t of ['where is my parcel', 'hi there', 'talk to a human', 'order 1042 please', 'Bonjour madame']) assert.equal(writtenIn(t), 'en', t);
});

test('writtenIn: what says nothing about the language is null', () => {
  for (const t of ['', '   ', 'A1042', 'ok', 'refund', '1042', '👍', '？', '!!!', 'a b c', 'ｏｋ ｏｋ']) assert.equal(writtenIn(t), null, JSON.stringify(t));
});

// The categories of support-chat messages, shared by the dev set (models/devsets, scripts/devset) and the
// training seeds (seed-support.ts). Only the names and labels are shared; the text of the two never is.

export type Category =
  | 'neutral-request'
  | 'mild-complaint'
  | 'disappointment'
  | 'resignation'
  | 'sarcasm'
  | 'anger'
  | 'demand-ultimatum'
  | 'thanks-relief';

/** Sub-topics of a neutral request. `chat`: greetings and "one more question". */
export type Topic = 'orders' | 'returns' | 'refunds' | 'delivery' | 'payment' | 'invoices' | 'stock' | 'account' | 'product' | 'chat';

/** Binary label of each category: 1 = upset (the model's positive class). */
export const CATEGORY_LABEL: Readonly<Record<Category, 0 | 1>> = {
  'neutral-request': 0,
  'mild-complaint': 1,
  disappointment: 1,
  resignation: 1,
  sarcasm: 1,
  anger: 1,
  'demand-ultimatum': 1,
  'thanks-relief': 0,
};

export const CATEGORIES = Object.keys(CATEGORY_LABEL) as Category[];

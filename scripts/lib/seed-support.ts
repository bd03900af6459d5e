// Support-chat TRAINING seeds in both languages: neutral requests about the topics complaints are about, and the
// emotional registers of a support chat (complaint, disappointment, resignation, sarcasm, anger, demands) plus
// thanks. Written for this repo (MIT), like the dev set, but apart from it: other frames, other products,
// carriers, cities and amounts. scripts/test/seed-support-leak.test.ts fails if any row here is (exactly, by
// char-trigram Jaccard ≥ 0.8, or by the word check of scripts/lib/leak-check.ts) in models/devsets/support-chat.*.jsonl
// (heldout or dev) or in a written split (support-chat-NAME.*.jsonl, every one of WRITTEN_SPLITS). The v2.5 frame sets (contrastive
// pairs) are in seed-support-contrast-{en,zh}.ts.
//
// Why: the Chinese training text is reviews, where 退货/退款/快递 are negative words; in a support chat they are
// the topic of most neutral requests (issue 9). The English side under-detects resignation and sarcasm.
// The old neutral zh seed (seed-zh-support.ts, v1) is included unchanged as category `neutral-request`.
import { CATEGORY_LABEL, type Category } from './support-categories.ts';
import { mulberry32 } from './trainer.ts';
import { zhSupportSeed } from './seed-zh-support.ts';
import { EN_CONTRAST } from './seed-support-contrast-en.ts';
import { ZH_CONTRAST } from './seed-support-contrast-zh.ts';

export type SeedCategory = Category;

/** One training row. `label` 1 = upset; neutral requests and thanks are 0. */
export interface SeedRow {
  readonly text: string;
  readonly label: 0 | 1;
  readonly lang: 'en' | 'zh';
  readonly category: SeedCategory;
}

interface Vocab { product: readonly string[]; clothing: readonly string[]; carrier: readonly string[]; city: readonly string[]; amount: readonly string[]; duration: readonly string[]; order: readonly string[]; day: readonly string[] }

// Deliberately disjoint from the dev set's vocabulary (scripts/devset/support-chat-source.ts).
const EN_VOCAB: Vocab = {
  product: ['toaster', 'sweater', 'pair of earbuds', 'laptop sleeve', 'rice cooker', 'standing fan', 'pair of hiking boots', 'suitcase', 'water bottle', 'pillow', 'microwave', 'tennis racket', 'scarf', 'tablet stand', 'electric toothbrush', 'printer', 'gaming mouse', 'hair dryer'],
  clothing: ['sweater', 'scarf', 'pair of hiking boots', 'pair of jeans', 'parka'],
  carrier: ['FedEx', 'Evri', 'USPS', 'DPD', 'Parcelforce', 'Canada Post'],
  city: ['Bristol', 'Cork', 'Vancouver', 'Auckland', 'Cardiff', 'Perth'],
  amount: ['$45', '£18.50', '€230', '$1,050', '£75', '€12.99'],
  duration: ['six days', 'over a fortnight', '8 days', 'almost a month', 'since last Tuesday', 'eleven days'],
  order: ['ORD-9####', 'A7######', 'no. 55####'],
  day: ['tonight', 'the weekend', 'end of the week', 'tomorrow noon', 'next Monday'],
};
const ZH_VOCAB: Vocab = {
  product: ['电饭煲', '充电宝', '卫衣', '平板电脑', '电动牙刷', '加湿器', '床单四件套', '登山包', '咖啡机', '吹风机', '牛仔裤', '机械键盘', '婴儿推车', '护手霜'],
  clothing: ['卫衣', '牛仔裤', '棉服', '马丁靴'],
  carrier: ['圆通', '韵达', '申通', '极兔', '邮政EMS', '德邦'],
  city: ['成都', '哈尔滨', '昆明', '厦门', '兰州', '澳门'],
  amount: ['269元', '45块', '2399元', '一百多块', '¥88', '七十块'],
  duration: ['四天', '八天', '一个多星期', '二十多天', '整整一个月', '好几天'],
  order: ['5109########', 'TB########', '7731######'],
  day: ['今晚', '明天中午', '这周末', '后天', '下周一'],
};

const EN: Record<SeedCategory, readonly string[]> = {
  'neutral-request': [
    'could you tell me when my {product} will ship?', 'I was wondering if the {product} comes in grey.', 'what does "processing" mean on my order page?',
    'how can I send back a {product} that does not fit?', 'is return postage free?', 'has the refund for {order} gone out yet?', 'do you deliver to PO boxes?',
    'can {carrier} deliver to my office instead?', 'I would like to update the phone number on {order}.', 'can I get a copy of the invoice for {order}?',
    'does the {product} work with EU plugs?', 'are gift cards accepted at checkout?', 'can I use Google Pay?', 'how many days does {carrier} usually take to {city}?',
    'is there a student discount?', 'can I collect the {product} from a store?', 'what is the weight of the {product}?', 'how do I change my delivery slot?',
    'can my receipt be re-sent to another email?', "I'd like to swap the {clothing} for the next size up.", 'does the refund include the delivery fee?',
    'how do I log in with a one-time code?', 'is the {product} suitable for kids?', 'what colours does the {clothing} come in?', 'will you restock the {clothing} in medium?',
    'do I need to sign for the parcel?', 'where is the nearest {carrier} drop-off?', 'can I pay the balance on delivery?', 'how do I apply a promo code?',
    'can the invoice show my tax number?', 'I need to send back one item from a bundle, is that possible?', 'my parcel is marked as delayed, when should I expect it?',
    'can I return a gift without the receipt?', 'what is the cut-off time for same-day dispatch?', 'is the {product} covered if it breaks in the first year?',
    'can I change the card I paid with?', 'the checkout asks for a postcode, which one do I use for {city}?', 'how do I find my order number?',
    'is it possible to reschedule the {carrier} delivery?', 'I bought the {product} on sale, can I still return it?', 'will I be charged customs to {city}?',
    'do you price match?', 'how do refunds work for items bought with a voucher?', 'can two orders be shipped together?', 'are the batteries included with the {product}?',
    'which size should I get if I am between two?', 'is there a phone number for the warehouse?', 'can I get an itemised receipt?', 'how long is the {product} warranty valid?',
    'I want to cancel one item from {order}', 'can the parcel go to a locker?', 'do you offer gift wrapping?', 'how do I update my billing address?',
    'when will the refund show up on my card?', 'how long does a refund take to reach my bank account?', 'can I cancel {order} and get my money back?',
    "I'd like to return the {product} for a refund, please", 'could the refund go back to the original card?', 'how do I leave a review for the {product}?',
    'I paid twice by mistake at checkout, can one payment be reversed?', 'can I get the refund as store credit instead?', 'is my payment secure if I pay by card today?',
    'please refund the delivery charge to my account when you can', 'do you need a photo of the {product} for the return?', 'how do I close my account?',
    'could you send me the refund confirmation by email?', 'can I report a problem with the website here?',
    // Status questions, the commonest calm message of all, in the words the angry frames use too ("where is my …",
    // "has it shipped"): v2.3's first file scored "Where is my order?" 0.77 because only upset seeds said "where is my".
    'where is my {product} at the moment?', "where's my parcel now, please?", 'could you tell me where my {product} is?', 'where is my order up to?',
    'has {order} shipped yet?', 'has my {product} been sent out?', 'has my parcel left the warehouse?', 'where is my refund up to, please?',
    'is my {product} on its way?', 'where can I see where my parcel is?', 'could you check where {order} is?', 'has my {clothing} been dispatched?',
    'where is my {carrier} parcel right now?', 'has my refund been processed yet?', 'my order says shipped, when will it arrive?', 'where would my parcel be now?',
    // Calm questions in the vocabulary of ultimatums (dispute, chargeback, review, complaint, deadline, cancel), so
    // those words are not learned as anger: the ultimatum is the condition plus the threat, not the topic.
    'how do I dispute a charge on my statement?', 'what is the process if I want to raise a chargeback?', 'what happens if I miss the {carrier} delivery?',
    'is there a form for a formal complaint, or do I just write here?', 'what happens if my card payment fails at checkout?',
    'one more question: does the {product} come with a case?', 'sorry, just one more question about {order}', 'if the {product} arrives after {day}, can I still cancel?',
    'if I cancel today, when is the refund issued?', 'if the parcel is not here by {day}, what are my options?', 'could I cancel {order} if it has not shipped yet?',
    'my bank asked me for an order reference, which number should I give them?', 'do you need anything from me before the refund goes through?',
    'who do I contact about a payment my bank flagged?', 'if it does not fit, can I send it back and get a refund?',
    'does cancelling the order also cancel the payment?', 'I reported a problem yesterday, is there a ticket number?', 'is there a deadline for returns after Christmas?',
    'can I get the refund before {day}, I am travelling after that?', 'will the {amount} come back to the card or as a voucher?',
    // Calm questions with the topic words of the upset frames above (dispute, chargeback, bank, manager, lost, delay,
    // complaint, review, compensation), so the model learns the mood and not the topic.
    'is there a manager I can email about a bulk order?', 'my bank says the refund was sent, how long until it appears?',
    'how do I withdraw a dispute now that the refund has arrived?', 'I opened a chargeback by mistake, how do I cancel it?',
    'where can I read reviews of the {product}?', 'can I edit a review I left last month?', 'what do I do if a parcel is lost in transit?',
    'if a {carrier} parcel is lost, do you resend it or refund it?', 'is there a delay on deliveries to {city} this week?',
    'I saw a delay notice on the website, does it affect {order}?', 'where do I send feedback about the courier, just so it is logged?',
    'how long do complaints usually take to be answered?', 'do you have a complaints email address?',
    'does a manager have to approve refunds over {amount}?', 'what is your policy on refunds when an item is lost?',
    'would a chargeback affect my account with you?', 'can I leave a review without an account?', 'how do I report a lost parcel, is there a form?',
    'my bank card expired, can the refund still go to it?', 'just checking, the refund for {order} was {amount}, right?',
    'is it normal for the tracking to show a delay before customs?', 'who handles disputes about damaged items, you or {carrier}?',
    'could you tell me the status of my complaint reference?', 'how do I send photos for a damage claim?',
    'is a refund possible if I lost the receipt?', 'do you offer compensation for late deliveries as a policy?',
    'can the refund go to a different bank account?', 'what is the deadline to request a refund for {order}?',
    'if I never received the {product}, do I claim with you or {carrier}?', 'can I check whether my complaint from last week was received?',
    'is the delay on the {product} because of stock or the courier?',
    // Calm requests in the everyday words that were only ever in upset rows (box, chat, shop, site, customer service,
    // hours, reply, message, answer, driver, replacement, again, already, still, why, I'm, don't, can't, even, only,
    // really, whole, every …), so those words stop reading as anger: the mood is in how it is said, not in the nouns.
    "I'm moving house next week, can the {product} go to my new address?",
    'the box says 220V, does the {product} work in the US?', 'is the chat open on weekends?',
    "Hello, I'd like to know if the replacement {product} has been sent yet",
    'do the customer service hours change on bank holidays?', 'does the shop in {city} have the {product} in stock?',
    'is the {product} on your site the same model as the one in the shop?',
    "I'm usually a medium, which size of {clothing} would you suggest?",
    "I've just placed {order}, can I still add a second {product}?",
    "the {carrier} driver left a card saying they'll try again {day}, do I need to do anything?",
    'my {product} was delivered to my neighbour, which is fine, I just wanted to let you know',
    'can I get the reply by email instead of here in the chat?',
    'I sent a message about {order} earlier, just checking it reached you',
    "I don't need the gift box, can the {product} come without it?",
    "I can't see where to pick the colour of the {clothing}, where is that option?",
    "I won't be home {day}, can the {carrier} driver leave it with a neighbour?",
    "the {product} isn't for me, it's a present, can you leave the price off the slip?",
    "my {product} doesn't have a UK plug, is there an adapter in the box?",
    "is it only the {clothing} that's on sale, or the whole range?",
    'I really like the {product}, is there a bigger version?', 'do you restock every week or every month?',
    'can anyone else collect the parcel for me if I give them the code?',
    'one further question: is the {product} dishwasher safe?', 'what date will the {product} be back in stock?',
    'will the {product} come in a van or by post?',
    'the order page says three parts, should they all arrive on the same day?',
    'is the second box for {order} coming separately?',
    'this is my third order with you, is there a loyalty discount?',
    "I've ordered from you again, can you use the same address as last time?",
    'I already have an account, do I need to sign up again to use the app?',
    'is {order} still on its way, or should I contact {carrier}?',
    'why does the tracking say "label created"? is that normal for a new order?',
    'why is the {product} cheaper in the app than on the site?',
    'can you let me know when the {clothing} comes back in stock?',
    'should I keep the box in case the {product} needs to go back?',
    'can I keep the old {product} when the replacement comes?',
    'is there a way to fix the strap on the {product} at home?',
    'could someone call me about a larger order for my company?',
    'will the driver call before they come, or just ring the bell?', 'is the online price the same as in your shops?',
    'I ordered online, can I pick it up from the shop in {city}?',
    'is this colour of {clothing} the same as in the photo?',
    'what is the part number of the filter for the {product}?', 'are you sending the invoice by post or by email?',
    'I was told on the phone that I could change the size, how do I do that?',
    'Hello, is the {product} available in {city}?',
    'hello there, how long does a message here usually take to get an answer?',
    'does the {product} work even without wifi?', 'is the whole order coming in one box?',
    'do you send orders out every day, or only on weekdays?',
    'how many hours does the {product} take to charge fully?', 'is this chat answered by people or by a bot?',
    'is {carrier} the only company you use for {city}?', 'can I put my company name on the invoice for {order}?',
    "I'm waiting in for a {carrier} parcel today, can I see the time slot?",
    'no rush, I just wanted to know the expected date for {order}',
    "I've waited for the sale, is the discount on the {product} live yet?",
    'since I moved, my address has changed, can you update it on my account?',
    "I've been a customer since 2019, is there a loyalty scheme?",
    'how many weeks does the made-to-order {product} take?',
    "I'd like to know how long the battery in the {product} lasts", 'is the site down for maintenance tonight?',
    'can you explain how the two-year warranty works?', 'can I make a small change to the address on {order}?',
    'could you tell me the exact size of the box the {product} comes in?',
    'I actually meant to order the {clothing} in navy, can I change it?',
    'is there any way to follow the van on the day?', "I'll be away for a week, can you hold {order} until I'm back?",
    'are the reviews on the site written by real customers?', 'is there a number I can call about {order}?',
    "I'm looking for a {product} for a small flat, which one would you suggest?",
    'I live in {city}, do you send parcels there?', 'what time does your shop in {city} close today?',
    "we're ordering for the office, can we pay by invoice?",
    'they said the {product} would be back soon, is there any news?',
    'how long does the {carrier} driver wait at the door before leaving?', 'can I change the date on {order}?',
    "I'm in no hurry, just wondering roughly when {order} will arrive",
    'could you send your reply to my work email instead?',
    'the message I got says my order is ready, where do I collect it?',
    "I don't mind waiting, can I pre-order the {product}?",
    "I can't remember which email I used, can you find {order} by my postcode?",
    "it doesn't say on the page: is the {product} waterproof?",
    "it isn't urgent, but could you check whether {order} has left the warehouse?",
    "the {product} won't fit in my car, can the van bring it to the door?",
    'only a quick question: is the {clothing} machine washable?',
    'really quick one: can you add a gift message to {order}?',
    "I'd like to buy a second {product} as a gift, can it go to a different address?",
    'is it cheaper per item if I buy three?', 'what happens to the old {product} when the replacement arrives?',
    "I'm getting a new bank card next month, do I need to update it for the subscription?",
    "I just want to check I've put the right address on {order}",
    "I think I've typed my postcode wrong on {order}, can you fix it for me?",
    'everyone in the office wants one, is there a discount for five or more?',
    "I'm writing from my work account, can you reply to this address?", 'is there a choice of date at checkout?',
    'I had the older model, how does the new {product} compare?',
    'I went to the shop in {city} and they were out of my size, can I order it online?',
    "I've used the {product} twice, can I still exchange it?",
    'it came with a manual in German, is there an English one online?',
    'I ordered twice by mistake, could you cancel the second one?',
    "I'd like to sort out the billing address before {order} goes out", 'do you send within two days to {city}?',
    'could you tell me exactly when the sale ends?', "is there an update on {order}? no rush, I know you're busy",
    "I'm messaging again about {order} because I forgot to add a gift note", 'please keep me posted on {order}',
    "I'd rather not get a call, could you text me instead?",
    'how do I get in touch with the {carrier} driver on the day?',
    'what does the service plan for the {product} cover?', 'is there a customer number I should quote when I call?',
    "I'm really sorry, I typed the wrong house number, can you change it?",
    'the {product} is a replacement for one I already have, is the charger the same?',
    'how long does this {product} take to heat up?', 'what is the full price of this {product} without the discount?',
    'could you have a look at {order} and tell me when it goes out?',
    "I'm going to be away {day}, can the parcel wait at the depot?",
    'it took me a while to find the size guide, is this {clothing} true to size?',
    'is this {product} a bit too big for a small kitchen?', 'have you ever had the {product} in green?',
    'at what point does an order stop being editable?',
    'thanks for telling me about the sale, does it include the {clothing}?',
    'how does the {product} feel to hold, is it heavy?',
    'how many times can I wash the {clothing} before the colour fades?',
    "I'd like to order a lot of these for a school, who do I speak to?",
    "could you pass a message to the warehouse to wrap {order}? it's a gift",
    'is there a deal on the {product} if I buy two?', 'is there a senior discount?',
    "I'd like to know how long it takes to put the {product} together",
    'once the order is done, can I still add a note?', 'is the app working today? I want to check my order',
    'does the {product} always come with a warranty card?', 'can I use my own box to send something back?',
    "while I'm here, can I change my email address?", 'the {product} looks very nice, is it easy to clean?',
    'does the {product} have a spare lid?', 'will a small scratch on the box affect the warranty?',
    'is everything packed in one parcel, or several?', 'can I book a time slot for the {carrier} van?',
    'is the half-price offer on the {clothing} still on?', 'one thing I forgot: can you add a gift receipt?',
    'does the battery last longer on the new {product}?', 'can our office order on one account?',
    'if I break the seal, can I still exchange the {product}?',
    'it seems the app logged me out, how do I get back in?', "I'm doing a gift list, can I save items for later?",
    'who knows the most about the {product} there? I have a technical question',
    'is there a simple way to combine two orders?', "I'm asking for my mum: is the {product} easy to set up?",
    'how do I clean the {product} properly?', "there's a code on the box, what is it for?",
    'given the size, will the {product} fit through a letterbox?',
    'is there a way to rate my experience with the chat?', "I'll be in {city} anyway, is there a shop nearby?",
    'is there somewhere I can see all my past orders?', 'the page says almost sold out, how many are left?',
    'if I pay now, when would it arrive then?', 'ok, and then what do I do with the old {product}?',
    'is this the right place to ask about gift cards?', 'does this colour come in a bigger size?',
    'can this be sent to {city}?', 'is this chat the best place for a question about {order}?',
    "unless I'm mistaken, the {clothing} is on sale, is that right?",
    'must I be in when the {product} arrives, or can it be left?',
    'please send the {clothing} in medium, otherwise large is fine',
    'either colour is fine for the {clothing}, whichever is in stock',
    'how do I file a warranty claim for the {product}?', 'is this {product} the newest model?',
    'I am looking for a gift for my dad, would the {product} suit him?',
    'I am in {city} next week, can I collect it there?', 'I am not sure I entered the right email, can you check?',
    'I am happy to pay extra for a faster option, is there one?', 'can I put two items into one parcel?',
    'I added the wrong {clothing} to my basket, can you swap it before it goes?',
    "I'm trying to find the manual for the {product}, is it online?",
    'a few things: what colours, what sizes, and is the {clothing} lined?',
    'what is the maximum load for the {product}?', 'are replies here saved, so I can read them later?',
    "I'm paying by bank transfer, how long does it take to clear?",
    'can you replace just the charger, or do I need a whole new {product}?',
    'is there a proper case for the {product}?', 'are you taking orders for the new {clothing} yet?',
    "I'm calling from abroad, is there an international number?",
    'what happens if the {product} arrives cracked, do I send a photo?',
    'I believe I was charged in euros, is that right?', 'this is my fourth order this year, is there a loyalty code?',
    'is priority post available to {city}?', 'where is the survey link from my last order? happy to fill it in',
    'do you have zero-interest instalments?', 'is the {product} easy to take apart for cleaning?',
    'could you put the {product} aside for me until {day}?', "I'm contacting you about a business account",
    'do you sell baby stuff as well?', 'is the sale price still valid today?',
    'could I place an order by phone today?', 'if I order today, which day would it arrive in {city}?',
  ],
  'mild-complaint': [
    'the {product} came with a cracked handle', 'my {product} is {duration} late now', 'the {carrier} tracking has been stuck on "in transit" for {duration}',
    'I got the {clothing} in the wrong size', "the lid of the {product} doesn't close properly", 'the parcel was left at the wrong house',
    "I still haven't heard back about {order}", "there's a scratch right across the {product}", 'the refund was {amount} short',
    "delivery was meant to be {day} and it didn't show", 'your site took my money but the order page is empty', 'the {product} is much louder than described, not happy',
    'the courier never rang the bell, just left a card', 'part of my order never turned up', 'I had to chase this three times', 'a bit fed up with the delays on {order}',
    'the colour looks nothing like the listing', 'it was sold as new but the box had been opened', 'the {clothing} already has a loose button',
    // Upset and polite at once: courtesy (quick question, can / could you / does, please, thanks) was only ever in calm
    // rows. No refund/return/delivery words in these: those topics are over-taught as anger already. Greetings come from
    // the openers, not the frames ("Come on, Hi, …" reads wrong).
    'the {product} I got has a dent in the side, could you have a look?',
    'could you check {order} please? the {product} came with a cracked lid',
    'please can someone look at this, the {clothing} has a hole in the seam',
    'quick question, why does the {product} smell of burning after a week?',
    'does anyone check the items before they are packed? the {product} has a scratch',
    'can you tell me why nobody answered my email about {order}? a bit annoying',
    "thanks for the reply, but it doesn't answer what I asked",
    'the {product} stopped working after two days, could you help? not great',
    'could you please sort this out, the {clothing} came in the wrong colour',
    "can someone please get back to me about {order}, it's been a while",
    "I'd like to know why the {product} I ordered looks used",
    'I changed my address weeks ago and the old one was used again', "the code you gave me doesn't work either",
    'I was at home all day and nobody came to the door',
    "the price went up the day after I ordered, that's a bit cheeky", 'I added a note to {order} and it was ignored',
    'can you tell me why the {product} came without the charger?',
    'could someone check the stitching? the {clothing} came apart after one wash',
  ],
  disappointment: [
    "I'm really disappointed in how this was handled", 'so let down by the quality',
    'expected a lot better from a shop like yours', 'my daughter was so upset when the {product} arrived broken', 'this used to be my favourite shop, not anymore sadly',
    'sadly the {product} is nothing like the pictures', 'a real shame, the first one was perfect', 'I really hoped it would arrive before the holiday',
    'disheartening to wait {duration} for this', 'I feel let down, to be honest', 'not the experience I hoped for', 'kind of heartbroken, it was a gift',
    // Disappointment that compares with what was hoped for ("expected better", "used to love", a gift spoiled, a
    // recommendation regretted): sad rather than angry, often polite, which the v1 model scored calm.
    'expected better, honestly', 'I used to love this shop, which makes this worse', 'such a letdown after all the good reviews',
    'this was meant to be a birthday present and now it is ruined', 'I was really looking forward to the {product}, what a pity',
    'not what I expected from you at all', 'a bit gutted, if I am honest',
    'I recommended you to my friends, now I feel a bit silly', 'I thought you were better than this', 'really sad to see the quality slip like this',
    'my last three orders were fine, this one is just disappointing', 'it is such a shame, the {product} could have been great',
    'I saved up for the {product} and it is a bit of a disappointment', 'such a pity, I had high hopes', 'I feel a bit cheated, to be honest',
    'this is not the quality I have come to expect from you', 'I was so excited when it shipped, and now this',
    'bit of a downer, the {product} does not do half of what it says',
    'what a disappointment after waiting {duration}', 'sad to say the {clothing} went straight back in the box',
    'pretty underwhelmed by the whole thing',
    'I hoped for a bit more care with a {amount} order',
    // Upset and polite (see mild-complaint above).
    'thanks, but honestly I expected more from the {product}',
    'can I just say how disappointed I am with the {product}',
    'I have to say the {clothing} was a real letdown, please pass that on',
    'sadly the {product} does not live up to the description, could you tell the team?',
    'could you pass this on: the quality has gone downhill, which is a shame',
    "please don't take this the wrong way, but the {product} is a disappointment",
    'does the {product} always feel this flimsy? I hoped for better',
    'quick question, is this really the same {product} as in the photos? a bit of a letdown',
    "thanks for trying, but I'm still disappointed with how {order} went",
    'can you imagine how sad it is to open a present and find it cracked?',
    'I usually love your stuff, but this time the price was not worth it',
    "I'd rather not say what I think of the {product}",
    'made in a hurry, by the look of it, the {product} is coming apart',
    'I expected the new model to be better than the old one, sadly not',
    'can I be honest? the {product} is not worth {amount}',
    'does nobody test these before selling them? such a shame', 'could the {clothing} be any thinner? disappointing',
  ],
  resignation: [
    'never mind then', "fine, I'll stop asking", "I can't be bothered anymore", 'you know what, keep it',
    "I'm not going to chase this any further", "doesn't look like it's ever getting fixed", "I suppose I'll just order elsewhere next time",
    'nothing I can do I guess', "I've given up on the {product}", 'forget the refund, not worth my time',
    "I'll just write off the {amount}", "no point, is there", "alright, I'll just wait forever then", 'not like anyone is reading this anyway',
    // Resignation in low energy: giving up, "not worth the hassle", buying elsewhere, writing off the money, trailing
    // off. No anger word anywhere; the model has to hear the withdrawal itself.
    'I give up on getting a straight answer here', 'not worth the hassle, honestly',
    "I'll just buy it somewhere else", 'I have stopped checking the tracking, whatever happens happens',
    'fine. keep the {amount}, I am tired', 'too tired to argue about the {product} anymore',
    'i dont even care anymore tbh', "there's no point complaining here, is there", 'ok I guess I will just wait another week then',
    "I'll stop wasting both our time", 'no, leave it, I already bought one somewhere else',
    'I have stopped expecting the {product} to arrive', "I'll let it go, I suppose", "I don't have the energy to chase {order} again",
    'meh. do whatever you want with the refund', "honestly I'll just eat the cost", 'oh well, lesson learned',
    'sure, another week, why not, what difference does it make', "i'll just leave it there. thanks anyway i guess",
    "ok then, I just won't order from here again, no big deal",
    'I have written off the {product} at this point', 'you win, I will stop messaging',
    'so that is it then, nothing more you can do', 'I was going to complain but what is the point',
    // Upset and polite (see mild-complaint above).
    "ok thanks, I'll just leave it then",
    "please don't bother, I've given up on {order}", "could you just cancel it, I'm tired of chasing",
    'could you not bother? I will deal with the {product} on my own',
    'does it even matter at this point? fine, leave it', "quick question... actually, forget it, it's not worth it",
    "thanks, I suppose I'll just keep waiting then", "can we just drop it, I don't have the energy for this",
    "please just forget about {order}, I've moved on", "I think I'll just use another shop from now on",
    "I'd change the order, but honestly, why bother", 'no, I should have known better, leave it',
    "I've stopped trying to change the address, it's fine, whatever",
    "can you just mark it as solved, I've stopped caring", "does it matter? I'll live without the {product}",
  ],
  sarcasm: [
    'oh wonderful, my {product} is touring the country with {carrier}', 'amazing, {duration} and it\'s still "processing"', 'thanks a lot for the broken {product}, just what I wanted',
    'lovely, another email that says nothing', 'so glad I paid for express delivery 🙄', 'great job {carrier}, delivered to the wrong city', 'awesome, the refund is "on its way" again',
    'really impressive, you managed to lose two parcels', 'sure, I totally enjoy repeating myself', 'oh how convenient, the chat closes right when I need it',
    'just perfect, the {product} leaks', 'top service as always 👍 still nothing', 'can\'t wait to receive it next Christmas', 'what a treat, a third "sorry for the inconvenience"',
    'brilliant, the {carrier} driver left my {product} in the rain, ten out of ten', 'oh great, a refund that takes longer than the delivery did',
    "wow, {duration} for a reply, you're really on top of things", 'superb, replacement number two has the exact same fault',
    'nice touch charging me twice for one {product}', 'oh sure, "dispatched within 24 hours", I believe you', 'thanks for nothing, truly stellar support',
    'such a pleasure being put on hold for an hour', "excellent, now the app won't even load my order",
    // Praise about a delay, a loss, a charge or a non-answer: the event carries the meaning, not the praise word.
    'superb, yet another missed delivery window', 'marvellous, the {product} is lost again', 'gee thanks, a second wrong {clothing}', 'terrific, charged {amount} for nothing',
    'lovely, {duration} of "we are looking into it"', 'well done {carrier}, the box looks like it was stood on', 'great stuff, the refund bounced back again',
    'so nice of you to cancel my order without telling me', 'oh fantastic, the voucher expired while I waited on you', 'love waking up to another "delivery failed" text',
    'cool cool cool, still no {product}', 'amazing how the {carrier} van drove past my house twice', 'really loving the third week of waiting',
    'perfect timing, the {product} arrived the day after the party', 'wow, a whole {amount} refunded as a voucher, how generous', 'good to know my complaint went straight in the bin',
    'thanks ever so much for the automated reply number four', 'nice, the "24h dispatch" took {duration}', 'oh joy, the replacement is on back order now',
    'impressive, the {product} broke before I even plugged it in', 'glad to see the tracking number leads nowhere', 'stellar work losing my return parcel',
    'what a surprise, delayed again', 'love that I have to pay postage to return your mistake', 'awesome, another week added to the delivery date',
    'best customer service ever, nobody has answered in {duration}', 'so happy I waited in all day for nothing', 'great, the {carrier} driver marked it as refused',
    'wonderful, the {product} is stuck in customs again', 'love it, a fourth week with no update', 'brilliant, the refund form crashed again',
    'oh lovely, another "we apologise for the delay"', 'thank you so much for the {duration} delay', 'great, the courier lost it again',
    'perfect, still no reply after {duration}', 'love how every answer is a copy-paste', 'fantastic, another missed delivery on {day}',
    'really helpful, the link in your email is broken',
    // Praise said of a failure, in more shapes: thanks/praise word + a concrete lapse (wait, loss, double charge, silence).
    'oh brilliant, {duration} and the tracking still says "label created"', 'so grateful to be charged {amount} for a {product} that never came',
    'wow, what speed, the {carrier} parcel has moved zero miles since {day}', 'fabulous, the replacement {clothing} is the same wrong size',
    'honestly impressive how nobody can find {order}', 'love the consistency, every delivery late', 'great, so the {amount} refund is now a {duration} wait',
    'thanks so much for cancelling my order the day before the trip', 'lovely customer journey: pay, wait, get ignored', 'outstanding, three chats and three different answers',
    'wonderful, the {product} came in pieces, very artistic', 'so pleased my {product} is enjoying a holiday in a depot in {city}',
    'nothing says quality like a {product} with no power cable', 'the best part is being told to wait another {duration}',
    // Sarcasm in the shapes people actually use: "thanks for" + the lapse, "love/adore how", "so glad", mock
    // admiration and congratulations, "10/10", "really nailing it", "can't wait" said of a delay, "what a shock" /
    // "who could have guessed", and ironic questions ("is the parcel walking here?"). The lapse carries the meaning.
    'thanks for losing my parcel, really appreciate it', 'thank you for the lovely surprise of an empty box',
    'thanks for keeping me on hold long enough to finish a book', 'adore how the delivery date moves every time I check',
    'I just love how "next day delivery" turned into a week and a half', 'so glad I picked you over the other shop, really',
    'wow, my refund only took a month, record time', 'great, the {product} works perfectly as a paperweight',
    'brilliant idea sending my {clothing} to {city}, I live nowhere near there',
    'amazing, you found a way to break a {product} that was still in its box', 'what a shock, {order} is delayed',
    'who could have guessed, the tracking says "exception" again', '10/10 experience, would wait three weeks again',
    'really nailing it today, wrong item and then a wrong refund', "can't wait for my {product} to show up sometime next year",
    'oh, shocking, nobody replied to my email', 'how thoughtful of {carrier} to leave my {product} on top of the bins',
    'what a wonderful way to spend my day off, waiting for a van that never came', 'truly, your customer service is second to none. none at all',
    'I must congratulate you, that is the fourth wrong order in a row', 'bravo, you managed to send me the same broken {product} back',
    'my compliments to whoever packed this {product}, it rattles', 'so is the {product} coming by carrier pigeon or what',
    'is the parcel walking here on its own?', 'should I just move to {city}, since that seems to be where my parcel lives?',
    'wow, incredible, the "priority" shipping is slower than the free one', 'oh great, an email telling me my {product} is delivered. it is not.',
    'fantastic work on the refund, only took three reminders', 'love that your "quick" survey is longer than your answer was',
    'gotta love paying {amount} to be ignored', 'so happy to be your unpaid product tester, the {product} leaks',
    "delighted to hear \"it's with the warehouse\" for the fifth time", "oh, another \"we value your patience\", I'm so touched",
    'another week, another delay, you guys never disappoint', 'well that went brilliantly, second {product} and second crack',
    'nice to know my order number means absolutely nothing to you', 'lol amazing, the chat bot just told me to contact the chat',
    'yeah, I totally believe it will come "soon" this time', 'oh of course, it was in stock right up until I paid',
    'such efficient service, my {product} has been "out for delivery" for a week',
    'thanks heaps, the {clothing} is two sizes too small, very flattering', 'how lucky am I, a second delivery fee for your mistake',
    'wow, you really outdid yourselves: wrong colour, wrong size, wrong address',
    'what a pleasant surprise, another {amount} charge I never agreed to',
    // Upset and polite (see mild-complaint above).
    'can you check whether my {product} has become a family heirloom in your warehouse yet?',
    'quick question: does anyone there actually read these messages?',
    'could you please tell me which century the {product} is planned for?',
    'can I book a holiday while I wait for {order}? seems I have the time',
    'good morning to another day of waiting for the {product}, still loving it',
    'please, do tell me again how "your satisfaction is our priority"',
    'does the {product} come with a free lesson in patience? because that is what I am getting',
    'thanks for the update that says nothing, really helpful',
    'can you lose my next order too, just to keep things consistent?', 'instead of an answer I got a survey, lovely',
    'no news about {order}, as usual, brilliant', 'what a lovely surprise, the {product} I ordered is the old model',
    'is it normal that nobody replies? because it feels so normal', 'can I get a medal for waiting this long?',
    'does your team get paid per apology?', 'could you send another automated message? I collect them',
  ],
  anger: [
    'this is outrageous', "I'm fuming, where is my {product}", 'absolutely pathetic service', "nobody here has a clue what they're doing", "I'm so angry I could scream",
    'how many times do I have to explain this?!', 'stop ignoring me', 'this is theft, you took my {amount}', 'EVERY TIME the same thing', "I've had enough of your excuses",
    'your company is a total shambles', 'sort it out NOW', "don't you dare tell me to wait again", 'this is the third broken {product}, are you serious', 'absolutely livid about {order}',
    // Anger in more shapes than exclamations: rhetorical questions ("how is it possible…", "what exactly am I paying
    // for"), exasperation ("beyond a joke", "are you kidding me"), blunt accusations, swearing-light, and fury in
    // lowercase with no caps or "!!" at all, so the model does not learn anger as punctuation.
    'how is it possible that nobody knows where {order} is?', 'what exactly am I paying for here?',
    'what exactly did I pay {amount} for if nothing ever arrives?',
    'are you kidding me? the {product} is broken AGAIN', 'what the hell is going on with {order}', 'what the hell, you charged me twice',
    'you people are useless, genuinely useless', 'you lied to me. you said it shipped and it never did', 'do you even read what I write?',
    'is anyone actually working there or is it all bots', 'I am absolutely sick of this company',
    'unbelievable, I paid {amount} for a {product} that does not even turn on',
    'every single message I get from you is a lie',
    'I am furious. {order} was supposed to be here last week',
    'who on earth trained your {carrier} drivers, they threw my {product} over the fence',
    'another "we are sorry"? I do not want sorry, I want my {product}', 'what kind of shop takes the money and then goes silent',
    'i am so done with this. so done', 'this is a scam and you know it',
    'no, I will not calm down, you lost my {product}', "don't \"dear customer\" me, fix it",
    'are you actually incapable of sending the right {clothing}?', 'I have never been treated this badly by any shop',
    'the worst company I have ever dealt with, by miles', 'are you seriously telling me it is my fault the {carrier} driver lost it?',
    'you keep saying "escalated" and nothing happens, what a load of rubbish', 'enough of the scripted replies, I am livid',
    'why the hell would you ship a {product} in a paper bag', 'i am so angry right now i cant even type properly',
    'three weeks. THREE WEEKS. and still no {product}', 'how hard can it be to put a {product} in a box and post it?',
    'ridiculous. utterly ridiculous. where is my refund', 'i am literally shaking, the second {product} arrived smashed too',
    'you have the nerve to ask me to wait another week?',
    'honestly what is the point of this chat if nobody helps', 'I paid for next-day delivery and I have been waiting {duration}, explain that',
    'you took my {amount} and then just vanished',
    // Upset and polite (see mild-complaint above).
    'can someone explain why my {product} is STILL not here after {duration}?',
    'can you please stop sending me the same useless message?', 'could you for once give me a straight answer?',
    "is anyone there? hello? I've asked three times and nobody answers, this is ridiculous",
    'please stop telling me to be patient, I am furious', 'does anyone there care at all? this is a disgrace',
    'can I talk to someone who knows what they are doing? I am so angry', 'thanks for nothing, honestly appalling',
    "could you explain how a {product} can break twice in a week? I'm livid",
    'I am absolutely fed up with {order}, please could someone senior look at it',
    'quick question: why is it impossible to get a straight answer from you?',
    'should I really have to phone three times about {order}?', 'how long should it take to get a straight answer?',
    "I'd rather speak to someone who can actually help",
    'try to remember that I have asked about {order} three times now',
    'I received the wrong model and now you want me to wait again?',
    'can anyone give me a real answer, or is that too much to ask?',
    'could you stop closing my ticket without fixing it?',
  ],
  'demand-ultimatum': [
    "I'll be filing a dispute with PayPal", "refund me in full by {day} or I'm calling my lawyer", "I'm going to report this to consumer protection", 'I want my {amount} back today',
    'close my account and return every penny', 'expect a very public review about this', "I'm raising a claim with my card issuer", "fix this by {day} or I'll reverse the payment",
    "I'm done with this shop, I won't buy here again", 'escalate this or I escalate it myself', "I'll be telling everyone to avoid you", 'consider this my formal complaint',
    'refund plus compensation, nothing less', 'I am opening a case with {carrier} and my bank',
    "send my {amount} back by {day} or I'm disputing the charge", 'I expect the full refund within 24 hours, otherwise my solicitor takes over',
    "put the money back on my card right now or I'm going to the ombudsman", "every forum I post on will hear how this shop treats people",
    'refund me today or I report the whole shop to trading standards', "I've had it, the money back NOW or I call my bank",
    "this is ridiculous!! return my {amount} by {day} or you'll hear from my lawyer", 'never again, I want every cent refunded',
    "I'm contacting the BBB and posting this on every forum", 'cancel the order and refund me immediately, or I go to the small claims court',
    'either the refund arrives {day} or I file a chargeback', "I'll make sure nobody I know ever buys from you again",
    "enough of the runaround, refund me or I'm reporting you to the regulator", 'you have until {day} to pay me back, then I take legal action',
    // Ultimatums without shouting: a deadline plus a consequence, or a final demand.
    'refund the {amount} by {day}, or the bank gets involved', 'unless the {product} is replaced by {day} I am cancelling the card payment',
    'I want a full refund for {order}, and I want it now', 'give me back my money, I have waited {duration}', 'this is your last chance to fix {order} before I go to the ombudsman',
    'sort out my refund by {day} or I will take this to small claims', 'I demand a refund and compensation for {duration} of waiting',
    'cancel {order} and return my {amount} immediately', 'if the money is not back by {day} I am reporting you to trading standards',
    'I am not asking again: refund {order}', 'pay me back or I will post this everywhere', 'I have screenshots and I will share them unless you refund me',
    'I will be contacting my card provider to reverse the {amount} today', 'if nobody fixes this by {day} I will never shop here again',
    'return my money today, that is the only acceptable answer',
    'stop stalling and process my refund right now', 'I am formally requesting a refund and an apology in writing', 'either you refund me or I file a complaint with the regulator',
    'refund or I chargeback, your choice', 'deadline is {day}: money back or I report you',
    // Conditional ultimatums in plain words: a condition (if / unless / or / otherwise / by {day}) and a consequence
    // (dispute, chargeback, regulator, review, never again). No shouting, no strong word: the shape carries it.
    "if my refund isn't here by {day}, I'm disputing it with my bank", "if {order} isn't sorted by {day} I'll report you to trading standards",
    "if nobody replies by {day}, I'm going to the BBB", 'if the {amount} is not back this week I will raise a chargeback',
    "unless I hear back by {day}, you'll be reading about this in my review", "if this happens again I'm closing my account for good",
    'if the {product} is not replaced, I am going to the ombudsman', "if I don't get my money back, this is the last time I order from you",
    "either ship the {product} by {day} or cancel and refund it, otherwise I'm calling my card company",
    "replace it or refund it, or I dispute the charge", "cancel it or I chargeback, simple as that", "get this fixed or I'll leave reviews on every site",
    'refund me by {day}, otherwise I report this to the regulator', 'this is the last time I order from you unless the refund comes today',
    "give me a refund, or I'll file a complaint with the consumer ombudsman", 'no more excuses: refund today or I go straight to my bank',
    "you've got until {day}, after that it's a chargeback", "if I have to chase this again I'm reporting the shop",
    "if the courier doesn't bring it by {day} I'm cancelling and disputing the {amount}", "sort out {order} or I'm telling everyone I know to shop elsewhere",
    'if you cannot refund me I will go to small claims court', 'I will report you to consumer protection if {order} is not refunded by {day}',
    'refund or I post the whole chat online', 'Trustpilot is getting the full story unless this is fixed {day}',
    "you're getting one star from me on every review site if {order} isn't refunded", 'keep ignoring me and the reviews will say exactly that',
    // Review threats: the consequence alone is the ultimatum, with or without a condition.
    'Google reviews will hear about this tonight', "I'm rating this shop zero stars wherever they let me", 'expect a scathing review on Trustpilot',
    'every review site is getting this story with screenshots', 'my review will warn people to stay away', "one star, and I'm naming the courier too", "if this isn't resolved by {day}, expect a chargeback and a one-star review",
    // Demands and ultimatums in the formal register, without strong words: "I expect / I insist / I demand", deadlines,
    // "last chance", card company, ombudsman, small claims, social media, closing the account, and refusing a voucher.
    // A complaint-letter tone is as upset as a shout; the model should hear it without "!!" or capitals.
    'if the {amount} is not refunded by {day}, I am disputing it with my card company', 'I expect a full refund for {order} by {day}',
    'I insist on a full refund, the {product} arrived unusable', 'I demand that {order} is refunded in full, delivery included',
    'I want the replacement sent out today, not next week', 'you leave me no choice but to file a chargeback',
    'consider this your last chance before I contact my bank', 'I will be raising this with the financial ombudsman unless it is resolved by {day}',
    'if I do not get a proper answer by {day}, I will take you to small claims', 'my bank is ready to reverse the payment, I only need to tell them',
    'I will be posting this whole chat on social media if this carries on',
    'please treat this message as a formal complaint under your complaints procedure', 'I am giving you until {day} to put this right',
    'either the {product} is here by {day} or I want every penny back', 'I expect compensation for all the time I have wasted on {order}',
    'my card company hears about this unless the refund lands by {day}', 'close my account and delete my details, I am never ordering again',
    'I want a refund, not a voucher, and I want it now', 'refund the delivery charge or I cancel the whole order',
    'no more "we will look into it": refund me or I go to the regulator', 'I will not accept another delay. refund {order} by {day}',
    'if the replacement is faulty too, I am reporting you to trading standards', 'my next message will be to my solicitor',
    'if the {carrier} claim is not settled by {day}, I will charge back the lot',
    'put it in writing that I get my {amount} back, or I go to the bank', 'I expect a call back today, otherwise this goes to the ombudsman',
    'unless someone senior contacts me by {day}, I am taking this further', 'I am reporting this to the consumer council tomorrow morning',
    'final request: refund {order} in full', 'do it today or I will review you on every site that will have me',
    'my complaint with the card company stays open until I am refunded', 'if I am not refunded within 48 hours I am starting a small claims case',
    'I want my money back. not store credit, not a voucher, my money.', 'this goes on Twitter and TikTok with your shop name unless you fix it',
    'I will cancel every order I have with you and tell my friends why', 'i want the refund processed today, thats not negotiable',
    'one last time: send the right {clothing} or refund me, today', 'I will be lodging a formal complaint and copying in the regulator',
    'if you close this chat without a refund I am going straight to my bank',
    'I require a full refund of {amount} within seven days of this message', 'I expect this escalated to a supervisor and resolved by {day}',
    // Upset and polite (see mild-complaint above).
    'please escalate {order} today or I will file a chargeback',
    "could you put me through to a manager, otherwise I'm going to the ombudsman",
    'I want this resolved by {day}, please, or I will dispute the {amount} with my bank',
    "thanks, but unless someone senior calls me by {day}, I'm taking this to trading standards",
    'please cancel {order} today, or the bank hears about it',
    'could you pass this to your complaints team: fix it by {day} or I leave a one-star review',
    'thanks, but this is my last message before I contact my card company',
    'does anyone there want to deal with this before I post it on every review site?',
    "can you replace the {product} by {day}? if not, it's a chargeback",
    'please note: if I hear nothing by {day} I am going to the regulator',
    "I'd like a proper answer about {order} today, please, or I go to the regulator",
    "should {order} not be sorted by {day}, I'll cancel the card payment",
    'if I have to phone again, I am filing a formal complaint',
    "change the {clothing} for the right size by {day} or I'll dispute it",
    'I think I have been patient enough: fix {order} by {day}',
    "can you get a manager to call me by {day}? if not, I'm filing a complaint with my bank",
    'could you make sure this is fixed by {day}, or I go to small claims',
  ],
  'thanks-relief': [
    'cheers, that did the trick', 'amazing, thank you!', 'that fixed it, much appreciated', 'great, I can see the refund now', 'thanks a million',
    'all sorted, thank you for your patience', 'oh good, the {product} turned up', "that's brilliant news, thanks",
    'many thanks for sorting it so quickly', 'relieved to hear that, thanks', 'thank you, have a nice day', 'perfect, that is all I needed',
    // Relief after a problem ("finally", "phew", "was worried", the dispute withdrawn): label 0 although the words of
    // the problem are in the message.
    'finally, the {product} arrived, thank you', 'phew, the refund is showing now', 'I was worried it was lost, thanks for finding it',
    'oh thank goodness, it turned up', 'finally sorted, thanks for sticking with it', "phew, that's a relief, thanks",
    'I was worried I would miss the weekend, thanks for rushing it', 'great, so no chargeback needed then, thanks',
    "thanks, I'll withdraw the dispute with my bank now", 'what a relief, the {clothing} fits perfectly',
    'finally got the refund, appreciate your help', 'thank you for resolving the complaint so quickly',
    "happy to update my review now that it's sorted", 'phew, I thought the {amount} was gone for good', 'finally here, and it works, thanks so much',
    // Relief in the same everyday words (van, driver, replacement, reply, already, again).
    'good, so the van comes in the morning then, thanks', 'great, the driver just called, all sorted',
    'perfect, the replacement came this morning, thanks again', "ok, I'll wait for your reply by email, thank you",
    'brilliant, that answers my question, have a good day', 'lovely, the {product} is already here, thanks',
  ],
};

const ZH: Record<SeedCategory, readonly string[]> = {
  'neutral-request': [
    '想了解一下{product}怎么保养', '{product}能开增值税发票吗', '请问{carrier}到{city}一般几天', '我买的{product}想退，流程是怎样的', '申请售后在哪个页面',
    '退回的运费能报销吗', '{product}支持以旧换新吗', '请帮我把{order}的收货人改成我同事', '下单的时候忘记填发票信息了，还能补开吗', '请问退款会退到余额还是银行卡',
    '可以用云闪付吗', '有没有满减活动', '{product}的尺寸是多少', '{product}适合几岁的孩子用', '能不能晚几天再发货', '快递能放快递柜吗',
    '我的包裹显示派送中，大概什么时候送到', '售后电话是多少', '可以备注送货前打电话吗', '收货地址写错了一个字，能改一下吗', '{order}这个单还没付款，能帮我保留一下吗',
    '请问这个链接里的{product}是正品吗', '换货的话需要我先寄回吗', '退款到账会有短信提醒吗', '退货用{carrier}寄可以吗', '退货要自己先垫付运费吗',
    '{product}坏了能保修吗', '申请退款后还要做什么', '发票能开成个人的吗', '可以先开发票再付款吗', '{product}什么时候到货', '还能买到{product}吗',
    '我的{order}显示已发货，单号在哪看', '这个优惠券怎么领', '请问{city}有门店可以自提吗', '{product}可以用花呗分期吗', '微信能付款吗', '怎么查我的退货进度',
    '能帮我把两个订单一起发吗', '退货的时候赠品也要寄回吗', '我想申请换货，麻烦告诉我步骤', '登录的验证码收不到，怎么办', '怎么把账号换绑到新手机',
    '麻烦帮我看下{order}发了没有', '麻烦问下{product}有没有现货', '麻烦把发票抬头改成公司名称', '麻烦帮我备注一下周末再送', '麻烦发一下退货地址',
    '请问{product}保修多久', '请问可以开专票吗', '请问退货寄到哪里', '请问换尺码要多久', '请问{carrier}能送到{city}吗',
    '您好，我想确认一下{order}的收货地址', '您好，{product}能不能开发票', '亲，这个{product}还有别的颜色吗', '亲，{product}什么时候能发', '亲，可以帮我改一下收货电话吗',
    '麻烦您查一下我的退款到哪一步了', '麻烦核对一下这个订单的金额', '请问能用银行卡付款吗',
    '申请退款要填什么原因', '没拆封的{product}可以退款吗', '怎么操作退款比较快', '部分退款怎么申请',
    // The topic words of demands (退款, 退货) in plain questions, so the demand seeds teach the demand, not the topic.
    '退款申请提交了，大概多久处理', '请问怎么申请退货退款', '我想退货，请问要怎么操作', '退的钱会回到付款的那张卡上吗', '怎么申请仅退款',
    '我要退这个{product}，怎么弄', '我想申请退款，在哪里点', '退款要多久', '我想把{product}退了', '退货退款的入口在哪',
    // 投诉/12315/消协/拒付/差评 出现在平静的提问里：要学的是“否则……就……”的威胁，不是话题。
    '请问投诉建议在哪里提交', '想给{product}写个评价，在哪里写', '信用卡账单上有一笔不认识的扣款，怎么查是不是你们的', '如果{day}之前到不了，还能取消订单吗',
    '如果不合适的话可以退吗', '取消订单以后钱多久退回来', '请问售后工单号在哪看', '我想评价一下这次的客服，有没有入口', '如果快递丢了，一般怎么处理',
    '要是{product}有质量问题，保修怎么走', '银行那边让我提供订单号，给哪个号', '退款申请被驳回了，我还能再申请一次吗', '平台介入一般要几天',
    '请问你们的营业执照在哪里能看到', '如果{day}还没发货，可以帮我取消吗', '我想修改一下之前写的评价，可以吗',
    // 平静的提问里用上面那些不满话语的话题词（投诉、退款、差评、拒付、经理、延迟、丢件、银行、赔付），学的是情绪不是话题。
    '请问投诉一般多久有回复', '我想问下怎么撤销之前的投诉', '差评可以改成好评吗', '追评在哪里写', '如果申请了拒付，订单会怎么样', '银行要商家提供退款凭证，能发我一份吗', '请问延迟发货有补偿吗', '快递显示延迟了，我需要做什么吗',
    '如果包裹丢件了，是重新发还是退款', '丢件的话要走什么流程', '请问可以找经理确认一下团购价格吗', '退款是原路退回吗', '退款到账了我在哪里查', '请问退款金额是{amount}对吗', '投诉和售后是同一个入口吗', '信用卡退款一般要几天',
    '我想给快递员一个好评，怎么操作', '订单延迟的话可以改地址吗', '申请仅退款需要上传照片吗', '如果{product}在路上丢了，谁负责', '请问{carrier}丢件怎么理赔', '退款申请能撤回吗', '银行卡换了，退款会退到哪里', '评价晒图有返现吗',
    '平台介入后多久有结果', '发票丢了能补开吗', '想查一下我之前提交的售后单进度', '请问赔付的钱会打到哪里', '如果拒收，退款多久到', '客服经理的工作时间是几点到几点',
    // 平静的提问里用上原来只出现在不满话语里的日常词（今天、现在、一直、物流、服务、星期、个月、直接、真的、说好、本来、
    // 买了、到手、要求、答复、最后、前面、说一下、等了、问了、第一、以前、没人、有人、这样、必须、我就、给我、你们），
    // 这些词说的是话题，不是情绪。
    '今天下单的话现在能发吗', '物流一直显示在{city}，是正常的吗', '我就想问一下{product}保修多久',
    '给我发个{carrier}单号可以吗', '我就是想确认一下{order}的收货地址对不对', '你们今天几点下班',
    '现在下单{day}能到{city}吗', '物流信息在哪里看', '你们一般用什么物流',
    '{product}一直亮红灯是什么意思，需要充电吗', '售后服务是全国联保吗', '你们的服务时间是几点到几点',
    '这个星期还会补货吗', '{product}下个星期有活动吗', '{product}保修是几个月', '一个月内可以换货吗',
    '可以直接去{city}的门店取货吗', '能不能直接发到我公司', '{product}真的是防水的吗',
    '之前说好的赠品是跟{product}一起发吗', '本来想买{product}，想问一下有没有更大的尺寸',
    '我本来填的是{city}的地址，现在想改一下', '上个月买了{product}，现在还能开发票吗',
    '我买了两件{clothing}，能一起发吗', '这单花了{amount}，能开电子发票吗',
    '{product}到手以后需要先充电吗', '{product}的到手价是多少', '开发票有什么要求吗，需要提供税号吗',
    '我有个小要求，能把{product}包成礼物吗', '我昨天留了言，大概什么时候能收到答复',
    '最后一个问题，{product}有中文说明书吗', '最后想确认一下，{order}是{day}到吗',
    '前面忘了问，{product}有几种颜色', '我前面下的那单能和这单一起发吗', '我想说一下，收货时间最好是{day}',
    '麻烦说一下{product}的尺寸和重量', '等了一会儿没收到验证码，能再发一次吗',
    '我问了一下朋友，他说你们有学生优惠，是真的吗', '我两次下单用的是不同的地址，没问题吧', '第一次在你们家买，怎么注册会员',
    '第一次用花呗，怎么分期', '以前买过{product}，这次能用以前的地址吗', '晚上家里没人，{carrier}可以放门卫吗',
    '白天家里没人，可以{day}再送吗', '有人在线吗？想咨询一下{product}', '我不在家的话让家里有人代收可以吗',
    '这样下单的话还能用优惠券吗', '地址这样填，{carrier}能送到吗', '必须本人签收吗', '必须实名认证才能买吗',
    '我就在{city}，能当天送到吗', '就是这个{product}，有白色的吗', '给我推荐一款适合送人的{product}吧',
    '能给我看一下{product}的实拍图吗', '你们家的{product}是哪里生产的', '你们是官方旗舰店吗',
    '你们周末也发货吗', '我不太会用优惠券，能教一下吗', '{product}也不用自己安装吧',
    '我等一下再付款，能先帮我留着吗', '是这样的，我想给{order}再加一件{clothing}', '现在还能改收货地址吗',
    '顾客自提的话几点可以来', '我不想要纸质发票，可以只开电子的吗', '跟你确认一下，{day}能送到吗',
    '刚才说了地址，麻烦再确认一下', '不要塑料袋包装可以吗', '我已经付款了，大概什么时候发',
    '我已经注册会员了，会员折扣怎么用', '我会在{day}前付款，能先帮我锁单吗', '那个{product}还有吗',
    '想说一下我的尺码，身高165，体重50公斤', '能帮我看一下这个地址写得对不对吗', '好几个颜色都喜欢，能混着买吗',
    '这种{product}适合小户型用吗', '{product}口碑很好，是正品吧', '很期待新品，什么时候上架',
    '说不清楚是什么颜色，能发张实物图吗', '我也想要一件{clothing}，还有库存吗', '随便哪个颜色都行，哪个有现货就发哪个',
    '我去了你们{city}的门店，店员说网上有货，是吗', '你们一天能发几次货', '不知道选哪个尺码，能帮我推荐一下吗',
    '这是我的订单号{order}，帮我查一下进度', '能把我的手机号改成新的吗', '三天内能到{city}吗',
    '新的{product}和旧款有什么区别', '{amount}的那款和贵一点的有什么区别', '这周能发货吗',
    '后天能到{city}吗', '我要出差{duration}，能晚点再送吗', '预售的{product}要等{duration}吗',
    '{product}充一次电能用{duration}吗', '你们的客服服务是全天的吗', '能帮我解决一下发票抬头的问题吗',
    '发票的问题解决了吗？我再确认一下', '我要求开专票，需要提供什么资料', '现在是什么状态，物流有更新吗',
    '物流单号给我发一下', '直接拍就可以了吗，还是要先联系客服', '我就要一件，也能包邮吗', '星期几发货',
    '这个星期天有人送货吗', '三个月内坏了可以换吗', '要是买了两件，能分开寄吗', '你们说好的{day}发，现在还是这个时间吗',
    '这件{clothing}会不会有点大', '{product}有点重吗，老人能用吗', '不然我换个颜色吧，白色有货吗',
    '需要本人签收吗？否则能放门卫吗', '能给个发票抬头的模板吗', '我都没用过{product}，能教一下怎么用吗',
    '这是我第三次买了，有老顾客优惠吗', '这么大的{product}能寄到{city}吗',
    '为什么{product}在App上的价格不一样', '为什么我的订单显示“待审核”，是什么意思',
    '不过我想先问一下，{product}有保修吗', '能帮我在贺卡上写一句生日快乐吗', '我还不确定地址，能先下单吗',
    '如果出问题了，是找你们还是找厂家', '{product}坏了就找你们售后吗', '那我就去门店自提吧，几点开门',
    '如果收到坏的怎么办', '可以让人代收吗', '麻烦再说一遍地址，我记一下', '我说下我的地址，你们记一下',
    '麻烦你们帮我备注一下，周末送', '麻烦看一下我的订单是不是已经付款成功了', '好吧，那我就选黑色的',
    '就这个{product}吧，怎么下单', '你们处理发票一般要几天', '请问{order}处理到哪一步了',
    '说真的，这两个颜色哪个更好看', '这个{product}真是{city}发货的吗', '订单已经付款三天了，一般几天发货',
    '我问了三个问题，麻烦一起回答一下', '我把{product}加入购物车很久了，现在还有优惠吗',
    '麻烦帮我转告一下仓库，{product}要包严实点，是送人的', '这个问题我再确认一下：{product}能用110V吗',
    '{product}用了一段时间，想买个替换的配件，有卖吗', '有空的时候回我一下就行，不着急',
    '{product}的做工怎么样，耐用吗', '收到的发票是电子版的吗', '我下午在家，能下午送吗',
    '{product}描述里写的尺寸包括包装吗', '能解释一下这个优惠是怎么算的吗',
    '想体验一下{product}，{city}有线下体验店吗', '过年期间还发货吗', '你们的回复速度一般是多久',
    '能让我先看看实物图再付款吗', '查询结果显示已签收，是放驿站了吗', '认真问一下，{product}和专柜的是一样的吗',
    '{amount}的套餐包含什么', '{day}之前下单的话，什么时候能到', '我找了半天没找到发票入口，在哪里',
    '这两款都不带电池吗', '{carrier}今天几点来取件', '今天付款的话今天能发吗', '今天有满减活动吗',
    '今天是优惠的最后一天吗', '我一直用你们家的{product}，这次想换个大号', '页面一直在加载，是不是要换个浏览器',
  ],
  'mild-complaint': [
    '{product}到手发现有个小裂缝', '{carrier}的物流{duration}都没动静', '包装破了，里面的{product}也有点变形', '发的型号和我下单的不一样', '怎么到现在还显示待发货',
    '{product}用了{duration}就出毛病了', '快递员没打电话就显示签收了', '退款少退了{amount}', '问了两次了都没人回我', '有点烦，又要重新下单',
    '送货时间改了三次了', '{product}的做工有点粗糙', '{order}一直卡在仓库', '收到的{product}好像是别人退回来的',
    // 客气但不满：请问、一下、可以、这个、麻烦、谢谢、有没有、亲原来只在平静的话里出现（您好、你好由开头语加）。
    // 这里不用退货、退款、运费、快递、物流这些话题词，免得又把话题学成情绪。
    '请问{product}为什么用了两天就有异响', '收到的{clothing}有个破洞，麻烦看一下怎么处理',
    '麻烦问一下，为什么我的留言都没回复', '{product}的颜色和图片差得有点多，可以看一下吗',
    '{order}怎么还没发货呀亲，有点着急了', '这个{product}的盖子合不上，可以帮忙看看吗',
    '请问一下，说的赠品怎么没有呢', '有没有人能看一下我的问题，等半天了', '麻烦你们发货前检查一下，这个{product}有划痕',
    '谢谢回复，不过还是没说清楚什么时候发', '地址我确认了三遍，还是寄错了，有点无语', '发票要了三次还没开，能不能上点心',
    '能帮我解决一下吗？拖了一个星期了', '如果每次都要催，真的有点累', '可以帮我查一下吗？{order}好几天没更新了',
    '这个{product}的按键有点松，可以看一下吗', '请问售后是不是下班了？留言两天都没人回',
    '售后说会联系我，可到现在也没消息',
  ],
  disappointment: [
    '真让人失望', '{product}跟宣传的完全不是一回事，失望', '本来挺喜欢你们家的，现在唉', '买来送妈妈的，结果是坏的，心里挺难受', '挺遗憾的，第一次买就这样',
    '原来以为你们服务很好', '有点伤心，等了{duration}等来这个', '真没想到会是这种质量', '太让人寒心了', '花了{amount}，就买了个教训',
    // 失望：和期待、老顾客的信任相比，伤心而不是生气。
    '挺失望的，本来很信任你们家', '唉，没想到老店也这样', '第一次这么失望', '有点心寒，老顾客了', '{product}的质量跟以前差太多了，挺可惜的', '本来想送人的，现在拿不出手', '原本挺期待的，等了{duration}却是这种东西',
    '说实话有点失望，跟描述差太远', '以前一直回购，这次真的失望了',
    // 客气但不满（见上面 mild-complaint）。
    '这个{product}说实话有点让我失望', '这个质量比以前差太多了亲，挺可惜的', '请问这个真的是新品吗？感觉有点失望',
    '谢谢你们，不过这次的体验确实不太好', '麻烦转告一下，老顾客这次挺失望的', '这个{product}期待了很久，结果挺失落的',
    '可以理解，但还是挺遗憾的', '这个{clothing}和描述差太远了，有点伤心',
    '请问是换了供应商吗？{product}的做工大不如前', '原以为这个牌子靠谱，有点失望，谢谢你们的解释',
    '优惠券说好能用的，结果用不了，挺失望的', '说明书写的和实物根本不一样，挺失望的', '保修卡都没有，还说是正品，太让人失望了',
    '一般的店都不会这样吧，有点寒心', '可以说实话吗？这个{product}不值{amount}',
    '这个做工有没有人检查过？挺失望的', '售后态度挺好，可惜问题还是没解决，有点失望',
  ],
  resignation: [
    '行吧行吧', '随你们吧', '认倒霉了', '反正说什么都没用', '不退就不退吧',
    '懒得跟你们说了', '都这样了还能怎样', '没意思，不问了', '那{amount}我不要了', '等就等吧，无所谓', '{product}我也不想要了',
    // 放弃的语气：算了、无所谓了、随便吧、不指望了、随缘、认了，没有一个激烈的字。
    '算了，跟你们说不清楚', '无所谓了，爱咋咋地', '算了算了，就当白花了{amount}', '我也不催了，到不到随缘吧', '懒得退了，太麻烦', '唉，就当我没买过', '不指望你们能解决了', '算了，我去别家买',
    '无所谓了，{product}我不要了', '行吧，等着呗', '随便你们怎么处理吧', '算了，当我没问', '也不想再投诉了，没用', '就这样吧，累了', '爱发不发吧', '不折腾了，就这样', '早就不指望了',
    // 客气但不满（见上面 mild-complaint）。
    '算了，谢谢你们，不用再查了', '麻烦帮我把这个单取消吧，不想等了', '不用回复了亲，我不折腾了', '请问……算了，当我没说',
    '好的谢谢，我也不指望了', '可以了，就这样吧，不用处理了', '这个问题我不想再问了，随你们吧', '问了一下午，算了，懒得说了',
    '麻烦你们了，不过我已经无所谓了', '我不催了，到不到都行吧，谢谢', '帮我查一下吧……算了，我都问了一下午了',
    '如果还是这样，我就不买了，随便吧', '能开发票吗？问了三天了，算了，不要了', '哪里都找不到人，我也懒得问了',
    '可以了，不用解释了，我不想再说了', '这个单你们看着办吧，我已经不在乎了', '售后我也不找了，随便吧',
  ],
  sarcasm: [
    '真棒，又要多等{duration}', '呵呵，你们真会说', '谢谢啊，让我等了{duration}', '好厉害哦，包裹飞到{city}去了', '服务好到没话说，根本没人理', '不愧是你们，又发错了',
    '哈哈，真是长见识了，{product}是坏的', '太贴心了，直接给我退回去了', '笑死，{carrier}说我不在家，我一直在家', '高，实在是高，一个月都没发货', '真会做生意啊',
    '哟，终于有人理我了', '你们的物流真是快得惊人，{duration}走了一百公里',
    '太好了，又延迟发货了', '真是辛苦你们了，{product}寄丢了两次', '真贴心，退款退成了优惠券', '好棒哦，客服又让我等通知', '厉害了，{carrier}把件送到了{city}',
    '你们效率真高，{duration}才回复一句话', '感谢你们让我白等了一天', '真是好服务啊，{product}到手就裂了', '很好，又一个“正在处理”', '谢谢你们啊，多扣了我{amount}',
    // 阴阳怪气：呵呵、真是太好了、感谢你们让我……、佩服、好家伙，说的是延误、丢件、发错、扣款。
    '呵呵，真是太好了，又晚了{duration}', '感谢你们让我体验了一把望眼欲穿', '真是谢谢你们了，{product}到手就是二手的', '太感动了，等了{duration}等来一句抱歉', '你们家的快递是骑蜗牛送的吧', '不错不错，又一次完美地发错货',
    '佩服佩服，{product}能摔成这样也是本事', '呵呵，客服回复速度堪比过年', '好家伙，包裹去{city}旅游了一圈', '真是太贴心了，进度还要我自己催五遍', '这效率，真让人叹为观止', '哇，好专业哦，问什么都说不知道', '谢谢你们让我{day}又白等一场',
    '服务真周到，直接给我寄了个空盒子', '我是不是还得感谢你们没把{product}弄丢', '说好的顺丰包邮，结果发了{carrier}，呵呵', '好一个“48小时内发货”，一个星期了', '真是大开眼界，客服比我还不清楚', '你们可真行，说好的{duration}，到现在还没动静',
    '厉害厉害，一个订单能出三次错', '真是太好了，{order}又显示异常了', '辛苦了啊，让我一天打了五个电话',
    // 客气但不满（见上面 mild-complaint）。
    '请问你们的客服是不是只在过年上班呀', '想问一下{order}是不是要等到明年才发呢，呵呵', '这个回复速度真让人佩服啊亲',
    '谢谢你们，又让我白等了一天，真贴心', '麻烦问一下，{product}是怎么摔成这样的，挺有本事',
    '可以的，一个问题回答三遍都不一样，厉害', '请问{product}是不是还要我自己去{city}取啊，真方便',
    '有没有可能，我是说有没有可能，你们会回我一次', '这个效率，真是太高了，呵呵', '我想夸一下你们，一个订单能错三次',
    '一般多久能回复？我都等了一天了，呵呵', '请问这个还有货吗？哦，又没了，真好', '收货地址都能弄错，佩服佩服',
    '付款倒是挺快的，发货就不知道哪年了', '请问等这么久有没有奖励啊', '可以再发一条自动回复吗？我在收集',
    '这个回复写得真好，可惜什么都没说', '售后效率真高，一个星期回了一句话',
  ],
  anger: [
    '你们有病吧', '烦死了，到底什么时候发货', '这叫什么事啊！', '气得我手都抖了', '你们就是这么对待顾客的？', '一次次敷衍，受够了', '别跟我说抱歉，我要结果',
    '太恶心了', '我花了{amount}买了个坏的，你们还不管', '你们这是欺诈！', '快点处理！！', '有完没完', '态度也太差了吧', '{carrier}又把我的件弄丢了，火大',
    // 愤怒的更多形状：反问（凭什么、要你们有什么用）、指责（骗子、糊弄）、没有感叹号的怒气。
    '搞什么鬼，{order}又没动静', '看到这个回复我肺都要气炸了', '凭什么让我一直等', '你们是不是觉得顾客好欺负', '我花钱是来受气的吗？', '说了多少遍了，你们听不懂人话吗', '骗子！说好的今天发货呢',
    '能不能别再复制粘贴了，烦不烦', '到现在还没解决，你们是干什么吃的', '{product}刚拆开就坏了，这就是你们的质量？', '{carrier}把我的{product}摔成这样，气死我了',
    '我等了{duration}，你们就回一句“请耐心等待”？', '离谱到家了，{order}三天两头出问题', '太过分了，扣了钱不发货', '别再推给快递了，就是你们的问题', '搞了半天还是错的，什么玩意儿', '无语到极点，一个小问题拖这么久',
    '你们就这样糊弄人？',
    // 客气但不满（见上面 mild-complaint）。
    '请问你们到底什么时候发货？都等了{duration}了', '麻烦你们认真看一下，这已经是第三次发错了',
    '我问了三遍了，麻烦能不能给个准话', '你们这个态度也太差了吧亲', '请问有没有人在管这件事？太气人了',
    '能不能别再让我等了，我很生气', '麻烦你们给我解释一下，{product}为什么又坏了',
    '这个问题拖了这么久还没解决，你们什么意思', '可以认真回答我的问题吗？别再复制粘贴了',
    '有没有搞错，买来送人的{product}是坏的', '想问一下，付款都三天了为什么还不发',
    '说好有现货，付款以后又说没货，什么意思', '单号查不到，你们是不是根本没发', '需要我再说几遍吗？地址写得清清楚楚',
    '在哪里能找到一个真正管事的人？', '可以给我一个真正的答复吗？还是这也太难了', '请问一下，你们到底有没有人负责？',
    '这个单你们是不是打算一直拖下去', '麻烦售后认真看一下，这个{product}已经修了两次了',
    '可以换个售后跟我沟通吗？这位一问三不知',
  ],
  'demand-ultimatum': [
    '不给我退款我就报警', '三天内不解决我就去消费者协会', '我要申请仲裁', '赶紧退钱', '我要求赔偿', '我会在微博上曝光你们', '再这样我就去工商投诉',
    '我会找律师', '必须{day}之前给我答复', '这家店拉黑了，以后不会再来', '给我换新的，不然差评', '我要投诉这个快递员', '退一赔三，没得商量', '不处理好我就打电话给平台',
    '{day}之前必须给我答复，否则就投诉', '马上给我处理，不然我就投诉到12315', '必须给我一个交代', '{order}的事不要再拖了，今天必须解决',
    '我要求{day}之前解决，否则找平台介入', '再拖下去我就申请银行拒付', '限你们{day}之前处理好', '我已经截图了，不解决就发到网上',
    '必须赔偿我的损失，等了{duration}了', '别废话，立刻处理', '这事不给个交代我跟你们没完', '我要你们经理今天给我回电话，不然我就去投诉',
    '{amount}必须今天给我，不然我报警', '不解决我就找市场监管局',
    // 条件式威胁：否则/不然/再不……就……/要是……就……，加上后果（消协、12315、黑猫投诉、拒付、差评、不再买）。
    '{day}之前不退款，我就去消协投诉', '再不给我发货，我就上黑猫投诉', '要是{day}还没到，我就申请拒付', '不然我就打12315',
    '再拖我就给差评，说到做到', '{order}今天不处理，我就找平台客服介入', '要是再发错，我以后再也不在你们家买了', '退款{day}之前到账，否则我找消费者协会',
    '你们再不回复，我就去黑猫投诉曝光', '不给换新的话，我就去市场监管局举报', '这是最后一次了，再出问题我就销户', '给个准话，不然我去12315',
    '再不处理我就申请信用卡拒付', '不退我{amount}，我就在各个平台发差评', '要是客服还是不回，我就去消协', '赶紧处理，否则我直接找律师',
    '钱不退回来的话，我就去法院起诉', '再让我等，我就投诉到黑猫', '今天之内给我解决，不然这单我申请拒付',
    // 更多条件式威胁和要求：再不……就……、否则、要么……要么……，后果是12315、消协、黑猫投诉、拒付、差评、起诉、曝光。
    '再不发货，我就去12315投诉', '{day}之前没结果，我就去黑猫投诉', '不然我就去消协，说到做到', '不给处理的话，我就申请拒付', '你们要是再拖，我直接起诉', '今天不给答复，我就在小红书曝光你们', '我要求全额赔偿，少一分都不行',
    '不给解决我就给差评，买过的每一件都评', '再敷衍我，我就找市场监管部门', '限你们{day}之前给我换货，不然直接投诉', '我已经联系银行了，不处理就拒付', '你们不解决，我就一直投诉下去', '{order}要是{day}还没消息，我就打12315',
    '我要一个书面的处理结果，否则去消协', '要么今天解决，要么我去投诉，你们自己选', '再发错一次，我就起诉你们', '{amount}今天之内还给我，不然我去黑猫投诉', '我会把聊天记录截图发到抖音上', '不给个说法，我就去法院', '必须{day}前解决，否则申请平台介入再给差评',
    '赔我{amount}，不然法庭见', '还不处理的话，我就去消费者协会和12315一起投诉',
    // 客气但不满（见上面 mild-complaint）。
    '请问今天能处理吗？不然我就去12315投诉', '麻烦{day}之前给个答复，否则我就找平台介入',
    '这个问题再不解决，我就申请拒付', '{day}之前不换新的，我就给差评了亲', '可以，那我就去消协投诉吧，谢谢',
    '请你们经理{day}之前联系我，不然我去黑猫投诉', '麻烦转告一下，{order}再出问题我就起诉',
    '我要求今天给个处理方案，否则一直投诉下去', '这个事情{day}之前必须解决，谢谢',
    '有没有人管？没有的话我就直接打12315了', '如果{day}前发票还开不出来，我就投诉',
    '请确认一下，{day}之前能不能处理好，否则我申请平台介入', '需要多久？再拖我就去12315',
    '帮我转告你们主管，{day}之前给个说法', '可以让你们主管{day}之前给我打电话吗？不然我去12315',
    '请问一下，{day}能不能解决？不能的话我直接申请拒付', '麻烦一下，{day}之前不给说法我就去黑猫投诉',
    '售后给的方案我不接受，{day}之前不给新方案我就去12315',
  ],
  'thanks-relief': [
    '多谢', '搞定了，感谢', '收到退款了，谢谢你们', '辛苦啦', '明白，谢谢解答', '太感谢了', '包裹找到了，谢谢', '好滴，谢谢',
    '你们处理得很快，谢谢', '问题已经好了，谢谢帮忙', '非常感谢', '{product}已经收到了，没问题',
    // 问题解决后的放心（终于、还好、总算、松了口气），即使提到投诉和差评也是标签0。
    '终于到了，谢谢', '终于收到退款了，感谢', '还好找到了，谢谢你们', '总算解决了，辛苦了', '终于放心了，谢谢', '吓死我了，还以为丢了，谢谢', '太好了，{product}终于到了', '问题解决了，投诉我撤了，谢谢', '退款到账了，差评就不写了，谢谢',
    '终于等到了，谢谢客服', '还担心赶不上周末，谢谢加急', '呼，总算好了', '谢天谢地，终于发货了', '松了一口气，谢谢你们', '终于搞定了，感谢耐心',
    // 放心的话里也用上这些日常词（物流、今天、给我、现在、服务）。
    '好的，物流更新了，谢谢', '收到了，今天就到了，谢谢你们', '明白了，我就在家等着，谢谢', '好的，给我发的单号收到了，谢谢',
    '现在没问题了，谢谢你们的服务', '问了两次终于弄明白了，谢谢',
  ],
};

const EN_OPEN: Record<SeedCategory, readonly string[]> = {
  'neutral-request': ['', 'Hiya, ', 'Good afternoon. ', 'Excuse me, ', 'Hi team, ', 'Quick one: ', 'Morning! ', 'Sorry to trouble you, ', 'Sorry, another question: ', 'Hello, ', 'Hi, '],
  'mild-complaint': ['', 'Hi team, ', 'FYI ', 'Afternoon. '],
  disappointment: ['', 'Sigh, ', 'I must say ', 'Truthfully, '],
  resignation: ['', 'eh, ', 'right. ', 'sigh, '],
  sarcasm: ['', 'ha. ', 'oh boy, ', 'nice. '],
  anger: ['', 'Unbelievable. ', 'Hello?! ', 'Come on, '],
  'demand-ultimatum': ['', 'Enough is enough. ', 'Final warning: ', 'Be clear on this: '],
  'thanks-relief': ['', 'Oh, ', 'Yay, ', 'Great - '],
};
// Greetings and courtesy say nothing about mood: upset visitors greet and say please too ("Hi, can someone tell me
// why …"; 您好，请问你们到底什么时候发货). With each opener only in its own category, the v2.3 seeds could be told apart
// by their first words (hi/afternoon/team on 135 calm rows and 19 upset ones; 请问 655 / 0, 您好 145 / 0), and a
// calm message without a greeting read as upset. So every upset frame is also written with two of these, and with one
// courtesy closer where one fits (COURTESY_CLOSE).
const EN_COURTESY_OPEN: readonly string[] = ['Hi, ', 'Hello, ', 'Hi team, ', 'Good morning. ', 'Good afternoon. ', 'Excuse me, ', 'Hiya, ', 'Sorry to trouble you, '];
const ZH_COURTESY_OPEN: readonly string[] = ['您好，', '你好，', '亲，', '在吗？', '打扰一下，', '请问，', '请问一下，', '麻烦问一下，', '你好呀，'];
const EN_COURTESY_CLOSE: Partial<Record<SeedCategory, readonly string[]>> = {
  'mild-complaint': [' Thanks.', ' thank you'], disappointment: [' Thanks.', ' thank you'], 'demand-ultimatum': [' Thanks.', ' thank you'], resignation: [' Thanks anyway.'],
};
const ZH_COURTESY_CLOSE: Partial<Record<SeedCategory, readonly string[]>> = {
  'mild-complaint': ['，谢谢', '，麻烦了'], disappointment: ['，谢谢', '～'], 'demand-ultimatum': ['，谢谢', '，麻烦尽快'], resignation: ['，谢谢'],
};
const ZH_OPEN: Record<SeedCategory, readonly string[]> = {
  'neutral-request': ['', '您好，', '你好呀，', '请问一下，', '打扰一下，', '在不在，', '亲，', '麻烦问一下，', '请问，'],
  'mild-complaint': ['', '打扰了，', '那个，', '我想说下，'],
  disappointment: ['', '哎呀，', '怎么讲呢，', '说真的，'],
  resignation: ['', '嗯，', '哎，', '好吧好吧，'],
  sarcasm: ['', '哈，', '啧啧，', '哇哦，'],
  anger: ['', '我真服了，', '喂！', '搞什么，'],
  'demand-ultimatum': ['', '我最后说一遍，', '话说在前面，', '你们听着，'],
  'thanks-relief': ['', '哈哈，', '嗯嗯，', '哇，'],
};

// A second surface for each frame: how the message ends.
const EN_CLOSE: Record<SeedCategory, readonly string[]> = {
  'neutral-request': [' Thanks.', ' thank you!', ' 🙂'],
  'mild-complaint': [' :(', ' - not ideal.'],
  disappointment: [' 😔', ' Sad.'],
  resignation: ['...', ' 😑'],
  sarcasm: [' 🙄', ' /s'],
  anger: [' 😤', '!!!'],
  'demand-ultimatum': [' Today.', ' No more excuses.'],
  'thanks-relief': [' 😀', ' :)'],
};
const ZH_CLOSE: Record<SeedCategory, readonly string[]> = {
  'neutral-request': ['，谢谢', '～', '😊'],
  'mild-complaint': ['😟', '，麻烦看一下'],
  disappointment: ['😢', '。。'],
  resignation: ['。。。', '😑'],
  sarcasm: ['🙄', '，呵'],
  anger: ['😤', '！！！'],
  'demand-ultimatum': ['，说到做到', '！'],
  'thanks-relief': ['😄', '～'],
};

function build(lang: 'en' | 'zh'): SeedRow[] {
  const vocab = lang === 'en' ? EN_VOCAB : ZH_VOCAB;
  const opens = lang === 'en' ? EN_OPEN : ZH_OPEN;
  const closes = lang === 'en' ? EN_CLOSE : ZH_CLOSE;
  let r = mulberry32(0);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const fill = (f: string) =>
    f.replace(/\{(\w+)\}/g, (_, slot: string) => {
      const xs = (vocab as unknown as Record<string, readonly string[]>)[slot];
      if (!xs) throw new Error(`seed-support: unknown slot {${slot}} in "${f}"`);
      return slot === 'order' ? pick(xs).replace(/#/g, () => String(Math.floor(r() * 10))) : pick(xs);
    });
  const seen = new Set<string>();
  const out: SeedRow[] = [];
  const push = (text: string, category: SeedCategory) => {
    const key = text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ text, label: CATEGORY_LABEL[category], lang, category });
  };
  // English only: capitalised at the start of the message and after an opener that ends a sentence ("Morning!
  // Could…"); after a courtesy opener that does not ("Hi, can…"), lower case as typed, "I" aside.
  const withOpener = (o: string, body: string, lowerAfterComma: boolean): string => {
    if (lang !== 'en') return o + body;
    if (!o || /[.!?] $/.test(o)) return o + body.charAt(0).toUpperCase() + body.slice(1);
    return o + (lowerAfterComma && !/^I\b/.test(body) ? body.charAt(0).toLowerCase() + body.slice(1) : body);
  };
  /** Two different entries of `xs`. */
  const pickTwo = (xs: readonly string[]): [string, string] => {
    const first = Math.floor(r() * xs.length);
    return [xs[first] as string, xs[(first + 1 + Math.floor(r() * (xs.length - 1))) % xs.length] as string];
  };
  // The frame sets in order, each with its own random stream, so that adding frames to a later set leaves every row
  // of the earlier ones as it was. Frames are also dropped when a written split turns out to hold a line equal or near
  // one (seed-support-leak.test.ts names them); which, when and for which split: models/devsets/README.md, above the
  // seed counts table.
  const sets: [Partial<Record<SeedCategory, readonly string[]>>, number][] =
    lang === 'en' ? [[EN, 0x51ed], [EN_CONTRAST, 0x51ee]] : [[ZH, 0x52ed], [ZH_CONTRAST, 0x52ee]];
  for (const [frames, seed] of sets) {
    r = mulberry32(seed);
    for (const category of Object.keys(frames) as SeedCategory[]) {
      const upset = CATEGORY_LABEL[category] === 1;
      const courtesyClose = upset ? (lang === 'en' ? EN_COURTESY_CLOSE : ZH_COURTESY_CLOSE)[category] : undefined;
      // Every frame with each opener and each closer, a fresh filler each time.
      for (const f of frames[category] ?? []) {
        for (const o of opens[category]) push(withOpener(o, fill(f), false), category);
        for (const c of [...closes[category], ...(courtesyClose ? [pick(courtesyClose)] : [])]) {
          let body = fill(f);
          // A closer that is a word ("Thanks.", "Today.") follows a finished sentence; one that is punctuation or an
          // emoji replaces the sentence's own end.
          if (lang === 'en' && /^ \p{L}/u.test(c)) body = /[.!?]$/.test(body) ? body : `${body}.`;
          else body = body.replace(/[.!?。！？]+$/u, '');
          push((lang === 'en' ? body.charAt(0).toUpperCase() + body.slice(1) : body) + c, category);
        }
        // Two courtesy openers per upset frame (see EN_COURTESY_OPEN).
        if (upset) for (const o of pickTwo(lang === 'en' ? EN_COURTESY_OPEN : ZH_COURTESY_OPEN)) push(withOpener(o, fill(f), true), category);
      }
    }
  }
  if (lang === 'zh') for (const text of zhSupportSeed()) push(text, 'neutral-request');
  return out;
}

let cache: { en: SeedRow[]; zh: SeedRow[] } | null = null;

/**
 * The support-chat training seeds, deterministic and de-duplicated (NFKC + lower case + no whitespace).
 * Training only: never evaluate on these; judge on models/devsets (scripts/lib/support-chat-devset.ts).
 *
 * @example
 * ```ts
 * const rows = supportSeed('zh').filter((r) => r.category === 'neutral-request');
 * ```
 */
export function supportSeed(lang?: 'en' | 'zh'): SeedRow[] {
  cache ??= { en: build('en'), zh: build('zh') };
  return lang ? [...cache[lang]] : [...cache.en, ...cache.zh];
}

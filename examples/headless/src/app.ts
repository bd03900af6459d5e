// A host app's own chat UI with Temper's scorer and no widget: the app decides what to do with a signal
// (here: show it; a real app would POST it to its Temper backend at /temper/v1/signals).
import { LEVEL_NAMES, type Signal } from '@temper/protocol';
import { createScorer, type ScoreResult } from '@temper/scorer';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const log = $<HTMLOListElement>('log');
const status = $<HTMLParagraphElement>('status');
const input = $<HTMLInputElement>('text');
const TREND = { '-1': 'easing', '0': 'steady', '1': 'rising' } as const;

function say(from: 'visitor' | 'bot', text: string): void {
  const li = document.createElement('li');
  li.className = from;
  li.textContent = text;
  log.append(li);
}

function show(r: ScoreResult): void {
  const level = $<HTMLElement>('level');
  level.textContent = `${r.level} (${LEVEL_NAMES[r.level]})`;
  level.dataset.level = String(r.level);
  $('trend').textContent = TREND[r.trend];
  $('forecast').textContent = r.forecast.willReachLevel2Soon ? `likely frustrated within ${r.forecast.withinTurns} messages` : '';
  if (r.signal) record(r.signal);
}

function record(signal: Signal): void {
  const li = document.createElement('li');
  li.textContent = `POST /temper/v1/signals ${JSON.stringify(signal)}`;
  $('signals').append(li);
}

// A toy bot: it "understands" a few topics and says so; anything else is a reply the server would mark
// `understood: false`, which the scorer counts (consecutive failures weigh more).
function botReply(text: string): { text: string; understood: boolean } {
  const t = text.toLowerCase();
  if (/ship|deliver|order|发货|快递|订单/.test(t)) return { text: 'Orders ship within 2 working days.', understood: true };
  if (/refund|return|退款|退货/.test(t)) return { text: 'Refunds take 5–7 days after we receive the item.', understood: true };
  if (/thank|thanks|谢谢/.test(t)) return { text: 'You are welcome!', understood: true };
  return { text: "Sorry, I didn't understand that. Could you rephrase?", understood: false };
}

// Served next to the CDN files at /temper/ (see serve.ts): worker, wasm and model are found from there. The chat
// works at once; scoring joins when the scorer is ready (or never, if it is degraded).
const scorerReady = createScorer({ baseUrl: new URL('/temper/', location.href) });
void scorerReady.then((scorer) => {
  status.textContent =
    scorer.state === 'ready'
      ? `Scorer ready (${scorer.modelName}).`
      : `Scorer unavailable (${scorer.error?.reason}): the chat works, without mood detection.`;
  status.dataset.state = scorer.state;
  addEventListener('pagehide', () => scorer.dispose());
});

$<HTMLFormElement>('form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  say('visitor', text);
  const scorer = await scorerReady;
  const scored = await scorer.scoreVisitorMessage(text);
  if (scored) show(scored);
  const reply = botReply(text);
  say('bot', reply.text);
  const after = await scorer.noteReply({ understood: reply.understood });
  if (after) show(after);
  document.body.dataset.turns = String(Number(document.body.dataset.turns ?? 0) + 1);
});

// An app that installs Temper from npm: the widget is imported like any other dependency and bundled by
// the app's own rollup build; its panel becomes a lazy chunk of the app.
import { createWidget, type WidgetError, type WidgetMessage } from '@temper/widget';

const widget = createWidget();
const log = document.getElementById('log');

widget.on('ready', ({ conversationId }) => {
  if (log) log.textContent = conversationId ? `Resumed conversation ${conversationId}.` : 'Widget ready.';
});
widget.on('message', (m: WidgetMessage) => {
  if (log) log.textContent = `Last message from ${m.from}: ${m.text.slice(0, 80)}`;
});
widget.on('error', (e: WidgetError) => console.warn(`[temper] ${e.code}: ${e.message}`));
widget.boot({ endpoint: '/temper/v1', theme: 'auto' });

document.getElementById('open-chat')?.addEventListener('click', () => widget.open());
document.getElementById('ask')?.addEventListener('click', () => {
  widget.open();
  widget.send('Where is my order?');
});

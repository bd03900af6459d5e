// Type tests of @temper/react's public API (npm run test:types).
import { createElement } from 'react';
import { TemperProvider, useTemper, type TemperContextValue } from '@temper/react';

createElement(TemperProvider, { options: { endpoint: '/temper/v1', locale: 'en' } }, 'app');
// @ts-expect-error options are the widget's boot options
createElement(TemperProvider, { options: { locale: 'de' } });

function Button(): null {
  const t: TemperContextValue = useTemper();
  t.open();
  t.send('hello');
  if (t.state.status === 'ready' && t.widget) void t.widget.getState().conversationId;
  // @ts-expect-error send takes a string
  t.send({ text: 'hello' });
  // @ts-expect-error the widget may not exist yet (before the effect ran, or on a server)
  t.widget.open();
  return null;
}
void Button;

// Type tests of @temper/widget's public API (npm run test:types): the mistakes an app developer makes first.
import { createWidget, type Widget, type WidgetMessage } from '@temper/widget';

const w: Widget = createWidget();
w.boot({ endpoint: '/temper/v1', locale: 'zh-CN', theme: 'auto', scoring: 'ask', scorer: { preload: 'idle', baseUrl: '/temper/' } });
w.on('message', (m: WidgetMessage) => void m.text);
w.open();
// @ts-expect-error locales are 'en' | 'zh-CN'
w.boot({ locale: 'fr' });
// @ts-expect-error scoring is 'on' | 'off' | 'ask'
w.boot({ scoring: true });
// @ts-expect-error unknown event name
w.on('mesage', () => {});
// @ts-expect-error the endpoint is fixed at boot
w.update({ endpoint: '/other' });
// @ts-expect-error storage is fixed at boot
w.update({ storage: 'none' });
// @ts-expect-error a scorer option typo
w.boot({ scorer: { modleUrl: '/m.onnx' } });
// @ts-expect-error scoring is chosen at boot (update() refuses it at run time too)
w.update({ scoring: 'off' });
// @ts-expect-error so is the signed-in user
w.update({ user: { id: 'c1', hash: 'ab' } });
w.update({ locale: 'en', theme: 'dark', position: 'start' });
const st: 'off' | 'starting' | 'ready' = w.getState().status;
void st;
void w.destroy();

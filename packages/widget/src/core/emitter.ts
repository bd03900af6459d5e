import type { WidgetEvent } from '@temper/protocol';
import type { WidgetEventMap } from './types.js';

export type Listener<E extends WidgetEvent> = (payload: WidgetEventMap[E]) => void;

/**
 * A tiny typed event emitter. A listener that throws cannot break the widget or the other listeners: the
 * exception is rethrown asynchronously so it still shows in the host's console and error reporting.
 *
 * @example
 * const em = createEmitter();
 * em.on('ready', () => console.log('ready'));
 * em.emit('ready', {});
 */
export function createEmitter() {
  const map = new Map<WidgetEvent, Set<Listener<never>>>();
  return {
    on<E extends WidgetEvent>(event: E, cb: Listener<E>): void {
      let set = map.get(event);
      if (!set) map.set(event, (set = new Set()));
      set.add(cb as Listener<never>);
    },
    off<E extends WidgetEvent>(event: E, cb: Listener<E>): void {
      map.get(event)?.delete(cb as Listener<never>);
    },
    emit<E extends WidgetEvent>(event: E, payload: WidgetEventMap[E]): void {
      for (const cb of [...(map.get(event) ?? [])]) {
        try {
          (cb as Listener<E>)(payload);
        } catch (e) {
          setTimeout(() => {
            throw e;
          });
        }
      }
    },
  };
}
export type Emitter = ReturnType<typeof createEmitter>;

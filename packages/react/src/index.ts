// @temper/react: the widget as a React provider and a hook. No JSX here (one less build setting for the
// package); the component is `createElement` calls.
//
// The widget is one per page (one launcher, one stored conversation per origin), while React may mount the
// provider twice (StrictMode runs every effect, cleanup, effect again in development), remount it on a route
// change, or render it on a server. So:
// - nothing touches the browser during render: the widget is created and booted in an effect, which servers
//   never run (SSR output is the children alone);
// - unmounting calls `destroy()`, which removes the UI and stops the network but keeps the stored conversation,
//   never `shutdown()` (sign out and forget): a remount resumes the same conversation;
// - mounts and unmounts are serialised through one module-level queue, so a boot waits until the previous
//   instance's destroy() has settled and two instances never run at once. Under StrictMode the first effect's
//   boot is still queued when its cleanup runs, so it never starts: one boot, no flash of a second launcher.
import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createWidget, type Widget, type WidgetOptions, type WidgetState } from '@temper/widget';

/** The state before the widget booted (and after it was destroyed). */
const OFF: WidgetState = Object.freeze({ status: 'off', conversationId: null, open: false, locale: 'en', theme: 'light' });
/** Events after which `getState()` may have changed. */
const STATE_EVENTS = ['ready', 'message', 'handoff', 'error'] as const;

let queue: Promise<unknown> = Promise.resolve();

/** What `useTemper()` returns. */
export interface TemperContextValue {
  /** The live widget, or null before it booted (first render, server render) and after unmount. */
  readonly widget: Widget | null;
  /** `widget.getState()`, refreshed after each widget event and each call made through this object. */
  readonly state: WidgetState;
  /** Opens the chat (a no-op before the widget exists). */
  open(): void;
  /** Closes the chat. */
  close(): void;
  /** Sends a message as the visitor (opens nothing; queued until the widget is ready). */
  send(text: string): void;
}

const TemperContext = createContext<TemperContextValue | null>(null);

/** Props of `TemperProvider`. */
export interface TemperProviderProps {
  /**
   * Passed to `boot()` when the provider mounts (read once; change options later with `widget.update()`).
   * Default: `{}` (endpoint `/temper/v1`).
   */
  readonly options?: WidgetOptions;
  readonly children?: ReactNode;
}

/**
 * Boots the Temper widget while mounted and gives its descendants `useTemper()`. Put it once, high in the tree.
 * Unmounting keeps the conversation (`destroy()`); to sign the visitor out and forget it, call
 * `widget.shutdown()` yourself.
 *
 * @example
 * ```tsx
 * import { TemperProvider } from '@temper/react';
 * createRoot(el).render(
 *   <StrictMode>
 *     <TemperProvider options={{ endpoint: '/temper/v1', locale: 'en' }}>
 *       <App />
 *     </TemperProvider>
 *   </StrictMode>,
 * );
 * ```
 */
export function TemperProvider({ options, children }: TemperProviderProps): ReactNode {
  const [widget, setWidget] = useState<Widget | null>(null);
  const [state, setState] = useState<WidgetState>(OFF);
  const initial = useRef(options);

  useEffect(() => {
    let mounted = true;
    let w: Widget | null = null;
    const refresh = () => {
      if (mounted && w) setState(w.getState());
    };
    const started = queue.then(() => {
      if (!mounted) return;
      w = createWidget();
      for (const e of STATE_EVENTS) w.on(e, refresh);
      w.boot(initial.current ?? {});
      setWidget(w);
      refresh();
    });
    queue = started;
    return () => {
      mounted = false;
      setWidget(null);
      setState(OFF);
      queue = started.then(() => w?.destroy()).catch(() => {});
    };
  }, []);

  const refreshNow = useCallback(() => {
    if (widget) setState(widget.getState());
  }, [widget]);
  const value = useMemo<TemperContextValue>(
    () => ({
      widget,
      state,
      open: () => (widget?.open(), refreshNow()),
      close: () => (widget?.close(), refreshNow()),
      send: (text: string) => widget?.send(text),
    }),
    [widget, state, refreshNow],
  );
  return createElement(TemperContext.Provider, { value }, children);
}

/**
 * The widget of the nearest `TemperProvider`, its state and shortcuts. Throws when there is no provider above.
 *
 * @example
 * ```tsx
 * function HelpButton() {
 *   const { state, open } = useTemper();
 *   return <button onClick={open} disabled={state.status !== 'ready'}>Chat with us</button>;
 * }
 * ```
 */
export function useTemper(): TemperContextValue {
  const v = useContext(TemperContext);
  if (!v) throw new Error('useTemper() must be called inside <TemperProvider>');
  return v;
}

export type { Widget, WidgetOptions, WidgetState } from '@temper/widget';

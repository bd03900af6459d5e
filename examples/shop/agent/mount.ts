import { render, type ComponentChild } from 'preact';

/**
 * Renders a staff app into the page's #app, replacing the "Loading…" text the server put there for browsers
 * without scripts.
 *
 * @example
 * mountApp(h(App, null));
 */
export function mountApp(node: ComponentChild): void {
  const app = document.getElementById('app');
  if (!app) return;
  app.textContent = '';
  render(node, app);
}

// DEMO ONLY: "sign in as a customer", so identity verification can be tried without accounts. The shop's own
// sign-in is a cookie naming one of two demo customers; a real host has its own login and session. What is
// real is the part a host copies: the server computes the identity hash with `createIdentityHash` and puts
// `{ id, hash }` in the page (a <meta> tag, because the shop's CSP allows no inline script), and the page's
// boot call (public/shop-temper.js) passes it to the widget as `user`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createIdentityHash, type IdentitySecret } from '@temper/server';
import { layout } from './pages.ts';

export interface DemoCustomer {
  /** The host's opaque customer id: what the widget sends (never an email or a name). */
  id: string;
  /** Shown on the shop's own pages only; never sent to Temper. */
  name: string;
}

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  { id: 'cust-1042', name: 'Li Wei' },
  { id: 'cust-2077', name: 'Sam Park' },
];

const COOKIE = 'shop_customer';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The demo customer this request is signed in as (from the shop's cookie), or null. */
export function signedInCustomer(req: IncomingMessage): DemoCustomer | null {
  const m = /(?:^|;\s*)shop_customer=([^;]*)/.exec(req.headers.cookie ?? '');
  return (m && DEMO_CUSTOMERS.find((c) => c.id === m[1])) || null;
}

/**
 * The page with the signed-in customer's `{ id, hash }` for the widget in a <meta> tag read by
 * shop-temper.js, and their name in the header. Unchanged for anonymous visitors.
 */
export function withCustomer(html: string, customer: DemoCustomer | null, identitySecret: IdentitySecret): string {
  if (!customer || !html.includes('/shop-temper.js')) return html;
  const hash = createIdentityHash(identitySecret, customer.id);
  return html
    .replace('</head>', `  <meta name="temper-user" data-id="${esc(customer.id)}" data-hash="${hash}">\n</head>`)
    .replace('<span class="cart-count"', `<a class="account" href="/account">Signed in as ${esc(customer.name)}</a>\n    <span class="cart-count"`);
}

/** /account: sign in as a demo customer, or sign out. */
export const accountPage = (customer: DemoCustomer | null) => layout('Account', accountBody(customer), '/account');

function accountBody(customer: DemoCustomer | null): string {
  const buttons = DEMO_CUSTOMERS.map(
    (c) =>
      `      <form method="post" action="/demo/customer?id=${esc(c.id)}"><button type="submit" class="sign-in-as" data-customer="${esc(c.id)}">Sign in as ${esc(c.name)} (${esc(c.id)})</button></form>`,
  ).join('\n');
  return `    <h1>Your account</h1>
    <p class="demo-note"><strong>Demo sign-in:</strong> anyone can sign in as these demo customers. A real shop has its own login;
    what it copies from here is the server computing the identity hash of the customer's id and the page passing
    <code>{ id, hash }</code> to the chat, so a signed-in customer's chat continues on every device.</p>
    <p id="account-status">${customer ? `Signed in as <strong>${esc(customer.name)}</strong> (customer id <code>${esc(customer.id)}</code>).` : 'Not signed in: the chat is anonymous.'}</p>
${buttons}
      <form method="post" action="/demo/customer?signout=1"><button type="submit" class="sign-out"${customer ? '' : ' disabled'}>Sign out</button></form>`;
}

/** POST /demo/customer?id=… signs in (an unknown id is 400), ?signout=1 signs out; both redirect to /account. */
export function demoCustomerSignIn(url: URL, res: ServerResponse): void {
  const id = url.searchParams.get('id');
  const customer = DEMO_CUSTOMERS.find((c) => c.id === id);
  if (!customer && url.searchParams.get('signout') !== '1') {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`unknown demo customer; use one of ${DEMO_CUSTOMERS.map((c) => c.id).join(', ')}`);
    return;
  }
  const cookie = customer
    ? `${COOKIE}=${customer.id}; Path=/; HttpOnly; SameSite=Lax`
    : `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
  res.writeHead(303, { Location: '/account', 'Set-Cookie': cookie, 'Cache-Control': 'no-store' });
  res.end();
}

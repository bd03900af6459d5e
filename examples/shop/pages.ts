// The demo shop's pages. Rendered on the server from one layout so the Temper snippet sits on every page
// exactly once, the way a host's template would put it there. No inline scripts or styles: the shop runs
// under a strict Content-Security-Policy.

export interface Product {
  id: string;
  name: string;
  nameZh: string;
  price: number;
  blurb: string;
}

export const PRODUCTS: readonly Product[] = [
  { id: 'kettle', name: 'Gooseneck Kettle', nameZh: '手冲壶', price: 49, blurb: 'Pour-over precision, 0.8 L, stainless steel.' },
  { id: 'grinder', name: 'Burr Grinder', nameZh: '磨豆机', price: 129, blurb: 'Conical burrs, 40 grind settings.' },
  { id: 'mug', name: 'Stoneware Mug', nameZh: '陶瓷杯', price: 18, blurb: 'Hand-glazed, 350 ml, dishwasher safe.' },
];

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The host page's Temper integration: the snippet plus the shop's boot call, both external files. */
export const SNIPPET = `<script src="/temper/snippet.js" data-src="/temper/temper.js" defer></script>
  <script src="/shop-temper.js" defer></script>`;

export function layout(title: string, body: string, active = ''): string {
  const nav = [
    ['/', 'Home'],
    ['/product/kettle', 'Kettle'],
    ['/cart', 'Cart'],
    ['/checkout', 'Checkout'],
    ['/privacy', 'Privacy'],
    ['/account', 'Account'],
  ]
    .map(([href, label]) => `<a href="${href}"${active === href ? ' aria-current="page"' : ''}>${label}</a>`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(title)} · Brew & Co.</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/shop.css">
  <script src="/shop.js" defer></script>
  ${SNIPPET}
</head>
<body>
  <header class="site">
    <a class="brand" href="/">Brew &amp; Co.</a>
    <nav aria-label="Main">
      ${nav}
    </nav>
    <span class="cart-count" aria-live="polite">Cart: <span id="cart-count">0</span></span>
  </header>
  <main id="main">
${body}
  </main>
  <footer class="site">Demo shop for Temper. Nothing here is for sale.</footer>
</body>
</html>
`;
}

const productCard = (p: Product) => `      <article class="product">
        <h2><a href="/product/${p.id}">${esc(p.name)}</a> <span lang="zh-CN">${esc(p.nameZh)}</span></h2>
        <p>${esc(p.blurb)}</p>
        <p class="price">$${p.price}</p>
        <button type="button" class="add" data-product="${p.id}">Add to cart</button>
      </article>`;

export const homePage = () =>
  layout(
    'Home',
    `    <h1>Coffee gear, brewed right</h1>
    <p>Questions about an order, shipping or a refund? Use the chat button in the corner — English or 中文.</p>
    <section class="grid">
${PRODUCTS.map(productCard).join('\n')}
    </section>`,
    '/',
  );

export const productPage = (p: Product) =>
  layout(
    p.name,
    `    <h1>${esc(p.name)} <span lang="zh-CN">${esc(p.nameZh)}</span></h1>
    <p>${esc(p.blurb)}</p>
    <p class="price">$${p.price}</p>
    <button type="button" class="add" data-product="${p.id}">Add to cart</button>`,
    `/product/${p.id}`,
  );

export const cartPage = () =>
  layout(
    'Cart',
    `    <h1>Your cart</h1>
    <ul id="cart-items" class="cart-items"><li>Your cart is empty.</li></ul>
    <p><a class="button" href="/checkout">Go to checkout</a></p>`,
    '/cart',
  );

export const checkoutPage = () =>
  layout(
    'Checkout',
    `    <h1>Checkout</h1>
    <form id="checkout" class="checkout" novalidate>
      <label>Email <input type="email" name="email" autocomplete="email" required></label>
      <label>Card number <input name="card" inputmode="numeric" autocomplete="cc-number" required></label>
      <button type="submit">Pay now</button>
    </form>
    <p id="checkout-error" class="error" role="alert" hidden></p>`,
    '/checkout',
  );

export const notFoundPage = () => layout('Not found', '    <h1>Page not found</h1>\n    <p><a href="/">Back to the shop</a></p>');

/**
 * Staff pages (agent console, reports): no shop chrome and no widget, just the console's stylesheet and its
 * module script. The app renders into #app; the text inside is what a browser without scripts shows.
 */
function staffPage(title: string, entry: 'agent' | 'reports'): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(title)} · Brew & Co. staff</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/console/console.css">
  <script type="module" src="/console/${entry}.js"></script>
</head>
<body>
  <div id="app" class="app"><p class="boot">Loading ${esc(title.toLowerCase())}… (it needs JavaScript)</p></div>
</body>
</html>
`;
}

/** The agent console (examples/shop/agent/main.tsx). */
export const agentPage = () => staffPage('Agent console', 'agent');

/** The supervisors' reports (examples/shop/agent/reports-main.tsx). */
export const reportsPage = () => staffPage('Reports', 'reports');

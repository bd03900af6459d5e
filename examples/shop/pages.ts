// The demo shop's pages. Rendered on the server from one layout so the Temper snippet sits on every page
// exactly once, the way a host's template would put it there. No inline scripts or styles: the shop runs
// under a strict Content-Security-Policy.
import type { Locale } from '@temper/protocol';

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

/** HTML-escapes text for element content and attribute values. */
export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The host page's Temper integration: the snippet plus the shop's boot call, both external files. */
export const SNIPPET = `<script src="/temper/snippet.js" data-src="/temper/temper.js" referrerpolicy="no-referrer" defer></script>
  <script src="/shop-temper.js" defer></script>`;

/**
 * The language of a page that exists in both: `?lang=` when it names one, else the browser's Accept-Language
 * (the first `zh*` or `en*` entry), else English.
 *
 * @example
 * pageLocale(new URL('http://x/privacy?lang=zh-CN'), undefined); // 'zh-CN'
 */
export function pageLocale(url: URL, acceptLanguage: string | undefined): Locale {
  const asked = url.searchParams.get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  const first = (acceptLanguage ?? '').split(',').map((x) => x.trim().toLowerCase()).find((x) => /^(zh|en)\b/.test(x));
  return first?.startsWith('zh') ? 'zh-CN' : 'en';
}

const NAV: Record<Locale, { home: string; kettle: string; cart: string; checkout: string; privacy: string; account: string; main: string; cartCount: string; footer: string }> = {
  en: { home: 'Home', kettle: 'Kettle', cart: 'Cart', checkout: 'Checkout', privacy: 'Privacy', account: 'Account', main: 'Main', cartCount: 'Cart:', footer: 'Demo shop for Temper. Nothing here is for sale.' },
  'zh-CN': { home: '首页', kettle: '手冲壶', cart: '购物车', checkout: '结账', privacy: '隐私', account: '账户', main: '主导航', cartCount: '购物车：', footer: 'Temper 的演示商店，所有商品均不出售。' },
};

export function layout(title: string, body: string, active = '', locale: Locale = 'en'): string {
  const t = NAV[locale];
  const nav = [
    ['/', t.home],
    ['/product/kettle', t.kettle],
    ['/cart', t.cart],
    ['/checkout', t.checkout],
    ['/privacy', t.privacy],
    ['/account', t.account],
  ]
    .map(([href, label]) => `<a href="${href}"${active === href ? ' aria-current="page"' : ''}>${label}</a>`)
    .join('\n      ');
  return `<!doctype html>
<html lang="${locale}">
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
    <nav aria-label="${t.main}">
      ${nav}
    </nav>
    <span class="cart-count" aria-live="polite">${t.cartCount} <span id="cart-count">0</span></span>
  </header>
  <main id="main">
${body}
  </main>
  <footer class="site">${t.footer}</footer>
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
function staffPage(title: string, entry: 'agent' | 'reports', locale: Locale): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(title)} · ${locale === 'zh-CN' ? 'Brew & Co. 员工' : 'Brew & Co. staff'}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/console/console.css">
  <script type="module" src="/console/${entry}.js"></script>
</head>
<body>
  <div id="app" class="app"><p class="boot">${locale === 'zh-CN' ? `正在加载${esc(title)}…（需要 JavaScript）` : `Loading ${esc(title.toLowerCase())}… (it needs JavaScript)`}</p></div>
</body>
</html>
`;
}

/** The agent console (examples/shop/agent/main.tsx), in English or Simplified Chinese. */
export const agentPage = (locale: Locale = 'en') => staffPage(locale === 'zh-CN' ? '客服工作台' : 'Agent console', 'agent', locale);

/** The supervisors' reports (examples/shop/agent/reports-main.tsx), in English or Simplified Chinese. */
export const reportsPage = (locale: Locale = 'en') => staffPage(locale === 'zh-CN' ? '报表' : 'Reports', 'reports', locale);

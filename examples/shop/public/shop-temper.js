// The shop's Temper configuration, as a host would write it. An external file, not an inline script,
// because the shop runs under a CSP without 'unsafe-inline'.
// A signed-in customer's { id, hash } comes from the shop's server (a <meta> tag: no inline script allowed);
// the hash is computed there with the identity secret, which never reaches the browser.
const customer = document.querySelector('meta[name="temper-user"]');
window.Temper('boot', {
  endpoint: '/temper/v1',
  // The notice links the shop's privacy page (issue 15, finding 4).
  privacyPolicyUrl: '/privacy',
  ...(customer ? { user: { id: customer.dataset.id, hash: customer.dataset.hash } } : {}),
});

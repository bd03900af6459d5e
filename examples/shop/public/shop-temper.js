// The shop's Temper configuration, as a host would write it. An external file, not an inline script,
// because the shop runs under a CSP without 'unsafe-inline'.
window.Temper('boot', {
  endpoint: '/temper/v1',
});

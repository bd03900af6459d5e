// The shop's own script: a localStorage cart and a checkout that always fails (so visitors have something
// to be frustrated about in the demo).
(function () {
  var KEY = 'shop-cart';
  function read() { try { return JSON.parse(localStorage.getItem(KEY) || '[]'); } catch (e) { return []; } }
  function write(items) { localStorage.setItem(KEY, JSON.stringify(items)); render(); }
  function render() {
    var items = read();
    var count = document.getElementById('cart-count');
    if (count) count.textContent = String(items.length);
    var list = document.getElementById('cart-items');
    if (list) {
      list.textContent = '';
      if (!items.length) { var li = document.createElement('li'); li.textContent = 'Your cart is empty.'; list.appendChild(li); }
      items.forEach(function (id) { var li = document.createElement('li'); li.textContent = id; list.appendChild(li); });
    }
  }
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t && t.classList && t.classList.contains('add')) write(read().concat([t.getAttribute('data-product')]));
  });
  document.addEventListener('submit', function (e) {
    if (e.target && e.target.id === 'checkout') {
      e.preventDefault();
      var err = document.getElementById('checkout-error');
      err.textContent = 'Payment failed: error PAY-502, the payment provider did not answer. Your card was not charged.';
      err.hidden = false;
    }
  });
  document.addEventListener('DOMContentLoaded', render);
})();

// The demo shop: a storefront that uses the tracker as a real one would. Items come from the live
// trending list; their titles and prices are made up here from the item id (the demo has no
// catalog of its own), the same on every visit.
(function () {
  'use strict';
  // The visitor token proves this page is the visitor's: the API then shows their coupon codes.
  var sk = Shopkeeper.init({ key: window.SHOPKEEPER_DEMO.key, visitorToken: window.SHOPKEEPER_DEMO.visitorToken,
    flushIntervalMs: 500 });
  window.shopkeeperTracker = sk; // for the browser tests and the curious
  var cart = [];
  var items = [];
  var sortedByPrice = false;

  function hash(s) { var h = 7; for (var i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0; return h; }
  function facts(itemId) {
    var h = hash(itemId);
    var listPrice = 5 + (h % 190);
    var onSale = h % 3 === 0;
    return {
      itemId: itemId,
      title: ['Linen shirt', 'Trail shoe', 'Coffee beans', 'Desk lamp', 'Wool scarf', 'Tea pot', 'Backpack', 'Yoga mat'][h % 8] + ' ' + itemId,
      categoryId: 'c' + String(1 + (h % 30)).padStart(2, '0'),
      brand: ['acme', 'northwind', 'umbrella', 'globex'][h % 4],
      listPrice: listPrice,
      price: onSale ? Math.round(listPrice * 0.8 * 100) / 100 : listPrice
    };
  }
  function money(v) { return '€' + v.toFixed(2); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }
  function page() { return document.getElementById('page'); }

  function card(item) {
    var li = el('li', { 'class': 'card' });
    li.appendChild(el('a', { href: '#/item/' + item.itemId, 'data-item': item.itemId }, item.title));
    var price = el('p', { 'class': 'price' }, money(item.price));
    if (item.price < item.listPrice) price.appendChild(el('span', { 'class': 'was' }, money(item.listPrice)));
    li.appendChild(price);
    return li;
  }

  function showGrid(title, list) {
    var p = page();
    p.innerHTML = '';
    p.appendChild(el('h1', {}, title));
    var sort = el('button', { type: 'button', id: 'sort-price' }, sortedByPrice ? 'Sorted by price' : 'Sort by price: low to high');
    sort.addEventListener('click', function () {
      sortedByPrice = true;
      sk.sort('price_asc');
      showGrid(title, list.slice().sort(function (a, b) { return a.price - b.price; }));
    });
    p.appendChild(sort);
    var grid = el('ul', { 'class': 'grid', id: 'grid' });
    list.forEach(function (item) { grid.appendChild(card(item)); });
    p.appendChild(grid);
  }

  function loadItems() {
    return fetch('/v1/trending?n=24', { headers: { Authorization: 'Bearer ' + window.SHOPKEEPER_DEMO.key } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (body) {
        var ids = body.items.map(function (i) { return i.itemId; });
        for (var i = 1; ids.length < 12; i++) if (ids.indexOf('i' + i) < 0) ids.push('i' + i);
        items = ids.map(facts);
      });
  }

  function home() {
    sk.pageView('home');
    showGrid('Popular right now', items);
    recommend({ context: 'home' });
  }

  function product(itemId) {
    var item = facts(itemId);
    sk.productView(item);
    var p = page();
    p.innerHTML = '';
    p.appendChild(el('h1', {}, item.title));
    var price = el('p', { 'class': 'price', id: 'price' }, money(item.price));
    if (item.price < item.listPrice) price.appendChild(el('span', { 'class': 'was' }, money(item.listPrice)));
    p.appendChild(price);
    p.appendChild(el('p', {}, 'Category ' + item.categoryId + ' · brand ' + item.brand));
    var add = el('button', { type: 'button', id: 'add-to-cart' }, 'Add to cart');
    add.addEventListener('click', function () {
      cart.push(item);
      sk.addToCart({ itemId: item.itemId, quantity: 1, price: item.price });
      updateCart();
    });
    p.appendChild(add);
    p.appendChild(el('p', {}, '')).appendChild(el('a', { href: '#/' }, '← back to the shop'));
    recommend({ context: 'product', item: itemId });
  }

  function cartPage() {
    sk.pageView('cart');
    var p = page();
    p.innerHTML = '';
    p.appendChild(el('h1', {}, 'Your cart'));
    var list = el('ul', { 'class': 'grid' });
    cart.forEach(function (item, i) {
      var li = card(item);
      var remove = el('button', { type: 'button' }, 'Remove');
      remove.addEventListener('click', function () {
        cart.splice(i, 1);
        sk.removeFromCart({ itemId: item.itemId, quantity: 1, price: item.price });
        updateCart();
        cartPage();
      });
      li.appendChild(remove);
      list.appendChild(li);
    });
    p.appendChild(list);
    var total = cart.reduce(function (s, i) { return s + i.price; }, 0);
    p.appendChild(el('p', { id: 'total' }, 'Total ' + money(total)));
    if (cart.length) {
      var checkout = el('button', { type: 'button', id: 'checkout' }, 'Checkout');
      checkout.addEventListener('click', function () { sk.checkoutStart(total); placeOrder(total); });
      p.appendChild(checkout);
    }
    recommend({ context: 'cart', items: cart.map(function (i) { return i.itemId; }).slice(0, 20) });
  }

  function placeOrder(total) {
    var p = page();
    var confirm = el('button', { type: 'button', id: 'place-order' }, 'Place order of ' + money(total));
    confirm.addEventListener('click', function () {
      // A real shop sends orders from its back end; the demo sends it through the collector.
      sk.track('order_placed', {
        orderId: 'demo-' + Date.now(),
        lines: cart.map(function (i) { return { itemId: i.itemId, categoryId: i.categoryId, quantity: 1, unitPrice: i.price, listPrice: i.listPrice }; }),
        total: total,
        currency: 'EUR'
      });
      cart = [];
      updateCart();
      p.innerHTML = '<h1>Thank you!</h1><p><a href="#/">Back to the shop</a></p>';
    });
    p.appendChild(confirm);
  }

  function searchPage(query) {
    var q = query.toLowerCase();
    var found = items.filter(function (i) { return i.title.toLowerCase().indexOf(q) >= 0; });
    sk.search(query, found.length);
    sk.pageView('search');
    showGrid(found.length ? 'Results for "' + query + '"' : 'Nothing found for "' + query + '"', found);
    recommend({ context: 'search' });
  }

  function recommend(request) {
    var box = document.getElementById('recs');
    sk.renderRecommendations(box, Object.assign({ n: 6 }, request), {
      itemUrl: function (id) { return '#/item/' + id; },
      itemLabel: function (item) { return facts(item.itemId).title; }
    }).catch(function () { box.textContent = 'Recommendations are unavailable right now.'; });
    offerContext = request.context;
    showOffers();
  }

  // Offers are decided in the job a moment after the visitor's events (leaving a product page at
  // its price, a cart left behind): the box asks again every few seconds and redraws (reporting
  // impressions) only when the visitor's offers changed.
  var offerContext = 'home';
  var offersShown = null;
  function showOffers() {
    sk.offers({ context: offerContext }).then(function (offers) {
      var ids = offers.map(function (o) { return o.offerId; }).join(',');
      if (ids === offersShown) return;
      offersShown = ids;
      sk.renderOffers(document.getElementById('offers'), { context: offerContext });
    });
  }
  setInterval(showOffers, 5000);

  function updateCart() { document.getElementById('cart-count').textContent = String(cart.length); }

  function route() {
    var hashPath = location.hash.replace(/^#/, '') || '/';
    var m = hashPath.match(/^\/item\/(.+)$/);
    if (m) product(decodeURIComponent(m[1]));
    else if (hashPath === '/cart') cartPage();
    else home();
    page().focus();
  }

  document.getElementById('search').addEventListener('submit', function (e) {
    e.preventDefault();
    var q = document.getElementById('q').value.trim();
    if (q) searchPage(q);
  });
  document.getElementById('login').addEventListener('click', function () {
    sk.login('cust-demo');
    showVisitor();
  });
  function showVisitor() {
    document.getElementById('visitor').textContent = sk.visitorId();
    document.getElementById('console-link').href = '/console/#/customer/' + encodeURIComponent(sk.visitorId());
  }
  setInterval(function () { document.getElementById('queued').textContent = String(sk.queue.length); }, 300);
  showVisitor();
  window.addEventListener('hashchange', route);
  loadItems().then(route);
})();

'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Shopkeeper = require('../src/shopkeeper.js');
const { fakeBrowser } = require('./fakes.js');

const KEY = 'sk_store_test_0123456789';

function tracker(browser, options) {
  return Shopkeeper.init(Object.assign({ key: KEY, endpoint: 'https://api.example' }, options), browser.env);
}

test('every event carries the contract envelope and its type\'s fields', async () => {
  const b = fakeBrowser();
  const t = tracker(b);
  t.pageView('home');
  t.productView({ itemId: 'i26', categoryId: 'c07', brand: 'acme', price: 19.9, listPrice: 24.9, extra: 'x' });
  t.search('cheap shoes', 0);
  t.sort('price_asc');
  t.addToCart({ itemId: 'i26', quantity: 1, price: 19.9 });
  t.removeFromCart({ itemId: 'i26', quantity: 1, price: 19.9 });
  t.checkoutStart(19.9);
  t.impression({ recommendationId: 'r1', itemId: 'i3' });
  t.click({ offerId: 'o1', itemId: 'i3' });
  await b.advance(1000);

  assert.equal(b.requests.length, 1);
  const { url, init, body } = b.requests[0];
  assert.equal(url, 'https://api.example/v1/events');
  assert.equal(init.method, 'POST');
  assert.equal(init.headers.Authorization, 'Bearer ' + KEY);
  assert.equal(init.headers['Content-Type'], 'application/json');
  assert.deepEqual(body.map((e) => e.type), ['page_view', 'product_view', 'search', 'sort',
    'add_to_cart', 'remove_from_cart', 'checkout_start', 'impression', 'click']);
  for (const e of body) {
    assert.match(e.eventId, /^[0-9a-f-]{36}$/);
    assert.equal(e.timestamp, '2026-11-25T10:00:00.000Z');
    assert.match(e.sessionId, /^s-/);
    assert.equal(e.anonymousId, t.anonymousId);
    assert.equal(e.customerId, undefined);
  }
  assert.equal(new Set(body.map((e) => e.eventId)).size, body.length);
  assert.equal(new Set(body.map((e) => e.sessionId)).size, 1);
  assert.deepEqual(body[0], Object.assign({}, body[0], { pageType: 'home', url: 'https://shop.example/p/1' }));
  assert.deepEqual(
    { itemId: body[1].itemId, categoryId: body[1].categoryId, brand: body[1].brand, price: body[1].price, listPrice: body[1].listPrice, extra: body[1].extra },
    { itemId: 'i26', categoryId: 'c07', brand: 'acme', price: 19.9, listPrice: 24.9, extra: undefined });
  assert.equal(body[2].query, 'cheap shoes');
  assert.equal(body[2].resultCount, 0);
  assert.equal(body[3].sortBy, 'price_asc');
  assert.equal(body[6].cartTotal, 19.9);
  assert.equal(body[7].recommendationId, 'r1');
  assert.equal(body[8].offerId, 'o1');
});

test('the anonymous id lives in a first-party cookie and survives a new page', () => {
  const b = fakeBrowser();
  const first = tracker(b);
  assert.match(first.anonymousId, /^anon-[0-9a-f-]{36}$/);
  assert.equal(b.cookies.get('sk_aid'), encodeURIComponent(first.anonymousId));
  assert.ok(b.env.document.lastCookieAttributes.includes('SameSite=Lax'));
  const second = tracker(b);
  assert.equal(second.anonymousId, first.anonymousId);
  assert.notEqual(tracker(fakeBrowser()).anonymousId, first.anonymousId);
});

test('login sends both ids and later events carry the customer id', async () => {
  const b = fakeBrowser();
  const t = tracker(b);
  t.login('cust-262');
  t.pageView('home');
  await b.advance(1000);
  const [login, view] = b.requests[0].body;
  assert.equal(login.type, 'login');
  assert.equal(login.customerId, 'cust-262');
  assert.equal(login.anonymousId, t.anonymousId);
  assert.equal(view.customerId, 'cust-262');
  assert.equal(t.visitorId(), 'cust-262');
});

test('a session lasts while the visitor is active and a new one starts after 30 idle minutes', async () => {
  const b = fakeBrowser();
  const t = tracker(b);
  const first = t.pageView('home').sessionId;
  await b.advance(29 * 60 * 1000);
  assert.equal(t.pageView('category').sessionId, first);
  await b.advance(29 * 60 * 1000);
  assert.equal(tracker(b).pageView('home').sessionId, first, 'another page of the same visit');
  await b.advance(31 * 60 * 1000);
  assert.notEqual(t.pageView('home').sessionId, first);
});

test('events are batched: by size at once, otherwise after the flush interval', async () => {
  const b = fakeBrowser();
  const t = tracker(b, { batchSize: 3, flushIntervalMs: 500 });
  t.pageView('home');
  await b.advance(499);
  assert.equal(b.requests.length, 0);
  await b.advance(1);
  assert.equal(b.requests.length, 1);
  t.pageView('a'); t.pageView('b'); t.pageView('c');
  await b.advance(0);
  assert.equal(b.requests.length, 2);
  assert.equal(b.requests[1].body.length, 3);
  assert.equal(t.queue.length, 0);
  assert.equal(b.storage.has('sk_queue'), false);
});

test('5xx and network errors are retried with growing backoff, nothing lost or sent twice', async () => {
  const b = fakeBrowser();
  const t = tracker(b);
  b.answer({ status: 503 }, { networkError: true }, { status: 202 });
  t.pageView('home');
  await b.advance(1000);
  assert.equal(b.requests.length, 1);
  await b.advance(999);
  assert.equal(b.requests.length, 1, 'waits 1 s after the first failure');
  await b.advance(1);
  assert.equal(b.requests.length, 2);
  await b.advance(1999);
  assert.equal(b.requests.length, 2, 'waits 2 s after the second');
  await b.advance(1);
  assert.equal(b.requests.length, 3);
  assert.deepEqual(b.requests[2].body, b.requests[0].body);
  await b.advance(60000);
  assert.equal(b.requests.length, 3);
  assert.equal(t.queue.length, 0);
});

test('429 waits for Retry-After; 400 (invalid events) is not retried', async () => {
  const b = fakeBrowser();
  const t = tracker(b);
  b.answer({ status: 429, headers: { 'Retry-After': 7 } }, { status: 202 }, { status: 400 });
  t.pageView('home');
  await b.advance(1000);
  await b.advance(6999);
  assert.equal(b.requests.length, 1);
  await b.advance(1);
  assert.equal(b.requests.length, 2);
  t.pageView('bad');
  await b.advance(1000);
  assert.equal(b.requests.length, 3);
  await b.advance(120000);
  assert.equal(b.requests.length, 3);
  assert.equal(t.queue.length, 0);
});

test('offline events wait in a bounded queue in localStorage and the next page sends them', async () => {
  const b = fakeBrowser();
  b.env.navigator.onLine = false;
  const t = tracker(b, { maxQueue: 5 });
  for (let i = 0; i < 8; i++) t.pageView('p' + i);
  await b.advance(5000);
  assert.equal(b.requests.length, 0);
  assert.equal(t.queue.length, 5);
  assert.equal(t.dropped, 3);
  assert.deepEqual(JSON.parse(b.storage.get('sk_queue')).map((e) => e.pageType), ['p3', 'p4', 'p5', 'p6', 'p7']);

  b.env.navigator.onLine = true;
  const next = tracker(b, { maxQueue: 5 });
  next.pageView('p8');
  await b.advance(1000);
  // Still bounded: the new page's event pushes the oldest out.
  assert.deepEqual(b.requests[0].body.map((e) => e.pageType), ['p4', 'p5', 'p6', 'p7', 'p8']);
  assert.equal(next.dropped, 1);
});

test('coming back online sends the queue at once', async () => {
  const b = fakeBrowser();
  b.env.navigator.onLine = false;
  const t = tracker(b);
  t.pageView('home');
  await b.advance(1000);
  assert.equal(b.requests.length, 0);
  b.env.navigator.onLine = true;
  b.fire('online');
  await b.advance(0);
  assert.equal(b.requests.length, 1);
  assert.equal(t.queue.length, 0);
});

test('leaving the page sends page_leave and the queue with sendBeacon, key in the URL', async () => {
  const b = fakeBrowser();
  const t = tracker(b);
  t.productView({ itemId: 'i26', price: 10 });
  b.fire('pagehide');
  assert.equal(b.beacons.length, 1);
  const { url, data } = b.beacons[0];
  assert.equal(url, 'https://api.example/v1/events?key=' + KEY);
  assert.equal(data.type, 'application/json');
  const events = JSON.parse(await data.text());
  assert.deepEqual(events.map((e) => e.type), ['product_view', 'page_leave']);
  assert.equal(events[1].pageType, 'product');
  assert.equal(events[1].itemId, 'i26');
  assert.equal(t.queue.length, 0);
  await b.advance(5000);
  assert.equal(b.requests.length, 0, 'nothing is sent twice');
});

test('a beacon the browser refuses leaves the events queued for the next page', () => {
  const b = fakeBrowser({ beaconAccepts: false });
  const t = tracker(b);
  t.pageView('home');
  t.pageLeave();
  assert.equal(t.queue.length, 2);
  assert.equal(JSON.parse(b.storage.get('sk_queue')).length, 2);
});

test('recommendations are asked for this visitor and context with the key; items are handed over', async () => {
  const b = fakeBrowser();
  const t = tracker(b, { batchSize: 100 });
  b.answer({ status: 200, body: { recommendationId: 'rec-1', items: [{ itemId: 'i1' }, { itemId: 'i2' }] } });
  const handed = [];
  const made = [];
  const answer = await t.renderRecommendations(null, { context: 'product', item: 'i26', n: 2 }, {
    render: (items) => items.map((item) => {
      handed.push(item.itemId);
      const el = fakeElement(item.itemId);
      made.push(el);
      return el;
    }),
  });
  assert.equal(answer.recommendationId, 'rec-1');
  const url = new URL(b.requests[0].url);
  assert.equal(url.pathname, '/v1/recommendations');
  assert.equal(url.searchParams.get('customer'), t.anonymousId);
  assert.equal(url.searchParams.get('context'), 'product');
  assert.equal(url.searchParams.get('item'), 'i26');
  assert.equal(url.searchParams.get('n'), '2');
  assert.equal(b.requests[0].init.headers.Authorization, 'Bearer ' + KEY);
  assert.deepEqual(handed, ['i1', 'i2']);
  assert.deepEqual(t.queue.map((e) => [e.type, e.recommendationId, e.itemId]),
    [['impression', 'rec-1', 'i1'], ['impression', 'rec-1', 'i2']]);
  made[1].click();
  assert.deepEqual(t.queue.slice(-1).map((e) => [e.type, e.recommendationId, e.itemId]), [['click', 'rec-1', 'i2']]);
});

test('offers: impressions and clicks carry the offer id; no offers route means no offers', async () => {
  const b = fakeBrowser();
  const t = tracker(b, { batchSize: 100 });
  b.answer({ status: 200, body: { offers: [{ offerId: 'off-1', couponCode: 'SAVE10' }] } }, { status: 404, body: {} });
  const els = [];
  const offers = await t.renderOffers(null, { context: 'product' }, {
    render: (list) => list.map((o) => { const el = fakeElement(o.offerId); els.push(el); return el; }),
  });
  assert.equal(offers.length, 1);
  assert.equal(new URL(b.requests[0].url).pathname, '/v1/offers');
  els[0].click();
  assert.deepEqual(t.queue.map((e) => [e.type, e.offerId]), [['impression', 'off-1'], ['click', 'off-1']]);
  assert.deepEqual(await t.offers({ context: 'home' }), []);
});

test('offers: the visitor token goes with the request, and leaves with the login it belongs to', async () => {
  const b = fakeBrowser();
  const t = tracker(b, { batchSize: 100, customerId: 'cust-1', visitorToken: 'tok-cust-1' });
  b.answer({ status: 200, body: { offers: [] } }, { status: 200, body: { offers: [] } },
    { status: 200, body: { offers: [] } });
  await t.offers({ context: 'home' });
  assert.equal(b.requests[0].init.headers['X-Visitor-Token'], 'tok-cust-1');
  assert.equal(b.requests[0].init.headers.Authorization, 'Bearer ' + KEY);
  t.login('cust-2', 'tok-cust-2');
  await t.offers({ context: 'home' });
  assert.equal(b.requests[1].init.headers['X-Visitor-Token'], 'tok-cust-2');
  t.logout();
  await t.offers({ context: 'home' });
  assert.equal(b.requests[2].init.headers['X-Visitor-Token'], undefined);
});

test('a key is required', () => {
  assert.throws(() => Shopkeeper.init({}, fakeBrowser().env), /storefront key is required/);
});

function fakeElement(id) {
  const handlers = [];
  return {
    getAttribute: (name) => (name === 'data-sk-item' ? id : null),
    addEventListener: (type, f) => handlers.push(f),
    click: () => handlers.forEach((f) => f()),
  };
}

/*
 * Shopkeeper storefront tracker and recommendations widget. One file, no dependencies, no build
 * step: load it with <script src="/tracker/shopkeeper.js"></script> (global `Shopkeeper`) or
 * require() it. Contract: every event it sends is one of the API's event types with eventId,
 * type, timestamp, sessionId and the visitor's anonymousId (plus customerId once known); events are
 * queued (bounded, kept in localStorage across pages and while offline), sent in batches to
 * POST /v1/events with the storefront key, retried with backoff on 429/5xx/network errors, dropped
 * only when the API says they are invalid (400) or the queue overflows (oldest first).
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.Shopkeeper = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  var DEFAULTS = {
    endpoint: '',                 // API origin, '' for the page's own origin
    key: null,                    // the storefront key (required)
    customerId: null,             // the logged-in customer, if any
    visitorToken: null,           // X-Visitor-Token of this visitor, signed by the shop's back end:
                                  // without it the API masks coupon codes (SK-********7Q)
    cookieName: 'sk_aid',         // anonymous id cookie
    sessionCookieName: 'sk_sid',  // "sessionId.lastActivityMillis"
    cookieDays: 365,
    sessionTimeoutMs: 30 * 60 * 1000,
    flushIntervalMs: 1000,        // a batch leaves at most this long after its first event
    batchSize: 20,                // ... or as soon as this many are queued
    maxQueue: 500,                // bounded offline queue: the oldest events are dropped beyond it
    storageKey: 'sk_queue',
    maxBackoffMs: 60000
  };

  function uuid(random) {
    var hex = '';
    for (var i = 0; i < 32; i++) hex += Math.floor(random() * 16).toString(16);
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-4' + hex.slice(13, 16) + '-' +
      hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function browserEnv() {
    var g = typeof window !== 'undefined' ? window : {};
    var storage = null;
    try { storage = g.localStorage || null; } catch (e) { storage = null; }
    return {
      document: g.document || null,
      navigator: g.navigator || null,
      window: g,
      fetch: g.fetch ? g.fetch.bind(g) : null,
      storage: storage,
      now: function () { return Date.now(); },
      setTimeout: function (f, ms) { return setTimeout(f, ms); },
      clearTimeout: function (t) { clearTimeout(t); },
      random: Math.random
    };
  }

  function readCookie(doc, name) {
    if (!doc || !doc.cookie) return null;
    var parts = doc.cookie.split(';');
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].trim();
      if (kv.indexOf(name + '=') === 0) return decodeURIComponent(kv.slice(name.length + 1));
    }
    return null;
  }

  function writeCookie(doc, name, value, maxAgeSeconds) {
    if (!doc) return;
    doc.cookie = name + '=' + encodeURIComponent(value) + '; path=/; max-age=' + maxAgeSeconds +
      '; SameSite=Lax';
  }

  function Tracker(options, env) {
    this.options = Object.assign({}, DEFAULTS, options || {});
    if (!this.options.key) throw new Error('Shopkeeper: the storefront key is required');
    this.env = Object.assign(browserEnv(), env || {});
    this.queue = this._load();
    this.dropped = 0;
    this.timer = null;
    this.backoffMs = 0;
    this.inFlight = null;
    this.page = null;
    this.customerId = this.options.customerId || null;
    this.anonymousId = this._anonymousId();
    this._listen();
  }

  Tracker.prototype._anonymousId = function () {
    var doc = this.env.document;
    var id = readCookie(doc, this.options.cookieName);
    if (!id) id = 'anon-' + uuid(this.env.random);
    writeCookie(doc, this.options.cookieName, id, this.options.cookieDays * 86400);
    return id;
  };

  /** The session id: kept while the visitor is active, new after the inactivity timeout. */
  Tracker.prototype.sessionId = function () {
    var doc = this.env.document;
    var now = this.env.now();
    var stored = readCookie(doc, this.options.sessionCookieName) || this._memorySession;
    var id = null;
    if (stored) {
      var dot = stored.lastIndexOf('.');
      var last = Number(stored.slice(dot + 1));
      if (dot > 0 && now - last < this.options.sessionTimeoutMs) id = stored.slice(0, dot);
    }
    if (!id) id = 's-' + uuid(this.env.random);
    this._memorySession = id + '.' + now;
    writeCookie(doc, this.options.sessionCookieName, this._memorySession,
      Math.ceil(this.options.sessionTimeoutMs / 1000));
    return id;
  };

  /** The id the API knows this visitor by: the customer once logged in, else the cookie. */
  Tracker.prototype.visitorId = function () {
    return this.customerId || this.anonymousId;
  };

  Tracker.prototype._listen = function () {
    var self = this;
    var win = this.env.window;
    if (!win || !win.addEventListener) return;
    win.addEventListener('pagehide', function () { self.pageLeave(); });
    win.addEventListener('online', function () { self.backoffMs = 0; self._schedule(0); });
  };

  // ---- the event contract -------------------------------------------------------------------

  Tracker.prototype.track = function (type, fields) {
    var event = Object.assign({
      eventId: uuid(this.env.random),
      type: type,
      timestamp: new Date(this.env.now()).toISOString(),
      sessionId: this.sessionId(),
      anonymousId: this.anonymousId
    }, fields || {});
    if (this.customerId) event.customerId = this.customerId;
    for (var k in event) if (event[k] === undefined || event[k] === null) delete event[k];
    this.queue.push(event);
    if (this.queue.length > this.options.maxQueue) {
      var over = this.queue.length - this.options.maxQueue;
      this.queue.splice(0, over);
      this.dropped += over;
    }
    this._save();
    if (this.queue.length >= this.options.batchSize) this._schedule(0);
    else this._schedule(this.options.flushIntervalMs);
    return event;
  };

  Tracker.prototype.pageView = function (pageType, url) {
    this.page = { pageType: pageType, itemId: null };
    return this.track('page_view', {
      pageType: pageType,
      url: url || (this.env.document && this.env.document.location ? String(this.env.document.location.href) : undefined)
    });
  };
  Tracker.prototype.productView = function (p) {
    this.page = { pageType: 'product', itemId: p.itemId };
    return this.track('product_view', pick(p, ['itemId', 'categoryId', 'brand', 'price', 'listPrice']));
  };
  Tracker.prototype.search = function (query, resultCount) {
    return this.track('search', { query: query, resultCount: resultCount });
  };
  Tracker.prototype.sort = function (sortBy) { return this.track('sort', { sortBy: sortBy }); };
  Tracker.prototype.addToCart = function (line) {
    return this.track('add_to_cart', pick(line, ['itemId', 'quantity', 'price']));
  };
  Tracker.prototype.removeFromCart = function (line) {
    return this.track('remove_from_cart', pick(line, ['itemId', 'quantity', 'price']));
  };
  Tracker.prototype.checkoutStart = function (cartTotal) {
    return this.track('checkout_start', { cartTotal: cartTotal });
  };
  /** The visitor logged in: the job stitches this cookie's history to the customer. */
  /** The visitor logs in; `visitorToken`: the shop back end's token for the customer id, if any. */
  Tracker.prototype.login = function (customerId, visitorToken) {
    this.customerId = customerId;
    this.options.visitorToken = visitorToken || null;
    return this.track('login', { customerId: customerId });
  };
  Tracker.prototype.logout = function () { this.customerId = null; this.options.visitorToken = null; };
  /** One shown recommendation or offer: { recommendationId | offerId, itemId }. */
  Tracker.prototype.impression = function (ref) {
    return this.track('impression', pick(ref, ['recommendationId', 'offerId', 'itemId']));
  };
  Tracker.prototype.click = function (ref) {
    return this.track('click', pick(ref, ['recommendationId', 'offerId', 'itemId']));
  };

  /**
   * The visitor leaves the page: a page_leave with the page being left, and everything still
   * queued, sent with navigator.sendBeacon (it survives the page's unload). The key travels in the
   * URL because a beacon cannot carry headers. Events the browser refused to queue stay in
   * localStorage for the next page.
   */
  Tracker.prototype.pageLeave = function () {
    var fields = {};
    if (this.page) { fields.pageType = this.page.pageType; if (this.page.itemId) fields.itemId = this.page.itemId; }
    this.track('page_leave', fields);
    if (this.env.clearTimeout && this.timer) { this.env.clearTimeout(this.timer); this.timer = null; }
    var nav = this.env.navigator;
    var batch = this.queue.slice(0, Math.min(this.queue.length, 100));
    if (!nav || !nav.sendBeacon || batch.length === 0) return false;
    var url = this.options.endpoint + '/v1/events?key=' + encodeURIComponent(this.options.key);
    var body = JSON.stringify(batch);
    var payload = typeof Blob !== 'undefined' ? new Blob([body], { type: 'application/json' }) : body;
    var queued = nav.sendBeacon(url, payload);
    if (queued) { this.queue.splice(0, batch.length); this._save(); }
    return queued;
  };

  // ---- delivery -----------------------------------------------------------------------------

  Tracker.prototype._schedule = function (delayMs) {
    var self = this;
    if (this.inFlight) return;
    if (this.timer) {
      if (delayMs > 0) return; // a flush is already due
      this.env.clearTimeout(this.timer);
    }
    this.timer = this.env.setTimeout(function () { self.timer = null; self.flush(); },
      Math.max(delayMs, this.backoffMs));
  };

  /** Sends the next batch now; resolves with the API's status (or 0 for a network error). */
  Tracker.prototype.flush = function () {
    var self = this;
    if (this.inFlight) return this.inFlight;
    if (this.queue.length === 0) return Promise.resolve(null);
    var nav = this.env.navigator;
    if (nav && nav.onLine === false) return Promise.resolve(0); // the 'online' event resumes
    var batch = this.queue.slice(0, this.options.batchSize);
    this.inFlight = this.env.fetch(this.options.endpoint + '/v1/events', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + this.options.key },
      body: JSON.stringify(batch),
      keepalive: true
    }).then(function (response) {
      var status = response.status;
      if (status === 202 || status === 400 || status === 413) {
        // Delivered, or refused for good (invalid events): never retried.
        self._remove(batch);
        self.backoffMs = 0;
      } else {
        var retryAfter = response.headers && response.headers.get ? Number(response.headers.get('Retry-After')) : NaN;
        self._backoff(status === 429 && retryAfter > 0 ? retryAfter * 1000 : null);
      }
      return status;
    }, function () {
      self._backoff(null);
      return 0;
    }).then(function (status) {
      self.inFlight = null;
      if (self.queue.length > 0) self._schedule(self.backoffMs > 0 ? self.backoffMs : 0);
      return status;
    });
    return this.inFlight;
  };

  Tracker.prototype._backoff = function (waitMs) {
    var next = this.backoffMs === 0 ? 1000 : this.backoffMs * 2;
    this.backoffMs = Math.min(waitMs != null ? Math.max(waitMs, 1000) : next, this.options.maxBackoffMs);
  };

  Tracker.prototype._remove = function (batch) {
    var sent = {};
    batch.forEach(function (e) { sent[e.eventId] = true; });
    this.queue = this.queue.filter(function (e) { return !sent[e.eventId]; });
    this._save();
  };

  Tracker.prototype._load = function () {
    var storage = this.env.storage;
    if (!storage) return [];
    try {
      var queued = JSON.parse(storage.getItem(this.options.storageKey) || '[]');
      return Array.isArray(queued) ? queued.slice(-this.options.maxQueue) : [];
    } catch (e) {
      return [];
    }
  };

  Tracker.prototype._save = function () {
    var storage = this.env.storage;
    if (!storage) return;
    try {
      if (this.queue.length === 0) storage.removeItem(this.options.storageKey);
      else storage.setItem(this.options.storageKey, JSON.stringify(this.queue));
    } catch (e) { /* storage full or disabled: the in-memory queue still works */ }
  };

  // ---- recommendations and offers -----------------------------------------------------------

  Tracker.prototype._get = function (path, params) {
    var query = Object.keys(params).filter(function (k) {
      return params[k] !== undefined && params[k] !== null && params[k] !== '';
    }).map(function (k) {
      var v = Array.isArray(params[k]) ? params[k].join(',') : params[k];
      return encodeURIComponent(k) + '=' + encodeURIComponent(v);
    }).join('&');
    var headers = { 'Authorization': 'Bearer ' + this.options.key };
    // Proves the page is this visitor's: the API then serves their coupon codes in full.
    if (this.options.visitorToken) headers['X-Visitor-Token'] = this.options.visitorToken;
    return this.env.fetch(this.options.endpoint + path + (query ? '?' + query : ''), {
      headers: headers
    });
  };

  /**
   * Recommendations for this visitor on this page: { context: home|product|cart|search, item,
   * items, category, n }. Resolves with the API's answer ({ recommendationId, items: [...] }).
   */
  Tracker.prototype.recommendations = function (request) {
    var r = request || {};
    return this._get('/v1/recommendations', {
      customer: this.visitorId(), context: r.context || 'home', item: r.item, items: r.items,
      category: r.category, n: r.n
    }).then(function (response) {
      if (!response.ok) throw new Error('recommendations: HTTP ' + response.status);
      return response.json();
    });
  };

  /**
   * The onsite offers decided for this visitor ({ context }); resolves with a list, empty when
   * there is none or the API serves no offers.
   */
  Tracker.prototype.offers = function (request) {
    var r = request || {};
    return this._get('/v1/offers', { customer: this.visitorId(), context: r.context })
      .then(function (response) {
        if (!response.ok) return [];
        return response.json().then(function (body) {
          return Array.isArray(body) ? body : (body && body.offers) || [];
        });
      }, function () { return []; });
  };

  /**
   * Shows recommendations in `container` (an element): fetches them, hands them to
   * options.render(items, answer) when given (the page's own renderer, which returns the elements
   * it made, one per item, each with data-sk-item) or renders a plain list, then reports one
   * impression per item shown and a click when one is followed.
   */
  Tracker.prototype.renderRecommendations = function (container, request, options) {
    var self = this;
    var opts = options || {};
    return this.recommendations(request).then(function (answer) {
      var elements = opts.render ? opts.render(answer.items, answer) : defaultRecommendations(container, answer, opts);
      self._report(elements || [], { recommendationId: answer.recommendationId });
      return answer;
    });
  };

  /** Shows the visitor's onsite offers in `container`, reporting impressions and clicks. */
  Tracker.prototype.renderOffers = function (container, request, options) {
    var self = this;
    var opts = options || {};
    return this.offers(request).then(function (offers) {
      var elements = opts.render ? opts.render(offers) : defaultOffers(container, offers);
      (elements || []).forEach(function (el, i) {
        var offer = offers[i];
        if (!offer) return;
        var ref = { offerId: offer.offerId, itemId: offer.itemId };
        self.impression(ref);
        el.addEventListener('click', function () { self.click(ref); });
      });
      return offers;
    });
  };

  Tracker.prototype._report = function (elements, ref) {
    var self = this;
    elements.forEach(function (el) {
      var item = el.getAttribute('data-sk-item');
      var r = Object.assign({ itemId: item }, ref);
      self.impression(r);
      el.addEventListener('click', function () { self.click(r); });
    });
  };

  function defaultRecommendations(container, answer, opts) {
    var doc = container.ownerDocument;
    container.innerHTML = '';
    var list = doc.createElement('ul');
    list.className = 'sk-recommendations';
    var elements = answer.items.map(function (item) {
      var li = doc.createElement('li');
      var link = doc.createElement('a');
      link.href = opts.itemUrl ? opts.itemUrl(item.itemId) : '#' + item.itemId;
      link.textContent = opts.itemLabel ? opts.itemLabel(item) : item.itemId;
      link.setAttribute('data-sk-item', item.itemId);
      if (item.reason) link.title = item.reason;
      li.appendChild(link);
      list.appendChild(li);
      return link;
    });
    container.appendChild(list);
    return elements;
  }

  function defaultOffers(container, offers) {
    var doc = container.ownerDocument;
    container.innerHTML = '';
    return offers.map(function (offer) {
      var box = doc.createElement('div');
      box.className = 'sk-offer';
      box.setAttribute('role', 'status');
      box.textContent = offer.message || offer.title || ('Offer ' + (offer.couponCode || offer.offerId));
      if (offer.couponCode) {
        var code = doc.createElement('strong');
        code.className = 'sk-coupon';
        code.textContent = ' ' + offer.couponCode;
        box.appendChild(code);
      }
      container.appendChild(box);
      return box;
    });
  }

  function pick(source, keys) {
    var out = {};
    keys.forEach(function (k) { if (source && source[k] !== undefined) out[k] = source[k]; });
    return out;
  }

  return {
    /** Starts a tracker: Shopkeeper.init({ key, endpoint, customerId, ... }). */
    init: function (options, env) { return new Tracker(options, env); },
    Tracker: Tracker,
    DEFAULTS: DEFAULTS
  };
});

// The marketing console: one page, hash routes, data from the API with the admin key (kept in
// sessionStorage; a #key=... fragment, as the quick start prints it, is taken and removed).
(function () {
  'use strict';
  var W = window.SK_WORDS;
  var KEY_STORE = 'sk_admin_key';
  var view = document.getElementById('view');
  var title = document.getElementById('title');
  var live = document.getElementById('live');
  var timers = [];
  var history = { stats: [], segments: {} }; // live series since the console was opened

  // ---- key and API ----------------------------------------------------------------------------
  var fragmentKey = location.hash.match(/[#&]key=([^&]+)/);
  if (fragmentKey) {
    sessionStorage.setItem(KEY_STORE, decodeURIComponent(fragmentKey[1]));
    history_replace(location.hash.replace(/[#&]?key=[^&]+/, '') || '#/');
  }
  function history_replace(hash) { window.history.replaceState(null, '', location.pathname + (hash.charAt(0) === '#' ? hash : '#' + hash)); }
  function key() { return sessionStorage.getItem(KEY_STORE); }

  function api(method, path, body) {
    var init = { method: method, headers: { Authorization: 'Bearer ' + key() } };
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (r) {
      var type = r.headers.get('Content-Type') || '';
      var parsed = type.indexOf('json') >= 0 ? r.json() : r.text();
      return parsed.then(function (data) {
        if (r.status === 401 || r.status === 403) { askForKey(data && data.message); throw new Error('key'); }
        return { status: r.status, ok: r.ok, data: data };
      });
    });
  }

  function askForKey(message) {
    var dialog = document.getElementById('key-dialog');
    document.getElementById('key-error').textContent = message && key() ? 'That key was refused: ' + message : '';
    if (!dialog.open) dialog.showModal();
  }
  document.getElementById('key-form').addEventListener('submit', function () {
    sessionStorage.setItem(KEY_STORE, document.getElementById('key-input').value.trim());
    route();
  });

  // ---- helpers --------------------------------------------------------------------------------
  function h(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    });
    [].concat(children === undefined ? [] : children).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return e;
  }
  function money(v) { return v == null ? '–' : '€' + Number(v).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function num(v) { return v == null ? '–' : Number(v).toLocaleString('en'); }
  function pct(v) { return v == null ? '–' : Math.round(v * 100) + '%'; }
  function when(ms) { return ms ? new Date(ms).toLocaleString() : '–'; }
  function every(ms, f) { f(); timers.push(setInterval(f, ms)); }
  function show(heading, nodes) {
    title.textContent = heading;
    document.title = heading + ' · Shopkeeper console';
    view.innerHTML = '';
    [].concat(nodes).forEach(function (n) { if (n) view.appendChild(n); });
  }
  function stamp() { live.textContent = 'updated ' + new Date().toLocaleTimeString(); }
  function card(label, value, note) {
    return h('div', { 'class': 'card' }, [h('div', { 'class': 'muted' }, label), h('div', { 'class': 'big' }, value), note ? h('div', { 'class': 'muted' }, note) : null]);
  }

  var OUTCOMES = { sent: 'offered', held_out: 'held out (control group, nothing sent)', capped: 'not sent: frequency cap reached', not_eligible: 'not eligible' };

  // ---- Overview -------------------------------------------------------------------------------
  function overview() {
    var rate = card('Events per minute', '…', 'visitor events the job applied');
    var total = card('Events so far', '…');
    var known = card('Segments', '…');
    var visitors = card('Visitors known', '…', 'profiles kept now');
    visitors.id = 'visitors-known';
    var customers = card('Customers known', '…', 'identified by a customer id');
    customers.id = 'customers-known';
    var chartBox = h('div', { 'class': 'card', id: 'events-chart', role: 'img', 'aria-label': 'Events per minute since the console was opened' });
    var segs = h('div', { id: 'overview-segments' });
    var camps = h('div', { id: 'overview-campaigns' });
    show('Overview', [h('div', { 'class': 'cards' }, [rate, total, visitors, customers, known]), h('h2', {}, 'Events per minute'), chartBox,
      h('h2', {}, 'Segments now'), segs, h('h2', {}, 'Campaigns'), camps]);
    var plot = null;
    every(5000, function () {
      api('GET', '/v1/stats').then(function (r) {
        var s = history.stats;
        s.push({ at: r.data.at, n: r.data.eventsApplied });
        if (s.length > 240) s.shift();
        total.querySelector('.big').textContent = num(r.data.eventsApplied);
        var census = r.data.census;
        if (census) {
          visitors.querySelector('.big').textContent = num(census.visitors);
          visitors.querySelector('.muted:last-child').textContent = num(census.anonymous) + ' of them anonymous';
          customers.querySelector('.big').textContent = num(census.customers);
        }
        if (s.length > 1) {
          var a = s[s.length - 2], b = s[s.length - 1];
          var perMin = Math.max(0, (b.n - a.n) * 60000 / Math.max(1, b.at - a.at));
          rate.querySelector('.big').textContent = num(Math.round(perMin));
        }
        if (window.uPlot && s.length > 1) {
          var xs = [], ys = [];
          for (var i = 1; i < s.length; i++) { xs.push(s[i].at / 1000); ys.push(Math.max(0, (s[i].n - s[i - 1].n) * 60000 / Math.max(1, s[i].at - s[i - 1].at))); }
          var width = Math.max(280, chartBox.clientWidth - 24);
          if (!plot) {
            chartBox.innerHTML = '';
            plot = new uPlot({ width: width, height: 180, series: [{}, { label: 'events/min', stroke: '#0b5cad', width: 2 }], axes: [{}, { size: 60 }] }, [xs, ys], chartBox);
          } else plot.setData([xs, ys]);
        } else if (s.length < 2) chartBox.textContent = 'Measuring… (the rate appears after the second reading, 5 s)';
        stamp();
      }).catch(function () {});
      segmentsTable(segs, known, true);
      campaignsList(camps, true);
    });
  }

  function segmentsTable(box, counter, compact) {
    return api('GET', '/v1/segments').then(function (r) {
      var rows = r.data.segments.map(function (s) {
        var past = history.segments[s.name] || [];
        past.push(s.size);
        if (past.length > 120) past.shift();
        history.segments[s.name] = past;
        var trend = past.length > 1 ? s.size - past[0] : 0;
        return h('tr', {}, [
          h('td', {}, h('a', { href: '#/segment/' + encodeURIComponent(s.name) }, s.name)),
          h('td', {}, s.description || ''),
          compact ? null : h('td', { 'class': 'hide-small' }, h('code', {}, s.condition || '')),
          h('td', { 'class': 'num' }, num(s.size)),
          h('td', { 'class': 'num' }, (trend > 0 ? '+' : '') + num(trend))
        ]);
      });
      if (counter) counter.querySelector('.big').textContent = num(r.data.segments.length);
      box.innerHTML = '';
      box.appendChild(rows.length ? h('table', {}, [h('thead', {}, h('tr', {}, [h('th', {}, 'Segment'), h('th', {}, 'In plain words'),
        compact ? null : h('th', { 'class': 'hide-small' }, 'Rule'), h('th', { 'class': 'num' }, 'Customers now'),
        h('th', { 'class': 'num' }, 'Change since opened')])), h('tbody', {}, rows)]) : h('p', {}, 'The job has not declared its segments yet.'));
    });
  }

  function campaignsList(box, compact) {
    return api('GET', '/v1/campaigns').then(function (r) {
      box.innerHTML = '';
      if (r.status === 404 || r.status === 405) { box.appendChild(h('p', { 'class': 'muted' }, 'This API serves no campaigns yet.')); return; }
      var list = r.data.campaigns || [];
      if (!list.length) { box.appendChild(h('p', {}, 'No campaigns yet. ')).appendChild(h('a', { href: '#/campaigns' }, 'Create one')); return; }
      box.appendChild(h('table', {}, [h('thead', {}, h('tr', {}, [h('th', {}, 'Campaign'), h('th', {}, 'State')])),
        h('tbody', {}, list.map(function (c) {
          return h('tr', {}, [h('td', {}, h('a', { href: '#/campaign/' + encodeURIComponent(c.id) }, c.name || c.id)), h('td', {}, c.status)]);
        }))]));
    }).catch(function () {});
  }

  // ---- Segments -------------------------------------------------------------------------------
  function segments() {
    var box = h('div');
    var value = h('div', { id: 'revenue-concentration' });
    show('Segments', [h('p', { 'class': 'muted' }, 'Who is in which segment now. Sizes refresh every 10 s.'), box,
      h('h2', {}, 'Who brings the revenue (the 20/80 view)'), value]);
    every(10000, function () {
      segmentsTable(box, null, false).then(stamp).catch(function () {});
      api('GET', '/v1/stats').then(function (r) { revenueConcentration(value, r.data.revenue); }).catch(function () {});
    });
  }

  // The share of revenue the best customers bring, from the job's live distribution of spend.
  function revenueConcentration(box, revenue) {
    box.innerHTML = '';
    if (!revenue || !revenue.buyers) { box.appendChild(h('p', {}, 'No orders yet: the view appears with the first customer who buys.')); return; }
    var shares = revenue.cumulativeShare;
    box.appendChild(h('p', { 'class': 'headline' }, ['The top 20% of customers bring ', h('strong', { id: 'top-fifth-share' }, pct(revenue.topFifthShare)),
      ' of the revenue.']));
    box.appendChild(h('p', { 'class': 'muted' }, num(revenue.buyers) + ' customers have ordered, about ' + money(revenue.revenue) +
      ' in all. Without concentration, the top 20% would bring 20%.'));
    var chart = h('div', { 'class': 'card', role: 'img', 'aria-label': 'Share of revenue against share of customers, best customers first' });
    box.appendChild(chart);
    box.appendChild(h('table', { 'class': 'compact' }, [h('thead', {}, h('tr', {}, [h('th', {}, 'Best customers'), h('th', { 'class': 'num' }, 'Share of revenue')])),
      h('tbody', {}, shares.map(function (v, i) { return h('tr', {}, [h('td', {}, 'top ' + ((i + 1) * 10) + '%'), h('td', { 'class': 'num' }, pct(v))]); }))]));
    if (window.uPlot) {
      var xs = [0], ys = [0], even = [0];
      shares.forEach(function (v, i) { xs.push((i + 1) * 10); ys.push(Math.round(v * 1000) / 10); even.push((i + 1) * 10); });
      new uPlot({ width: Math.max(280, chart.clientWidth - 24), height: 200,
        scales: { x: { time: false } },
        series: [{ label: '% of customers' }, { label: '% of revenue', stroke: '#0b5cad', width: 2 }, { label: 'if all spent alike', stroke: '#999', dash: [4, 4] }],
        axes: [{ values: function (u, v) { return v.map(function (x) { return x + '%'; }); } }, { size: 50, values: function (u, v) { return v.map(function (y) { return y + '%'; }); } }] },
        [xs, ys, even], chart);
    }
  }

  function segment(name) {
    var list = h('ul', { id: 'members' });
    var more = h('button', { type: 'button', id: 'more-members' }, 'Show more');
    var cursor = '0';
    var shown = 0;
    function page() {
      api('GET', '/v1/segments/' + encodeURIComponent(name) + '/members?count=50&cursor=' + cursor).then(function (r) {
        if (r.status !== 200) { list.appendChild(h('li', { 'class': 'error' }, r.data.message)); more.disabled = true; return; }
        r.data.members.forEach(function (m) { shown++; list.appendChild(h('li', {}, h('a', { href: '#/customer/' + encodeURIComponent(m) }, m))); });
        cursor = r.data.nextCursor;
        more.disabled = cursor === '0';
        more.textContent = cursor === '0' ? 'That is everyone (' + shown + ')' : 'Show more';
      });
    }
    more.addEventListener('click', page);
    show('Segment ' + name, [h('p', {}, h('a', { href: '#/segments' }, '← all segments')), list, more]);
    page();
  }

  // ---- A customer ---------------------------------------------------------------------------
  function customerSearch(id) {
    var input = h('input', { id: 'customer-id', name: 'id', value: id || '', placeholder: 'cust-262 or anon-…', required: 'required' });
    var form = h('form', { role: 'search', onsubmit: function (e) { e.preventDefault(); location.hash = '#/customer/' + encodeURIComponent(input.value.trim()); } },
      [h('label', { 'for': 'customer-id' }, 'Customer or anonymous id'), input, ' ', h('button', {}, 'Look up')]);
    return form;
  }

  function customer(id) {
    var body = h('div', { id: 'customer' });
    show(id ? 'Customer ' + id : 'A customer', [customerSearch(id), body]);
    if (!id) return;
    every(5000, function () { renderCustomer(id, body); });
  }

  function renderCustomer(id, box) {
    var enc = encodeURIComponent(id);
    Promise.all([
      api('GET', '/v1/customers/' + enc + '/profile'),
      api('GET', '/v1/recommendations?n=5&context=home&customer=' + enc),
      api('GET', '/v1/customers/' + enc + '/offers/history').catch(function () { return { status: 404 }; }),
      api('GET', '/v1/customers/' + enc + '/deletion')
    ]).then(function (all) {
      var p = all[0], recs = all[1], offers = all[2], deletion = all[3];
      box.innerHTML = '';
      if (deletion.status === 200 && deletion.data.status === 'done') {
        box.appendChild(h('p', { id: 'forgotten', role: 'status' }, 'Forgotten on ' + new Date(deletion.data.completedAt).toLocaleString() + '. Shopkeeper holds nothing about ' + id + ' any more.'));
      }
      if (p.status === 404) { box.appendChild(h('p', { id: 'no-profile' }, 'Shopkeeper knows nothing about ' + id + ' (yet).')); stamp(); return; }
      var d = p.data;
      var sections = [];
      sections.push(h('div', { 'class': 'cards' }, [
        card('Value', money(d.spend), num(d.orders) + ' orders · average ' + money(d.averageOrderValue)),
        card('Expected lifetime value', money(d.estimatedLifetimeValue)),
        card('Stage', W.lifecycle[d.lifecycle] || d.lifecycle || '–', d.lifecycleSince ? 'since ' + when(d.lifecycleSince) : null),
        card('Visits', num(d.sessions), num(d.events) + ' events · last seen ' + when(d.lastSeen))
      ]));
      sections.push(h('p', {}, 'Recency, frequency, money: ' + [d.recencyScore, d.frequencyScore, d.monetaryScore].map(function (v) { return v == null ? '–' : v + '/5'; }).join(' · ') +
        ' · buys on discount ' + pct(d.discountShare) + ' of lines · uses coupons on ' + pct(d.couponShare) + ' of orders'));
      sections.push(h('h2', {}, 'What stands out'));
      sections.push(signal('Price-sensitive', 'price-signal', d.priceSensitive));
      sections.push(signal('Drifting', 'drift-signal', d.drifting));
      sections.push(h('h2', {}, 'Segments'));
      sections.push(h('p', { id: 'segments' }, (d.segments || []).length ? d.segments.map(function (s) { return h('a', { 'class': 'pill', href: '#/segment/' + encodeURIComponent(s) }, s); }) : 'none'));
      sections.push(h('h2', {}, 'Looked at and bought'));
      sections.push(h('p', {}, ['Recently viewed: ', (d.recentViews || []).slice(0, 10).join(', ') || 'nothing']));
      sections.push(h('p', {}, ['In the cart lately: ', (d.recentCarts || []).join(', ') || 'nothing']));
      sections.push(h('p', {}, ['Bought: ', (d.purchasedItems || []).join(', ') || 'nothing yet']));
      var interests = Object.keys(d.categoryAffinity || {}).sort(function (a, b) { return d.categoryAffinity[b] - d.categoryAffinity[a]; }).slice(0, 5);
      sections.push(h('p', {}, ['Most interested in: ', interests.join(', ') || '–']));
      sections.push(h('h2', {}, 'Offers decided about them'));
      if (offers.status === 200) {
        var list = offers.data.decisions || [];
        sections.push(list.length ? h('ul', { id: 'offers' }, list.map(function (o) {
          return h('li', {}, [when(o.at) + ' · ' + o.campaignId + ': ', OUTCOMES[o.outcome] || o.outcome,
            o.trigger ? ' when ' + o.trigger.replace(/_/g, ' ') : '', o.reason ? ' — ' + W.reason(o.reason.split(':')[0]) : '']);
        })) : h('p', {}, 'None so far.'));
      } else sections.push(h('p', { 'class': 'muted' }, 'This API serves no offer history yet.'));
      sections.push(h('h2', {}, 'What they would be recommended now (home page)'));
      if (recs.status === 200) {
        sections.push(h('ol', { id: 'recommendations' }, recs.data.items.map(function (i) { return h('li', {}, [h('strong', {}, i.itemId), ' — ', W.recReason(i.reason)]); })));
        sections.push(h('p', { 'class': 'muted' }, 'Strategy: ' + recs.data.strategy));
      }
      sections.push(h('h2', {}, 'Right to be forgotten'));
      sections.push(h('button', { type: 'button', 'class': 'danger', id: 'forget', onclick: function () { forget(id); } }, 'Forget ' + id + '…'));
      sections.forEach(function (s) { box.appendChild(s); });
      stamp();
    }).catch(function () {});
  }

  function signal(label, id, s) {
    s = s || { score: 0, flagged: false, reasons: [] };
    return h('div', { 'class': 'signal' + (s.flagged ? ' on' : ''), id: id }, [
      h('strong', {}, label + ': ' + (s.flagged ? 'yes' : 'no')),
      h('span', { 'class': 'muted' }, ' (score ' + Number(s.score || 0).toFixed(2) + (s.flagged && s.onSince ? ', since ' + when(s.onSince) : '') + ')'),
      (s.reasons || []).length ? h('ul', {}, s.reasons.map(function (r) { return h('li', { 'data-reason': r }, W.reason(r)); })) : h('p', { 'class': 'muted' }, 'no evidence')
    ]);
  }

  function forget(id) {
    var dialog = document.getElementById('forget-dialog');
    var confirmBox = document.getElementById('forget-confirm');
    var go = document.getElementById('forget-go');
    document.getElementById('forget-who').textContent = id;
    confirmBox.value = '';
    go.disabled = true;
    confirmBox.oninput = function () { go.disabled = confirmBox.value.trim() !== id; };
    dialog.onclose = function () {
      if (dialog.returnValue !== 'forget') return;
      api('DELETE', '/v1/customers/' + encodeURIComponent(id)).then(function (r) {
        live.textContent = r.status === 202 ? 'Forgetting ' + id + '… (the page shows when it is done)' : 'Could not forget: ' + r.data.message;
      });
    };
    dialog.showModal();
    confirmBox.focus();
  }

  // ---- Recommendations and campaigns (served by the offers API when present) -----------------
  function recommendations() {
    var box = h('div', { id: 'rec-results' });
    show('Recommendations', [h('p', { 'class': 'muted' }, 'Click-through and revenue per strategy and page.'), box]);
    every(10000, function () {
      api('GET', '/v1/recommendations/results').then(function (r) {
        box.innerHTML = '';
        if (r.status !== 200) { box.appendChild(h('p', { 'class': 'muted' }, 'This API serves no recommendation results yet.')); return; }
        var rows = r.data.strategies || [];
        if (!rows.length) { box.appendChild(h('p', {}, 'No recommendation was shown with its id since ' + r.data.since + '.')); return; }
        box.appendChild(h('table', {}, [h('thead', {}, h('tr', {}, ['Strategy', 'Page', 'Shown', 'Clicked', 'Click-through', 'Orders', 'Revenue'].map(function (t, i) { return h('th', { 'class': i > 1 ? 'num' : null }, t); }))),
          h('tbody', {}, rows.map(function (x) {
            var ctr = x.impressions ? x.clicks / x.impressions : null;
            return h('tr', {}, [h('td', {}, x.strategy), h('td', {}, x.context), h('td', { 'class': 'num' }, num(x.impressions)), h('td', { 'class': 'num' }, num(x.clicks)), h('td', { 'class': 'num' }, ctr == null ? '–' : (ctr * 100).toFixed(1) + '%'), h('td', { 'class': 'num' }, num(x.orders)), h('td', { 'class': 'num' }, money(x.revenue))]);
          }))]));
        stamp();
      }).catch(function () {});
    });
  }

  function campaigns() {
    var box = h('div', { id: 'campaigns' });
    show('Campaigns', [h('p', {}, h('a', { href: '#/campaign-new', id: 'new-campaign' }, '+ New campaign')), box]);
    every(10000, function () { campaignsList(box, false).then(stamp); });
  }

  var FIELDS = ['id', 'name', 'trigger', 'audience', 'discountPercent', 'message', 'holdoutPercent', 'priority'];

  function campaignForm(existing) {
    var c = existing || { trigger: { type: 'left_at_price' }, offer: { kind: 'coupon', discountPercent: 10, validFor: 'P2D' },
      cap: { perCustomer: 1, per: 'P7D' }, holdoutPercent: 10, conversionWindow: 'P7D', priority: 50, audience: 'priceSensitive' };
    function field(name, label, input, hint) {
      input.setAttribute('id', 'f-' + name);
      input.setAttribute('aria-describedby', 'err-' + name);
      return h('div', {}, [h('label', { 'for': 'f-' + name }, label), input, hint ? h('div', { 'class': 'muted' }, hint) : null,
        h('div', { 'class': 'field-error', id: 'err-' + name, role: 'alert' })]);
    }
    function select(values, current) {
      return h('select', {}, values.map(function (v) { var o = h('option', { value: v }, v.replace(/_/g, ' ')); if (v === current) o.selected = true; return o; }));
    }
    var inputs = {
      id: h('input', { value: c.id || '', required: 'required', pattern: '[a-z0-9-]+' }),
      name: h('input', { value: c.name || '', size: 50 }),
      trigger: select(['left_at_price', 'cart_abandoned', 'drifting', 'came_back', 'price_drop', 'back_in_stock', 'segment_joined'], c.trigger.type),
      audience: h('input', { value: c.audience || '', size: 50 }),
      discountPercent: h('input', { type: 'number', value: c.offer.discountPercent == null ? '' : c.offer.discountPercent }),
      message: h('input', { value: c.offer.message || '', size: 50 }),
      holdoutPercent: h('input', { type: 'number', value: c.holdoutPercent }),
      priority: h('input', { type: 'number', value: c.priority })
    };
    if (existing) inputs.id.setAttribute('readonly', 'readonly');
    function definition(status) {
      var d = {
        id: inputs.id.value.trim(), name: inputs.name.value.trim(), trigger: Object.assign({}, c.trigger, { type: inputs.trigger.value }),
        audience: inputs.audience.value.trim() || null,
        offer: Object.assign({}, c.offer, { discountPercent: inputs.discountPercent.value === '' ? null : Number(inputs.discountPercent.value), message: inputs.message.value }),
        cap: c.cap, holdoutPercent: Number(inputs.holdoutPercent.value), conversionWindow: c.conversionWindow,
        priority: Number(inputs.priority.value), status: status
      };
      // Empty fields are left out (the API refuses blank text and takes absence as the default).
      if (!d.audience) delete d.audience;
      if (!d.offer.message) delete d.offer.message;
      if (d.offer.discountPercent == null) delete d.offer.discountPercent;
      Object.keys(d.offer).forEach(function (k) { if (d.offer[k] == null) delete d.offer[k]; });
      return d;
    }
    var outcome = h('div', { id: 'campaign-outcome', role: 'status' });
    function showError(message) {
      FIELDS.forEach(function (f) { document.getElementById('err-' + f).textContent = ''; inputs[f].removeAttribute('aria-invalid'); });
      var hit = FIELDS.filter(function (f) { return message.indexOf(f) >= 0; }).sort(function (a, b) { return message.indexOf(a) - message.indexOf(b); })[0] || 'name';
      document.getElementById('err-' + hit).textContent = message;
      inputs[hit].setAttribute('aria-invalid', 'true');
      inputs[hit].focus();
    }
    function save(status) {
      var def = definition(status);
      var request = existing ? api('PUT', '/v1/campaigns/' + encodeURIComponent(def.id), def) : api('POST', '/v1/campaigns', def);
      return request.then(function (r) {
        if (r.ok) { location.hash = '#/campaign/' + encodeURIComponent(def.id); return; }
        showError(r.data.message || ('HTTP ' + r.status));
      });
    }
    var form = h('form', { id: 'campaign-form', onsubmit: function (e) { e.preventDefault(); save('draft'); } }, [
      field('id', 'Short id', inputs.id, 'lower case, digits and dashes; it cannot change'),
      field('name', 'Name', inputs.name),
      field('trigger', 'When', inputs.trigger, 'the moment the campaign considers a visitor'),
      field('audience', 'Who', inputs.audience, 'a rule over the profile, e.g. priceSensitive && orders >= 1'),
      field('discountPercent', 'Discount (%)', inputs.discountPercent),
      field('message', 'Message shown', inputs.message),
      field('holdoutPercent', 'Holdout (%)', inputs.holdoutPercent, 'kept out to measure the uplift'),
      field('priority', 'Priority', inputs.priority),
      h('p', {}, [h('button', { id: 'save-draft' }, existing ? 'Save' : 'Save as draft'), ' ',
        h('button', { type: 'button', id: 'save-live', onclick: function () { save('live'); } }, existing ? 'Save and go live' : 'Create and go live')]),
      outcome
    ]);
    return form;
  }

  function campaignNew() { show('New campaign', [h('p', {}, h('a', { href: '#/campaigns' }, '← all campaigns')), campaignForm(null)]); }

  function campaign(id) {
    var enc = encodeURIComponent(id);
    var head = h('div', { id: 'campaign-head' });
    var reach = h('div', { id: 'reach' });
    var results = h('div', { id: 'results' });
    var edit = h('div', { id: 'campaign-edit' });
    show('Campaign ' + id, [h('p', {}, h('a', { href: '#/campaigns' }, '← all campaigns')), head, h('h2', {}, 'Reach'), reach,
      h('h2', {}, 'Results: treated against holdout'), results, h('h2', {}, 'Definition'), edit]);
    function action(name, label) {
      return h('button', { type: 'button', id: 'campaign-' + name, onclick: function () {
        api('POST', '/v1/campaigns/' + enc + '/' + name).then(function (r) {
          live.textContent = r.ok ? label + ': done' : label + ': ' + r.data.message;
          load();
        });
      } }, label);
    }
    function load() {
      api('GET', '/v1/campaigns/' + enc).then(function (r) {
        if (!r.ok) { head.textContent = r.data.message; return; }
        var c = r.data;
        head.innerHTML = '';
        head.appendChild(h('p', {}, [h('strong', {}, c.name || c.id), ' · state ', h('strong', { id: 'campaign-status' }, c.status), ' · version ' + c.version]));
        var buttons = [];
        if (c.status === 'live') buttons.push(action('pause', 'Pause'));
        if (c.status === 'paused' || c.status === 'draft') buttons.push(action('resume', c.status === 'draft' ? 'Go live' : 'Resume'));
        if (c.status !== 'ended') buttons.push(action('end', 'End'));
        head.appendChild(h('p', {}, buttons));
        if (!edit.firstChild) edit.appendChild(campaignForm(c));
      });
    }
    reach.appendChild(h('button', { type: 'button', id: 'preview', onclick: function () {
      reach.lastChild.textContent = 'Counting…';
      api('POST', '/v1/campaigns/' + enc + '/preview').then(function (r) {
        reach.lastChild.textContent = r.ok ? num(r.data.eligible) + ' of ' + num(r.data.scanned) + ' known visitors would be considered now' +
          (r.data.complete ? '' : ' (a sample)') + '; before caps and holdout.' : r.data.message;
      });
    } }, 'Preview the reach'));
    reach.appendChild(h('p', { id: 'reach-result' }));
    load();
    every(10000, function () {
      api('GET', '/v1/campaigns/' + enc + '/results').then(function (r) {
        if (!r.ok) { results.textContent = r.data.message; return; }
        results.innerHTML = '';
        results.appendChild(resultsChart(r.data));
        var d = r.data;
        results.appendChild(h('p', { id: 'results-words' }, 'Treated ' + num(d.treated.visitors) + ' visitors (' + pct(d.treated.conversionRate) + ' bought), holdout ' +
          num(d.holdout.visitors) + ' (' + pct(d.holdout.conversionRate) + '). Uplift ' + (d.uplift == null ? '–' : (d.uplift * 100).toFixed(1) + ' points') +
          (d.upliftCi95 ? ' (95% interval ' + (d.upliftCi95.lower * 100).toFixed(1) + ' to ' + (d.upliftCi95.upper * 100).toFixed(1) + ')' : '') +
          '. Incremental revenue ' + money(d.incrementalRevenue) + ', discount given ' + money(d.discountGiven) + '.'));
        stamp();
      });
    });
  }

  /** Conversion of treated and holdout as bars, the uplift's 95% interval as a whisker on the treated bar. */
  function resultsChart(d) {
    var NS = 'http://www.w3.org/2000/svg';
    function s(tag, attrs, text) { var e = document.createElementNS(NS, tag); Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); if (text) e.textContent = text; return e; }
    var t = d.treated.conversionRate || 0, c = d.holdout.conversionRate || 0;
    var lo = d.upliftCi95 ? c + d.upliftCi95.lower : null, hi = d.upliftCi95 ? c + d.upliftCi95.upper : null;
    var max = Math.max(0.05, t, c, hi || 0) * 1.15;
    var H = 180, y = function (v) { return 20 + (H - 40) * (1 - v / max); };
    var svg = s('svg', { viewBox: '0 0 320 ' + H, width: '100%', style: 'max-width:28rem', role: 'img', id: 'results-chart',
      'aria-label': 'Conversion: treated ' + pct(t) + ', holdout ' + pct(c) });
    [[t, 'Treated', 60, '#0b5cad'], [c, 'Holdout', 190, '#8c959f']].forEach(function (b) {
      svg.appendChild(s('rect', { x: b[2], y: y(b[0]), width: 70, height: H - 20 - y(b[0]), fill: b[3] }));
      svg.appendChild(s('text', { x: b[2] + 35, y: H - 4, 'text-anchor': 'middle', 'font-size': 12 }, b[1]));
      svg.appendChild(s('text', { x: b[2] + 35, y: y(b[0]) - 4, 'text-anchor': 'middle', 'font-size': 12 }, pct(b[0])));
    });
    if (lo != null) {
      svg.appendChild(s('line', { x1: 95, x2: 95, y1: y(Math.max(0, lo)), y2: y(hi), stroke: '#b42318', 'stroke-width': 2 }));
      [lo, hi].forEach(function (v) { svg.appendChild(s('line', { x1: 87, x2: 103, y1: y(Math.max(0, v)), y2: y(Math.max(0, v)), stroke: '#b42318', 'stroke-width': 2 })); });
    }
    return svg;
  }

  // ---- router -------------------------------------------------------------------------------
  function route() {
    timers.forEach(clearInterval);
    timers = [];
    if (!key()) { askForKey(); return; }
    var path = location.hash.replace(/^#/, '') || '/';
    document.querySelectorAll('.top nav a').forEach(function (a) {
      var target = a.getAttribute('href').slice(1);
      if ((target === '/' ? path === '/' : path.indexOf(target) === 0)) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    var m;
    if ((m = path.match(/^\/segment\/(.+)$/))) segment(decodeURIComponent(m[1]));
    else if (path === '/segments') segments();
    else if ((m = path.match(/^\/customer\/?(.*)$/))) customer(decodeURIComponent(m[1] || ''));
    else if (path === '/recommendations') recommendations();
    else if (path === '/campaign-new') campaignNew();
    else if ((m = path.match(/^\/campaign\/(.+)$/))) campaign(decodeURIComponent(m[1]));
    else if (path.indexOf('/campaign') === 0) campaigns();
    else overview();
  }
  window.addEventListener('hashchange', function () { route(); document.getElementById('main').focus(); });
  route();
})();

'use strict';
// A browser for the tracker, in memory: cookie jar, localStorage, navigator, a manual clock with
// timers, and a fetch that answers from a script and records every request.

function fakeBrowser(options) {
  const opts = options || {};
  const cookies = new Map();
  const document = {
    location: { href: 'https://shop.example/p/1' },
    get cookie() {
      return [...cookies].map(([k, v]) => k + '=' + v).join('; ');
    },
    set cookie(line) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const maxAge = attributes.find((a) => a.startsWith('max-age='));
      if (maxAge && Number(maxAge.slice(8)) <= 0) cookies.delete(pair.slice(0, eq));
      else cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      document.lastCookieAttributes = attributes;
    },
  };
  const items = new Map();
  const storage = {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
  const beacons = [];
  const navigator = {
    onLine: true,
    sendBeacon: (url, data) => {
      beacons.push({ url, data });
      return opts.beaconAccepts !== false;
    },
  };
  let now = Date.parse('2026-11-25T10:00:00Z');
  let timers = [];
  let nextTimer = 1;
  const requests = [];
  const answers = [];
  const listeners = {};
  const env = {
    document,
    navigator,
    storage,
    window: { addEventListener: (type, f) => (listeners[type] = listeners[type] || []).push(f) },
    now: () => now,
    random: Math.random,
    setTimeout: (f, ms) => {
      const t = { id: nextTimer++, at: now + ms, f };
      timers.push(t);
      return t.id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    fetch: (url, init) => {
      requests.push({ url, init, body: init && init.body ? JSON.parse(init.body) : undefined });
      const answer = answers.length ? answers.shift() : { status: 202 };
      if (answer.networkError) return Promise.reject(new TypeError('Failed to fetch'));
      const headers = answer.headers || {};
      return Promise.resolve({
        status: answer.status,
        ok: answer.status >= 200 && answer.status < 300,
        headers: { get: (name) => (name in headers ? String(headers[name]) : null) },
        json: () => Promise.resolve(answer.body),
      });
    },
  };
  return {
    env,
    cookies,
    storage: items,
    beacons,
    requests,
    listeners,
    /** The next fetch answers: { status, headers, body } or { networkError: true }. */
    answer: (...a) => answers.push(...a),
    /** Moves the clock, firing due timers in order and letting their promises settle. */
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        await settle();
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > until) break;
        timers.shift();
        now = due.at;
        due.f();
      }
      now = until;
      await settle();
    },
    pendingTimers: () => timers.length,
    fire: (type) => (listeners[type] || []).forEach((f) => f()),
  };
}

async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}

module.exports = { fakeBrowser };

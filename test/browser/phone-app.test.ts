/**
 * Roost as an installed app on a phone, in real Chromium against a real
 * daemon: the manifest (its type, start URL, standalone display, PNG icons
 * that really are 192 and 512 px) and the service worker (/sw.js) are
 * served; the worker keeps the app shell and answers for it, never for the
 * API; the dashboard at 360 px is one column of cards, ringing sessions
 * first, every action visible without hover and big enough for a thumb.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, waitFor, stretch } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, PHONE_SCALE_ARGS, screenshot, shellSession, SMALL_PHONE, startDaemon, tempHome, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const navigator: { serviceWorker: { ready: Promise<unknown>; controller: { scriptURL: string } | null } };
declare const caches: { keys(): Promise<string[]>; open(k: string): Promise<{ keys(): Promise<{ url: string }[]> }> };

const tmux = privateTmux();
await shellSession(tmux, 'alpha');
await shellSession(tmux, 'beta');
// Rings when told, so the bell is fresh when the test looks.
await tmux.run('new-session', '-d', '-s', 'zz-ringer', 'sh', '-c', 'read x; printf "\\a"; exec sleep 600');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium(PHONE_SCALE_ARGS);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  assert.equal(buf.subarray(1, 4).toString(), 'PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

test('the manifest and its icons are served, for installing as an app', async () => {
  const res = await fetch(`${daemon.url}/manifest.webmanifest`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/manifest\+json/);
  const m = await res.json() as { name: string; short_name: string; start_url: string; display: string; scope: string; theme_color: string; background_color: string; icons: { src: string; sizes: string; type: string; purpose: string }[] };
  assert.equal(m.name, 'Roost');
  assert.equal(m.short_name, 'Roost');
  assert.equal(m.start_url, '/');
  assert.equal(m.scope, '/');
  assert.equal(m.display, 'standalone');
  assert.match(m.theme_color, /^#[0-9a-f]{6}$/i);
  assert.match(m.background_color, /^#[0-9a-f]{6}$/i);
  const pngs = m.icons.filter((i) => i.type === 'image/png');
  for (const size of [192, 512]) assert.ok(pngs.some((i) => i.sizes === `${size}x${size}` && i.purpose.split(' ').includes('any')), `a ${size} px icon`);
  for (const icon of m.icons) {
    const r = await fetch(`${daemon.url}${icon.src}`);
    assert.equal(r.status, 200, icon.src);
    assert.equal(r.headers.get('content-type'), icon.type, icon.src);
    if (icon.type === 'image/png') {
      const { width, height } = pngSize(Buffer.from(await r.arrayBuffer()));
      assert.equal(`${width}x${height}`, icon.sizes, `${icon.src} is really ${icon.sizes}`);
    }
  }
  const sw = await fetch(`${daemon.url}/sw.js`);
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.doesNotMatch(await sw.text(), /^\s*(export|import)\b/m, 'a classic worker script (no module syntax)');
});

test('the service worker keeps the app shell and never answers for the API', async () => {
  const ctx = await browser.newContext(SMALL_PHONE);
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await loginWithLink(page, daemon.loginUrl);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await waitFor(() => page.evaluate(() => navigator.serviceWorker.controller !== null), 20_000, 'the worker controls the page');
  assert.match(await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL), /\/sw\.js$/);

  const cached = await page.evaluate(async () => {
    const out: string[] = [];
    for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
    return out.sort();
  });
  assert.deepEqual(cached, ['/assets/icon.svg', '/assets/main.css', '/assets/main.js', '/login', '/manifest.webmanifest']);

  // Through the page: the API goes to the network untouched, the app's files through the worker.
  const seen = new Map<string, boolean>();
  page.on('response', (r) => seen.set(new URL(r.url()).pathname, r.fromServiceWorker()));
  const me = await page.evaluate(async () => {
    const r = await fetch('/api/me');
    return { status: r.status, cacheControl: r.headers.get('cache-control'), body: await r.json() as { role: string } };
  });
  assert.deepEqual(me, { status: 200, cacheControl: 'no-store', body: { role: 'owner', name: null } });
  await page.evaluate(() => fetch('/assets/main.css').then((r) => r.text()));
  await waitFor(() => seen.has('/api/me') && seen.has('/assets/main.css'), 15_000, 'both responses seen');
  assert.equal(seen.get('/api/me'), false, '/api/me did not come from the service worker');
  assert.equal(seen.get('/assets/main.css'), true, 'the app shell did');
  // After API traffic the cache still holds nothing of the API.
  const after = await page.evaluate(async () => {
    const out: string[] = [];
    for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
    return out;
  });
  assert.ok(!after.some((p) => p.startsWith('/api')), `no API response cached: ${after.join(', ')}`);
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
  await ctx.close();
});

test('360x740 dashboard: one column, ringing sessions first, every action visible and thumb-sized', async () => {
  const ctx = await browser.newContext(SMALL_PHONE);
  const page = await ctx.newPage();
  await loginWithLink(page, await daemon.newLoginUrl());
  await page.waitForSelector('.card[data-session="zz-ringer"]');
  await tmux.run('send-keys', '-t', '=zz-ringer:', 'Enter');
  await page.waitForSelector('.card[data-session="zz-ringer"] .card-head .tone-bell', { timeout: stretch(10_000) });
  const names = await page.$$eval('.card', (cards) => cards.map((c) => c.getAttribute('data-session')));
  assert.deepEqual(names, ['zz-ringer', 'alpha', 'beta'], 'the ringing session first, then by name');
  const layout = await page.$$eval('.card', (cards) => cards.map((c) => {
    const r = c.getBoundingClientRect();
    return { x: r.x, width: r.width };
  }));
  for (const c of layout) assert.ok(c.x >= 0 && c.x + c.width <= 360 && c.width >= 320, 'cards fill the width, one per row');
  // Touch targets: every button, window row and title at least 44 px tall, visible without hover.
  const small = await page.$$eval('.topbar .btn, .card .btn, .card .win, .card-title', (els) => els
    .filter((e) => e.getBoundingClientRect().height > 0)
    .filter((e) => e.getBoundingClientRect().height < 44 || e.getBoundingClientRect().width < 44)
    .map((e) => `${e.textContent?.trim() || e.getAttribute('aria-label')}: ${e.getBoundingClientRect().width}x${e.getBoundingClientRect().height}`));
  assert.deepEqual(small, []);
  for (const s of ['alpha', 'beta', 'zz-ringer']) {
    for (const label of ['Open', 'Rename', 'Kill']) assert.ok(await page.isVisible(`.card[data-session="${s}"] .card-actions .btn:has-text("${label}")`), `${label} on ${s}`);
  }
  assert.ok(await page.isVisible('button[aria-label="Log in another device"]'));
  assert.ok(await page.isVisible('button[aria-label="New session"]'));
  const fits = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return d.scrollWidth <= d.clientWidth;
  });
  assert.equal(fits, true, 'nothing scrolls sideways');
  await screenshot(page, 'phone-360-dashboard-attention');
  await ctx.close();
});

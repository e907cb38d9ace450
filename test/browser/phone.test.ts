/**
 * The main flow on a phone-sized touch screen (390x844, and 360x740): cards
 * stack, touch targets are at least 44 px, nothing scrolls sideways but the
 * window tabs, a real tap opens a terminal that runs what is typed, and
 * turning the phone refits the terminal and the tmux window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, PHONE, PHONE_SCALE_ARGS, screenshot, startDaemon, tempHome, terminalState, waitForScreen, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(sel: string): { scrollWidth: number; clientWidth: number; scrollLeft: number } | null;
};
declare const location: { pathname: string };

/** Below this, a finger misses (Apple and Google both say 44-48 px). */
const MIN_TAP_PX = 44;

const tmux = privateTmux();
await tmux.run('new-session', '-d', '-s', 'work', '-n', 'editor', '-x', '120', '-y', '40');
for (const name of ['server', 'tests', 'logs', 'database', 'scratch', 'notes', 'deploy']) {
  await tmux.run('new-window', '-d', '-t', 'work', '-n', name);
}
await tmux.run('new-session', '-d', '-s', 'agent-with-a-rather-long-name');
await tmux.run('new-session', '-d', '-s', 'notes');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium(PHONE_SCALE_ARGS);

function tooSmall(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els, min) => els
    .map((el) => ({ text: el.textContent?.trim() ?? '', h: el.getBoundingClientRect().height }))
    .filter((e) => e.h > 0 && e.h < min)
    .map((e) => `"${e.text}" is ${e.h.toFixed(1)} px tall`), MIN_TAP_PX);
}

const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

async function checkDashboard(page: Page, width: number): Promise<void> {
  await page.waitForSelector('.card[data-session="work"]');
  // One evaluate, so a card re-rendered by a live update cannot slip out between measurements.
  const boxes = await page.$$eval('.card', (cards) => cards.map((c) => {
    const r = c.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }));
  assert.equal(boxes.length, 3);
  for (const [i, b] of boxes.entries()) {
    assert.ok(b.width >= width - 40 && b.x + b.width <= width, `card ${i} fills the width: x=${b.x} w=${b.width}`);
    if (i > 0) assert.ok(b.y >= boxes[i - 1]!.y + boxes[i - 1]!.height, 'cards stack, one under the other');
  }
  assert.deepEqual([
    ...await tooSmall(page, '.btn'), ...await tooSmall(page, '.win'), ...await tooSmall(page, '.card-title'),
  ], []);
  assert.equal(await noSideways(page), true, 'the dashboard does not scroll sideways');
  // The header keeps one row (Log out included), and a card of one window is a couple of lines, not a screenful.
  const header = await page.$$eval('.topbar .btn', (els) => els.filter((e) => e.getBoundingClientRect().height > 0).map((e) => {
    const r = e.getBoundingClientRect();
    return { label: e.getAttribute('aria-label') ?? e.textContent ?? '', top: Math.round(r.top), right: r.right };
  }));
  assert.ok(header.some((b) => b.label === 'Log out'), `Log out is in the header: ${JSON.stringify(header)}`);
  assert.equal(new Set(header.map((b) => b.top)).size, 1, `one row of header buttons: ${JSON.stringify(header)}`);
  assert.ok(header.every((b) => b.right <= width), 'all of them on the screen');
  const notes = await page.$eval('.card[data-session="notes"]', (c) => c.getBoundingClientRect().height);
  assert.ok(notes <= 110, `a one-window card is compact: ${notes} px`);
}

test('390x844: log in, the dashboard stacks its cards with finger-sized targets', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await loginWithLink(page, daemon.loginUrl);
  await checkDashboard(page, 390);
  await screenshot(page, 'phone-390-dashboard');

  // A real tap opens the terminal.
  await page.tap('.card[data-session="work"] .card-actions .btn-primary');
  await waitFor(async () => (await terminalState(page)) === 'open', 15_000, 'terminal open');
  assert.equal(await page.evaluate(() => location.pathname), '/s/work');
  await page.tap('.term-host');
  await page.keyboard.type('echo $((6*7))\n');
  await waitForScreen(page, /^42\b/m);
  await waitFor(async () => /^42\b/m.test(await tmux.run('capture-pane', '-p', '-t', '=work:0')), 5000, '42 in the pane');

  // Eight tabs do not fit: the strip scrolls sideways, the page does not.
  const tabs = await page.evaluate(() => {
    const t = document.querySelector('.tabs')!;
    return { scroll: t.scrollWidth, client: t.clientWidth };
  });
  assert.ok(tabs.scroll > tabs.client, `the tab strip overflows and scrolls (${tabs.scroll} > ${tabs.client})`);
  assert.equal(await noSideways(page), true, 'the terminal page does not scroll sideways');
  assert.deepEqual([...await tooSmall(page, '.tab'), ...await tooSmall(page, '.back'), ...await tooSmall(page, '.term-bar .btn')], []);
  assert.ok(await page.$('.term-frame + #keybar'), 'a slot for a key bar sits under the terminal');
  await screenshot(page, 'phone-390-terminal');

  const last = page.locator('.tab[data-window="7"]');
  // A tab whose status changes is redrawn; scrolling one that was just replaced is tried again.
  await waitFor(() => last.scrollIntoViewIfNeeded().then(() => true), 10_000, 'the last tab scrolled into view');
  await last.tap();
  await waitFor(async () => (await page.evaluate(() => location.pathname)) === '/s/work/7', 5000, 'URL on window 7');
  assert.equal(await last.getAttribute('aria-current'), 'page');

  // Turning the phone: the terminal refits and the tmux window follows.
  const width = async () => Number((await tmux.run('display-message', '-p', '-t', '=work:7', '#{window_width}')).trim());
  const portrait = await waitFor(async () => (await width()) < 60 ? width() : null, 10_000, 'a narrow tmux window in portrait');
  await page.setViewportSize({ width: 844, height: 390 });
  const landscape = await waitFor(async () => {
    const w = await width();
    return w > portrait * 1.8 ? w : null;
  }, 10_000, 'the tmux window to widen in landscape');
  assert.ok(landscape > portrait);
  await screenshot(page, 'phone-390-terminal-landscape');
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
  await ctx.close();
});

test('360x740: the same dashboard and terminal still fit', async () => {
  const ctx = await browser.newContext({ ...PHONE, viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await loginWithLink(page, await daemon.newLoginUrl());
  await checkDashboard(page, 360);
  await screenshot(page, 'phone-360-dashboard');
  await page.tap('.card[data-session="agent-with-a-rather-long-name"] .card-title');
  await waitFor(async () => (await terminalState(page)) === 'open', 15_000, 'terminal open');
  await page.tap('.term-host');
  await page.keyboard.type('echo small-$((2*3))\n');
  await waitForScreen(page, /^small-6\b/m);
  assert.equal(await noSideways(page), true);
  await screenshot(page, 'phone-360-terminal');
  assert.deepEqual(await watch.csp(), []);
  await ctx.close();
});

test('the header at 390, 360 and 320 px: every control whole, a 44 px target, and no sideways scroll', async () => {
  for (const width of [390, 360, 320]) {
    const ctx = await browser.newContext({ ...PHONE, viewport: { width, height: 700 } });
    const page = await ctx.newPage();
    await loginWithLink(page, await daemon.newLoginUrl());
    // The owner's buttons come with the answer to /api/me: measure once they are there.
    await page.waitForSelector('.topbar button[aria-label="New session"]:not([hidden])');
    const controls = await page.$$eval('.topbar .btn', (els) => els.filter((e) => e.getBoundingClientRect().height > 0).map((e) => {
      const r = e.getBoundingClientRect();
      return { label: e.getAttribute('aria-label') ?? e.textContent ?? '', top: Math.round(r.top), left: r.left, right: r.right, width: r.width, height: r.height, scroll: e.scrollWidth, client: e.clientWidth };
    }));
    const all = JSON.stringify(controls);
    assert.equal(controls.length, 6, `${width} px: notifications, jobs, schedules, add device, new session, log out: ${all}`);
    for (const c of controls) {
      assert.ok(c.scroll <= c.client, `${width} px: "${c.label}" is whole (content ${c.scroll} px in ${c.client}): ${all}`);
      assert.ok(c.width >= MIN_TAP_PX && c.height >= MIN_TAP_PX, `${width} px: "${c.label}" is a ${MIN_TAP_PX} px target: ${all}`);
      assert.ok(c.left >= 0 && c.right <= width, `${width} px: "${c.label}" is on the screen: ${all}`);
    }
    assert.equal(new Set(controls.map((c) => c.top)).size, 1, `${width} px: one row: ${all}`);
    const doc = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(doc <= width, `${width} px: the page does not scroll sideways (${doc} px wide)`);
    await screenshot(page, `phone-${width}-header`);
    await ctx.close();
  }
});

/**
 * The terminal's screen on a phone, in real Chromium against a real daemon
 * and tmux: the on-screen keyboard (simulated by shrinking the visual
 * viewport, both the Android way — the layout shrinks — and the iOS way —
 * only the visual viewport does) never covers the cursor line; the font size
 * changes with A−/A+ and with a pinch, refits the tmux window, and is
 * remembered by this device across reloads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CDPSession, Page } from 'playwright-core';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, PHONE_SCALE_ARGS, screenshot, shellSession, startDaemon, tempHome, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
interface Box { top: number; bottom: number; left: number; right: number }
declare const document: {
  querySelector(sel: string): { roostScreen?: { cursorRect(): Box | null; rows(): number; fontSize(): number }; getBoundingClientRect(): Box } | null;
};
declare const visualViewport: { height: number; offsetTop: number };

const tmux = privateTmux();
await shellSession(tmux, 'screen');
// The font test's own session: a device of an earlier test that the daemon saw drop (not close) still sizes
// 'screen' for SIZER_AWAY_MS, and this test's larger font must refit a window this device sizes.
await shellSession(tmux, 'font');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium(PHONE_SCALE_ARGS);

const probe = (page: Page) => page.evaluate(() => {
  const s = document.querySelector('.term-host')!.roostScreen!;
  const c = s.cursorRect()!;
  const p = document.querySelector('.term-page')!.getBoundingClientRect();
  return { cursorTop: c.top, cursorBottom: c.bottom, rows: s.rows(), font: s.fontSize(), vvTop: visualViewport.offsetTop, vvHeight: visualViewport.height, pageTop: p.top, pageBottom: p.bottom };
});
const windowSize = async (session = 'screen') => {
  const [w, h] = (await tmux.run('display-message', '-p', '-t', `=${session}:`, '#{window_width} #{window_height}')).trim().split(' ').map(Number);
  return { width: w!, height: h! };
};

/** Fill the screen so the prompt (and cursor) sits on the last row, where a keyboard would cover it. */
async function promptAtBottom(page: Page): Promise<void> {
  await page.keyboard.type('seq 1 200\n');
  await waitFor(async () => (await paneLines(tmux, '=screen:')).at(-1) === '$', 20_000, 'prompt after seq');
}

test('the keyboard never covers the cursor line (layout shrinks, as Chrome on Android)', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await loginWithLink(page, daemon.loginUrl);
  await openTerminalPage(page, daemon, '/s/screen');
  await page.tap('.term-host');
  await promptAtBottom(page);
  const before = await probe(page);
  const tallWindow = await windowSize();
  // The keyboard takes the lower ~45% of the screen.
  await page.setViewportSize({ width: 390, height: 460 });
  const after = await waitFor(async () => {
    const p = await probe(page);
    return p.vvHeight === 460 && p.rows < before.rows ? p : null;
  }, 20_000, 'the terminal refits to fewer rows');
  assert.ok(after.cursorTop >= after.vvTop && after.cursorBottom <= after.vvTop + after.vvHeight + 0.5,
    `the cursor row (${after.cursorTop}-${after.cursorBottom}) lies inside the visible ${after.vvTop}-${after.vvTop + after.vvHeight}`);
  await waitFor(async () => (await windowSize()).height < tallWindow.height, 20_000, 'the tmux window follows (RESIZE)');
  // tmux keeps the prompt on screen after a shrink, so typing still shows.
  await page.keyboard.type('echo visible-$((3*3))\n');
  await waitFor(async () => (await paneLines(tmux, '=screen:')).includes('visible-9'), 15_000, 'typing works');
  await screenshot(page, 'phone-390-terminal-keyboard');
  assert.deepEqual(await watch.csp(), []);
  await ctx.close();
});

test('the keyboard never covers the cursor line (only the visual viewport shrinks, as Safari on iOS)', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await loginWithLink(page, await daemon.newLoginUrl());
  await openTerminalPage(page, daemon, '/s/screen');
  await page.tap('.term-host');
  await promptAtBottom(page);
  const before = await probe(page);
  const cdp: CDPSession = await ctx.newCDPSession(page);
  // Zooming the page shrinks window.visualViewport while the layout viewport stays 390x844.
  await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1.6 });
  const after = await waitFor(async () => {
    const p = await probe(page);
    return p.vvHeight < 600 && p.rows < before.rows ? p : null;
  }, 20_000, 'the terminal refits to the visual viewport');
  assert.ok(Math.abs(after.pageBottom - (after.vvTop + after.vvHeight)) <= 1, `the page ends where the visible area does (${after.pageBottom} vs ${after.vvTop + after.vvHeight})`);
  assert.ok(after.cursorTop >= after.vvTop && after.cursorBottom <= after.vvTop + after.vvHeight + 0.5,
    `the cursor row (${after.cursorTop}-${after.cursorBottom}) lies inside the visible ${after.vvTop}-${after.vvTop + after.vvHeight}`);
  await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1 });
  await waitFor(async () => (await probe(page)).rows === before.rows, 20_000, 'the rows come back');
  await ctx.close();
});

test('A− / A+ and a pinch change the font size, refit tmux, and this device remembers it', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await loginWithLink(page, await daemon.newLoginUrl());
  await openTerminalPage(page, daemon, '/s/font');
  const start = await probe(page);
  assert.equal(start.font, 14, 'the default size');
  const cols = async () => (await windowSize('font')).width;
  const wide = await waitFor(async () => {
    const c = await cols();
    return c > 0 ? c : null;
  }, 15_000, 'window size');

  await page.tap('button[aria-label="More"]');
  for (let i = 0; i < 4; i++) await page.tap('.term-menu [data-action="font-larger"]');
  assert.equal(await page.textContent('.term-menu .menu-size'), '18 px');
  await waitFor(async () => (await probe(page)).font === 18, 15_000, 'font 18');
  await waitFor(async () => (await cols()) < wide, 20_000, 'fewer columns in tmux at a larger font');
  await page.tap('.term-menu [data-action="font-smaller"]');
  await waitFor(async () => (await probe(page)).font === 17, 15_000, 'font 17');

  // Two fingers spreading apart over the terminal: larger text.
  const box = (await page.evaluate(() => document.querySelector('.term-host')!.getBoundingClientRect()));
  const cx = (box.left + box.right) / 2;
  const cy = (box.top + box.bottom) / 2;
  const cdp = await ctx.newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', d: number) => cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: type === 'touchEnd' ? [] : [{ x: cx - d, y: cy, id: 1 }, { x: cx + d, y: cy, id: 2 }],
  });
  await touch('touchStart', 40);
  for (let d = 45; d <= 80; d += 5) await touch('touchMove', d);
  await touch('touchEnd', 0);
  const pinched = await waitFor(async () => {
    const f = (await probe(page)).font;
    return f >= 30 ? f : null;
  }, 15_000, 'a pinch to about twice the size');
  assert.ok(pinched <= 32, 'capped at 32 px');

  await page.reload();
  await waitFor(async () => (await page.$('.term-page[data-state="open"]')) !== null, 15_000, 'reloaded');
  assert.equal((await probe(page)).font, pinched, 'the size survives a reload');
  // Another device (a fresh browser profile) keeps its own size.
  const other = await browser.newContext(PHONE);
  const otherPage = await other.newPage();
  await loginWithLink(otherPage, await daemon.newLoginUrl());
  await openTerminalPage(otherPage, daemon, '/s/font');
  assert.equal((await probe(otherPage)).font, 14);
  await other.close();
  // Back to the default for the screenshots of other files (each context has its own storage anyway).
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
  await ctx.close();
});

/**
 * A phone (390x844, touch, pixel ratio 3) showing a window a desktop sizes,
 * in real Chromium against a real daemon and tmux: the window is shown
 * whole, down to tmux's status line. Near the height where the text must
 * shrink to fit, the font chosen from a measured line height once gave rows
 * a fraction of a pixel taller than predicted (xterm rounds a row to whole
 * device pixels), so 47 rows overflowed the box by ~20 px and the status
 * line went under the key bar. Several window heights around that boundary
 * are checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, PHONE, PHONE_SCALE_ARGS, screenshot, shellSession, startDaemon, tempHome, waitForScreen, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
interface Rect { top: number; bottom: number; height: number }
declare const document: {
  querySelector(sel: string): ({ getBoundingClientRect(): Rect; roostScreen?: { rows(): number; shownFontSize(): number } }) | null;
};
declare function requestAnimationFrame(cb: (t: number) => void): number;

const tmux = privateTmux();
await shellSession(tmux, 'tall');
const daemon = await startDaemon({ tmux, home: tempHome() });
// The phone's browser needs its pixel ratio forced (browser.ts, PHONE_SCALE_ARGS); the desktop's must not have it.
const phoneBrowser = await launchChromium(PHONE_SCALE_ARGS);
const desktopBrowser = await launchChromium();

const desktop = await (await desktopBrowser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
await loginWithLink(desktop, daemon.loginUrl);
const phone = await (await phoneBrowser.newContext(PHONE)).newPage();
const watch = await watchPage(phone);
await loginWithLink(phone, await daemon.newLoginUrl());

const windowRows = async () => Number((await tmux.run('display-message', '-p', '-t', '=tall:0', '#{window_height}')).trim());
/** The grid's rows, its screen's box and the terminal box, in CSS px. */
const measure = (p: Page) => p.evaluate(() => {
  const host = document.querySelector('.term-host');
  const screen = document.querySelector('.term-host .xterm-screen');
  if (!host?.roostScreen || !screen) return null;
  const h = host.getBoundingClientRect();
  const s = screen.getBoundingClientRect();
  return { rows: host.roostScreen.rows(), font: host.roostScreen.shownFontSize(), hostTop: h.top, hostBottom: h.bottom, screenTop: s.top, screenBottom: s.bottom };
});

/** Make the desktop's window `rows` tall (tmux's window_height, status line not counted) by the desktop's viewport height. */
async function desktopRows(rows: number): Promise<void> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const now = await windowRows();
    if (now === rows) return;
    const m = await measure(desktop);
    assert.ok(m, 'the desktop has a screen');
    const rowPx = (m.screenBottom - m.screenTop) / m.rows;
    const vp = desktop.viewportSize()!;
    await desktop.setViewportSize({ width: vp.width, height: Math.round(vp.height + (rows - now) * rowPx) });
    await waitFor(async () => (await windowRows()) !== now ? true : null, 10_000, `the desktop resizes the window towards ${rows} rows`).catch(() => {});
  }
  assert.equal(await windowRows(), rows, `the desktop's window is ${rows} rows`);
}

test('a window another device sizes shows whole on a phone, status line included, at heights around the font-step boundary', async () => {
  await openTerminalPage(desktop, daemon, '/s/tall/0');
  // A click on the screen takes the window's size, as in phone-sizes.test.ts.
  await desktop.click('.term-host');
  await waitFor(async () => Number((await tmux.run('display-message', '-p', '-t', '=tall:0', '#{window_width}')).trim()) > 120 ? true : null, 20_000, 'the desktop sizes the window');
  await openTerminalPage(phone, daemon, '/s/tall/0');
  await phone.locator('.size-note').waitFor({ state: 'visible', timeout: 15_000 });
  await waitForScreen(phone, /\$/);

  const overflows: string[] = [];
  for (const rows of [44, 45, 46, 47, 48, 50, 55]) {
    await desktopRows(rows);
    // The phone's grid is the window plus tmux's status line.
    const m = await waitFor(async () => {
      const now = await measure(phone);
      return now && now.rows === rows + 1 ? now : null;
    }, 15_000, `the phone shows the ${rows}-row window`);
    // xterm applies a font change to its screen at once; a frame more lets any queued refit land.
    await phone.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const settled = (await measure(phone))!;
    if (settled.screenBottom > settled.hostBottom + 0.5) {
      overflows.push(`${rows}+1 rows at ${settled.font} px: screen ${(settled.screenBottom - settled.screenTop).toFixed(1)} px in a ${(settled.hostBottom - settled.hostTop).toFixed(1)} px box`);
      await screenshot(phone, `phone-window-whole-${rows}-cut`);
    }
    assert.ok(m.font > 0);
  }
  assert.deepEqual(overflows, [], 'every window height fits the phone\'s box');
  assert.deepEqual(watch.errors, []);
});

/**
 * A desktop (1280x800) and a phone (390x844, touch) on one session, in real
 * Chromium against a real daemon and tmux: whatever the phone does without
 * typing — opening the session before or after the desktop, reloading,
 * losing and getting back its network, turning, showing its key bar,
 * scrolling, switching windows — tmux's window_width/window_height stay the
 * desktop's, and the other way round. The phone shows the desktop's window
 * whole (panning sideways, or zoomed out: its choice, remembered) with a
 * note that another device sizes it; "Fit here", or typing, takes it over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, PHONE_SCALE_ARGS, screenshot, shellSession, startDaemon, tempHome, terminalState, waitForScreen, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const document: {
  querySelector(sel: string): ({ scrollLeft: number; roostScreen?: { cols(): number; rows(): number; shownFontSize(): number; fontSize(): number } } & Record<string, unknown>) | null;
};

const tmux = privateTmux();
for (const name of ['work', 'fresh']) {
  await shellSession(tmux, name);
  await waitFor(async () => (await paneLines(tmux, `=${name}:0`)).some((l) => l.startsWith('$')), 30_000, `prompt in ${name}`);
}
await tmux.run('new-window', '-d', '-t', '=work:', '-e', 'PS1=$ ', 'bash', '--norc', '--noprofile');
// A line wider than a phone, to see the pan.
await tmux.run('send-keys', '-t', '=work:0', `echo ${'wide-line-'.repeat(12)}END`, 'Enter');
const daemon = await startDaemon({ tmux, home: tempHome() });
// Two browsers: the phone's needs its pixel ratio forced (browser.ts, PHONE_SCALE_ARGS), which would draw the desktop's screen a third of its size.
const browser = await launchChromium(PHONE_SCALE_ARGS);
const desktopBrowser = await launchChromium();

const desktopCtx = await desktopBrowser.newContext({ viewport: { width: 1280, height: 800 } });
const desktop = await desktopCtx.newPage();
const watchDesktop = await watchPage(desktop);
await loginWithLink(desktop, daemon.loginUrl);
const phoneCtx = await browser.newContext(PHONE);
const phone = await phoneCtx.newPage();
const watchPhone = await watchPage(phone);
await loginWithLink(phone, await daemon.newLoginUrl());

const sizeOf = async (target: string) => (await tmux.run('display-message', '-p', '-t', target, '#{window_width}x#{window_height}')).trim();
/** The attached tmux clients' sizes (views of every device). */
// Devices' clients only: the daemon's control connection (src/tmux/control.ts) has no screen.
const clients = async () => (await tmux.run('list-clients', '-F', '#{?client_control_mode,,#{client_width}x#{client_height}}')).trim().split('\n').filter(Boolean);
const screen = (p: Page) => p.evaluate(() => {
  const s = document.querySelector('.term-host')?.roostScreen;
  return s ? { cols: s.cols(), rows: s.rows(), shown: s.shownFontSize(), chosen: s.fontSize() } : null;
});
const noteShown = (p: Page) => p.locator('.size-note').isVisible();
/**
 * What the note says, as a person sees it: its words (and whether they fit
 * uncut) and the size it gives, null when that is not on the screen.
 */
interface NotePart { innerText: string; scrollWidth: number; clientWidth: number; getBoundingClientRect(): { width: number; right: number } }
const noteSays = (p: Page) => p.$eval('.size-note', (el) => {
  const text = el.querySelector('.size-note-text') as unknown as NotePart;
  const dims = el.querySelector('.size-note-dims') as unknown as NotePart;
  const box = dims.getBoundingClientRect();
  const strip = el.getBoundingClientRect();
  const seen = box.width > 0 && box.right <= strip.right && dims.scrollWidth <= dims.clientWidth;
  return { words: text.innerText, whole: text.scrollWidth <= text.clientWidth, size: seen ? dims.innerText : null };
});
/** Wait until `p`'s note gives tmux's size of the window, `want` (WxH), in full; returns what it says. */
async function noteGives(p: Page, want: string, what: string): Promise<{ words: string; whole: boolean; size: string | null }> {
  let last: { words: string; whole: boolean; size: string | null } | null = null;
  return waitFor(async () => {
    last = await noteSays(p);
    return last.size === want.replace('x', '×') ? last : null;
  }, 10_000, `${what}: the note gives ${want}`).catch((e: Error) => {
    throw new Error(`${e.message}; it says ${JSON.stringify(last)}`);
  });
}

/**
 * The page is live and tmux has drawn for it (its client attached, with
 * whatever flag it got): only then does a window size that did not change
 * mean something.
 */
async function settled(p: Page, what: string): Promise<void> {
  await waitFor(async () => (await terminalState(p)) === 'open', 20_000, `${what}: page live`);
  await waitForScreen(p, /\$/);
}
/** A slow one-finger swipe (0.2 s a step: no fling), with Chromium's own touch events. */
async function swipe(p: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  const cdp = await p.context().newCDPSession(p);
  const t0 = Date.now() / 1000;
  const at = (i: number) => ({ timestamp: t0 + i * 0.2 });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ ...from, id: 1 }], ...at(0) });
  for (let i = 1; i <= 10; i++) {
    const point = { x: from.x + ((to.x - from.x) * i) / 10, y: from.y + ((to.y - from.y) * i) / 10, id: 1 };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point], ...at(i) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [], ...at(11) });
  await cdp.detach();
}
async function expectSize(target: string, want: string, what: string): Promise<void> {
  assert.equal(await sizeOf(target), want, `${what}: tmux's window is still ${want}`);
}

let desk = '';
test('the desktop first, then the phone: nothing the phone does without typing resizes the window', async () => {
  await openTerminalPage(desktop, daemon, '/s/work/0');
  await desktop.click('.term-host');
  desk = await waitFor(async () => {
    const s = await sizeOf('=work:0');
    return Number(s.split('x')[0]) > 120 ? s : null;
  }, 20_000, 'the desktop sizes window 0');

  await openTerminalPage(phone, daemon, '/s/work/0');
  await settled(phone, 'phone opened');
  await expectSize('=work:0', desk, 'the phone opened the session');
  // The phone shows the desktop's window whole, and says whose size it is.
  const [cols] = desk.split('x').map(Number);
  await waitFor(async () => (await screen(phone))?.cols === cols, 15_000, 'the phone\'s grid is the desktop\'s window');
  assert.equal(await noteShown(phone), true, 'the phone says another device sizes the window');
  assert.equal(await noteShown(desktop), false);
  // The window's size as tmux has it (not the grid, which has the status line too), in words that fit the phone.
  const onPhone = await noteGives(phone, desk, 'phone');
  assert.equal(onPhone.whole, true, `the phone's note is not cut: ${JSON.stringify(onPhone)}`);
  await waitForScreen(phone, /wide-line-wide-line/);
  await screenshot(phone, 'phone-390-sized-by-desktop');

  // Sideways swipe: the wide window pans.
  const before = await phone.evaluate(() => document.querySelector('.term-host')?.scrollLeft ?? 0);
  await swipe(phone, { x: 300, y: 400 }, { x: 80, y: 402 });
  await waitFor(async () => (await phone.evaluate(() => document.querySelector('.term-host')?.scrollLeft ?? 0)) > before + 100, 10_000, 'the phone panned sideways');
  await screenshot(phone, 'phone-390-sized-by-desktop-panned');
  await expectSize('=work:0', desk, 'the phone panned');

  // A vertical swipe scrolls the history (copy mode); then back to live.
  await swipe(phone, { x: 200, y: 300 }, { x: 201, y: 600 });
  await phone.locator('.live-button').waitFor({ state: 'visible', timeout: 15_000 });
  await expectSize('=work:0', desk, 'the phone scrolled back');
  await phone.tap('.live-button');
  await phone.locator('.live-button').waitFor({ state: 'hidden', timeout: 15_000 });

  await phone.reload();
  await settled(phone, 'phone reloaded');
  await expectSize('=work:0', desk, 'the phone reloaded');

  await phoneCtx.setOffline(true);
  await waitFor(async () => (await clients()).length >= 2 ? true : null, 15_000, 'two clients');
  await phoneCtx.setOffline(false);
  await settled(phone, 'phone back online');
  await expectSize('=work:0', desk, 'the phone lost and got back its network');

  await phone.setViewportSize({ width: 844, height: 390 });
  await waitFor(async () => (await phone.evaluate(() => document.querySelector('.term-host')?.roostScreen?.rows() ?? 0)) > 0, 5000, 'landscape drawn');
  await settled(phone, 'phone turned');
  await screenshot(phone, 'phone-390-sized-by-desktop-landscape');
  await expectSize('=work:0', desk, 'the phone turned to landscape');
  await phone.setViewportSize({ width: 390, height: 844 });
  await expectSize('=work:0', desk, 'the phone turned back');

  // The key bar hidden and shown again.
  await phone.tap('#keybar .key[data-key="more"]');
  await phone.tap('#keybar .key-hide');
  await phone.tap('.term-bar [aria-label="More"]');
  await phone.tap('.term-menu [data-action="keybar"]');
  await phone.locator('#keybar .keybar').waitFor({ state: 'visible', timeout: 10_000 });
  await expectSize('=work:0', desk, 'the phone hid and showed its key bar');

  // Another window and back.
  await phone.tap('.tab[data-window="1"]');
  await waitFor(async () => (await phone.locator('.tab[data-window="1"]').getAttribute('aria-current')) === 'page', 10_000, 'phone on window 1');
  await phone.tap('.tab[data-window="0"]');
  await waitFor(async () => (await phone.locator('.tab[data-window="0"]').getAttribute('aria-current')) === 'page', 10_000, 'phone back on window 0');
  await settled(phone, 'phone switched windows');
  await expectSize('=work:0', desk, 'the phone switched windows and back');

  // Zoom to fit: remembered by the phone.
  await phone.getByRole('button', { name: /Zoom out/ }).tap();
  await waitFor(async () => {
    const s = await screen(phone);
    return s && s.shown < s.chosen ? true : null;
  }, 10_000, 'zoomed out');
  await screenshot(phone, 'phone-390-sized-by-desktop-zoomed');
  await phone.reload();
  await settled(phone, 'phone reloaded zoomed');
  await waitFor(async () => {
    const s = await screen(phone);
    return s && s.cols === cols && s.shown < s.chosen ? true : null;
  }, 10_000, 'still zoomed after a reload');
  await expectSize('=work:0', desk, 'zooming');

  // The desktop reloading keeps its own size.
  await desktop.reload();
  await settled(desktop, 'desktop reloaded');
  await expectSize('=work:0', desk, 'the desktop reloaded');
  assert.equal(await noteShown(desktop), false, 'the desktop still sizes the window');
});

test('typing on the phone takes the window; the desktop then only looks, and takes it back by typing', async () => {
  await phone.tap('.term-host');
  await phone.keyboard.type('echo from-phone-$((6*7))\n');
  await waitForScreen(phone, /from-phone-42/);
  const small = await waitFor(async () => {
    const s = await sizeOf('=work:0');
    return Number(s.split('x')[0]) < 60 ? s : null;
  }, 20_000, 'the phone typed: its size');
  await waitFor(async () => (await noteShown(desktop)) && !(await noteShown(phone)) ? true : null, 15_000, 'the desktop says the phone sizes it');
  const [smallCols] = small.split('x').map(Number);
  await waitFor(async () => (await screen(desktop))?.cols === smallCols, 15_000, 'the desktop shows the phone\'s window whole');
  const onDesktop = await noteGives(desktop, small, 'desktop');
  assert.deepEqual([onDesktop.words, onDesktop.whole], ['Sized for another device', true]);
  await screenshot(desktop, 'desktop-sized-by-phone');
  await desktop.reload();
  await settled(desktop, 'desktop reloaded');
  await expectSize('=work:0', small, 'the desktop reloading');
  await desktop.getByRole('button', { name: 'Fit here' }).click();
  await waitFor(async () => (await sizeOf('=work:0')) === desk, 20_000, 'Fit here gives the desktop its size back');
  await waitFor(async () => (await noteShown(phone)) ? true : null, 15_000, 'the phone shows the note again');
  await phone.keyboard.type('echo again\n');
  await waitFor(async () => (await sizeOf('=work:0')) === small, 20_000, 'the phone typed again');
  await desktop.click('.term-host');
  await desktop.keyboard.type('echo desk\n');
  await waitFor(async () => (await sizeOf('=work:0')) === desk, 20_000, 'the desktop typed: its size back');
});

test('the phone first, then the desktop: the desktop opening and reloading never resize the phone\'s window', async () => {
  await openTerminalPage(phone, daemon, '/s/fresh/0');
  await settled(phone, 'phone on fresh');
  const small = await waitFor(async () => {
    const s = await sizeOf('=fresh:0');
    return Number(s.split('x')[0]) < 60 ? s : null;
  }, 20_000, 'alone, the phone sizes the window it opened');
  assert.equal(await noteShown(phone), false);
  await openTerminalPage(desktop, daemon, '/s/fresh/0');
  await settled(desktop, 'desktop on fresh');
  await expectSize('=fresh:0', small, 'the desktop opened the session');
  assert.equal(await noteShown(desktop), true);
  await desktop.setViewportSize({ width: 1000, height: 700 });
  await desktop.reload();
  await settled(desktop, 'desktop reloaded');
  await expectSize('=fresh:0', small, 'the desktop resized and reloaded');
  await desktop.click('.term-host');
  await desktop.keyboard.type('echo mine\n');
  await waitFor(async () => Number((await sizeOf('=fresh:0')).split('x')[0]) > 100 ? true : null, 20_000, 'the desktop typed: its size');
  assert.deepEqual(watchPhone.errors, []);
  assert.deepEqual(watchDesktop.errors, []);
  assert.deepEqual(await watchPhone.csp(), []);
  assert.deepEqual(await watchDesktop.csp(), []);
});

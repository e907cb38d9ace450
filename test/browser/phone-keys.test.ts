/**
 * The key bar on a 390x844 touch screen, against a real daemon and tmux:
 * every key reaches the pane as the right bytes (a raw byte dump runs in the
 * pane), sticky Ctrl and Alt apply to the next key however it is typed,
 * Ctrl-C interrupts `sleep 100`, Esc leaves vim's insert mode, arrows move in
 * the shell's history, a held arrow repeats until the finger lifts or slides
 * off it, the keys never take the focus from the terminal (the
 * on-screen keyboard stays up), and hiding the bar is remembered. The keys
 * an agent user needs most are all in view without scrolling, on a 390 and
 * a 360 px phone, in an order the user can change; neither the bar nor a
 * scrollbar strip costs the terminal columns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, PHONE_SCALE_ARGS, screenshot, shellSession, softKeyboard, startDaemon, tempHome, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
interface Rect { top: number; bottom: number; left: number; right: number; width: number; height: number }
declare const document: {
  activeElement: { className: string } | null;
  querySelector(sel: string): { scrollWidth: number; clientWidth: number; scrollLeft: number; getBoundingClientRect(): Rect; roostScreen?: { cols(): number } } | null;
  querySelectorAll(sel: string): ArrayLike<{ getBoundingClientRect(): Rect; getAttribute(n: string): string | null }>;
};

const home = tempHome();
// Prints every byte it reads as <hh>, in raw mode (no echo, no signals, no line buffering). perl is part of every Debian.
const dump = join(home, 'bytes.pl');
writeFileSync(dump, 'system("stty raw -echo"); $| = 1; print "READY"; while (sysread(STDIN, my $c, 1)) { printf "<%02x>", ord($c) }\n');

const tmux = privateTmux();
await shellSession(tmux, 'keys');
await tmux.run('new-window', '-d', '-t', '=keys:', '-n', 'bytes', 'perl', dump);
// A session of its own for the tests that open other phones: a window another device shows would be its size, not theirs.
await shellSession(tmux, 'solo');
const daemon = await startDaemon({ tmux, home });
const browser = await launchChromium(PHONE_SCALE_ARGS);
const ctx = await browser.newContext(PHONE);
const page = await ctx.newPage();
const watch = await watchPage(page);
await loginWithLink(page, daemon.loginUrl);

const focusedTerminal = (p: Page) => p.evaluate(() => document.activeElement?.className.includes('xterm-helper-textarea') ?? false);
/** Tap a key of the bar; one behind ⋯ (or back in the main row) is brought up first. */
async function tapKey(p: Page, key: string): Promise<void> {
  if (!(await p.$(`#keybar .key[data-key="${key}"]`))) await p.tap(`#keybar .key[data-key="${(await p.getAttribute('#keybar .keybar', 'data-row')) === 'main' ? 'more' : 'back'}"]`);
  await p.tap(`#keybar .key[data-key="${key}"]`);
}

/** Everything the byte dump printed after READY. */
async function bytesSeen(): Promise<string> {
  const text = (await paneLines(tmux, '=keys:bytes')).join('');
  return text.slice(text.indexOf('READY') + 5);
}

test('every key of the bar reaches the pane as the right bytes, and the focus stays in the terminal', async () => {
  await openTerminalPage(page, daemon, '/s/keys/1');
  await waitFor(async () => (await paneLines(tmux, '=keys:bytes')).join('').includes('READY'), 20_000, 'the byte dump');
  await page.tap('.term-host');
  await waitFor(() => focusedTerminal(page), 15_000, 'the terminal focused');
  await screenshot(page, 'phone-390-keybar');
  // What the pane receives: tmux reads the key and re-encodes it for the pane's terminal (TERM=screen).
  const expected: [string, string][] = [
    ['Escape', '<1b>'], ['Tab', '<09>'], ['Up', '<1b><5b><41>'], ['Down', '<1b><5b><42>'], ['Left', '<1b><5b><44>'], ['Right', '<1b><5b><43>'],
    ['Enter', '<0d>'], ['y', '<79>'], ['n', '<6e>'], ['^C', '<03>'],
    ['|', '<7c>'], ['/', '<2f>'], ['~', '<7e>'], ['-', '<2d>'],
    ['Home', '<1b><5b><31><7e>'], ['End', '<1b><5b><34><7e>'], ['PageUp', '<1b><5b><35><7e>'], ['PageDown', '<1b><5b><36><7e>'],
  ];
  for (const [key, bytes] of expected) {
    const before = await bytesSeen();
    await tapKey(page, key);
    const after = await waitFor(async () => {
      const now = await bytesSeen();
      return now.length > before.length ? now : null;
    }, 15_000, `bytes for ${key}`);
    // ESC alone reaches the pane only after tmux's escape-time; wait for the whole sequence.
    const got = await waitFor(async () => {
      const now = (await bytesSeen()).slice(before.length);
      return now.length >= bytes.length ? now : null;
    }, 15_000, `all bytes for ${key}`).catch(() => after.slice(before.length));
    assert.equal(got, bytes, `key ${key}`);
    assert.equal(await focusedTerminal(page), true, `the terminal keeps the focus after ${key}`);
  }
});

test('sticky Ctrl and Alt apply to the next key only, typed on the bar, the soft keyboard or a hardware one', async () => {
  const kb = await softKeyboard(page);
  const expectBytes = async (what: string, bytes: string, act: () => Promise<void>) => {
    const before = await bytesSeen();
    await act();
    const got = await waitFor(async () => {
      const now = (await bytesSeen()).slice(before.length);
      return now.length >= bytes.length ? now : null;
    }, 15_000, what);
    assert.equal(got, bytes, what);
  };
  await expectBytes('Ctrl + composed c', '<03>', async () => {
    await tapKey(page, 'ctrl');
    assert.equal(await page.getAttribute('#keybar .key[data-key="ctrl"]', 'aria-pressed'), 'true');
    await kb.key229();
    await kb.compose('c');
    await kb.commit('c');
  });
  assert.equal(await page.getAttribute('#keybar .key[data-key="ctrl"]', 'aria-pressed'), 'false', 'one-shot: released after one key');
  await expectBytes('then a plain d', '<64>', () => kb.commit('d'));
  await expectBytes('Ctrl + hardware w', '<17>', async () => {
    await tapKey(page, 'ctrl');
    await page.keyboard.press('w');
  });
  await expectBytes('Alt + b', '<1b><62>', async () => {
    await tapKey(page, 'alt');
    await kb.commit('b');
  });
  await expectBytes('Ctrl + the bar\'s Left', '<1b><5b><31><3b><35><44>', async () => {
    await tapKey(page, 'ctrl');
    await tapKey(page, 'Left');
  });
  await expectBytes('Ctrl locked (two taps) applies to every key until released', '<01><05>', async () => {
    await tapKey(page, 'ctrl');
    await tapKey(page, 'ctrl');
    await kb.commit('a');
    await kb.commit('e');
  });
  await tapKey(page, 'ctrl');
  assert.equal(await page.getAttribute('#keybar .key[data-key="ctrl"]', 'aria-pressed'), 'false', 'a third tap releases');
});

test('^C interrupts sleep 100 and the shell prompt returns', async () => {
  await openTerminalPage(page, daemon, '/s/keys/0');
  await page.tap('.term-host');
  await page.keyboard.type('sleep 100\n');
  await waitForCommand(tmux, '=keys:0', 'sleep', 20_000);
  await tapKey(page, '^C');
  await waitForCommand(tmux, '=keys:0', 'bash', 20_000); // back at the shell
  await waitFor(async () => (await paneLines(tmux, '=keys:0')).at(-1) === '$', 15_000, 'the prompt');
});

test('the arrows move in the shell history', async () => {
  await page.keyboard.type('echo first-$((40+1))\n');
  await waitFor(async () => (await paneLines(tmux, '=keys:0')).includes('first-41'), 15_000, 'first-41');
  await tapKey(page, 'Up');
  await waitFor(async () => (await paneLines(tmux, '=keys:0')).at(-1) === '$ echo first-$((40+1))', 15_000, 'the last command recalled');
  await tapKey(page, 'Left');
  await tapKey(page, 'Left');
  await page.keyboard.type('0');
  await tapKey(page, 'Enter');
  await waitFor(async () => (await paneLines(tmux, '=keys:0')).includes('first-50'), 15_000, 'the edited command ran: echo first-$((40+10))');
});

test('Esc leaves vim\'s insert mode', async () => {
  await page.keyboard.type('vim -u NONE -N\n');
  await waitForCommand(tmux, '=keys:0', 'vim', 20_000);
  await page.keyboard.type('ihello');
  await waitFor(async () => (await paneLines(tmux, '=keys:0')).some((l) => l.includes('-- INSERT --')), 15_000, 'insert mode');
  await tapKey(page, 'Escape');
  await waitFor(async () => !(await paneLines(tmux, '=keys:0')).some((l) => l.includes('-- INSERT --')), 15_000, 'normal mode');
  // In normal mode ":q!" quits; in insert mode it would be typed into the buffer.
  await page.keyboard.type(':q!\n');
  await waitForCommand(tmux, '=keys:0', 'bash', 20_000); // vim quit
});

test('the bar sits below the terminal; hiding it (behind ⋯) is remembered', async () => {
  const box = await page.evaluate(() => ({
    barTop: document.querySelector('#keybar')!.getBoundingClientRect().top,
    termBottom: document.querySelector('.term-frame')!.getBoundingClientRect().bottom,
  }));
  assert.ok(box.barTop >= box.termBottom - 1, 'the bar sits under the terminal, never over it');
  const heights = await page.$$eval('#keybar .key', (els) => els.map((e) => e.getBoundingClientRect().height));
  assert.ok(heights.every((h) => h >= 44), `keys are at least 44 px tall: ${heights.join(', ')}`);
  // The other keys scroll sideways behind ⋯.
  await tapKey(page, 'hide');
  assert.equal(await page.$('#keybar .keybar'), null, 'hidden');
  await page.reload();
  await waitFor(async () => (await page.$('.term-page[data-state="open"]')) !== null, 15_000, 'reloaded terminal');
  assert.equal(await page.$('#keybar .keybar'), null, 'still hidden after a reload');
  await page.tap('button[aria-label="More"]');
  await page.tap('.term-menu [data-action="keybar"]');
  assert.ok(await page.$('#keybar .keybar'), 'shown again from the menu');
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
});

/** The keys an agent user needs most. */
const MAIN = ['Enter', 'y', 'n', '^C', 'Escape', 'Up', 'Down', 'Left', 'Right', 'Tab'];

/** Which of `keys` lie wholly inside the bar's visible box and the screen, and whether the bar's row scrolls. */
const inView = (p: Page, keys: string[]) => p.evaluate((want) => {
  const bar = document.querySelector('#keybar .keybar')!;
  const b = bar.getBoundingClientRect();
  const seen: string[] = [];
  const all = document.querySelectorAll('#keybar .key');
  for (let i = 0; i < all.length; i++) {
    const r = all[i]!.getBoundingClientRect();
    const k = all[i]!.getAttribute('data-key') ?? '';
    if (want.includes(k) && r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.width >= 20) seen.push(k);
  }
  return { seen, scrolls: bar.scrollWidth > bar.clientWidth + 1 };
}, keys);

for (const size of [{ width: 390, height: 844 }, { width: 360, height: 740 }]) {
  test(`${size.width}x${size.height}: Enter, y, n, Ctrl-C, Esc, the arrows and Tab are all in view without scrolling, and the terminal loses no column`, async () => {
    const c = await browser.newContext({ ...PHONE, viewport: size });
    const p = await c.newPage();
    await loginWithLink(p, await daemon.newLoginUrl());
    await openTerminalPage(p, daemon, '/s/solo');
    const v = await inView(p, MAIN);
    assert.deepEqual(v.seen, MAIN, 'every main key wholly in view, in this order');
    assert.equal(v.scrolls, false, 'the main row does not scroll');
    const heights = await p.$$eval('#keybar .key', (els) => els.map((e) => e.getBoundingClientRect().height));
    assert.ok(heights.every((h) => h >= 44), `keys are at least 44 px tall: ${heights.join(', ')}`);
    // Columns: the grid fills the screen's width but for less than one cell (no scrollbar strip kept free).
    const cols = await p.evaluate(() => {
      const host = document.querySelector('.term-host')!;
      const screen = document.querySelector('.term-host .xterm-screen')!.getBoundingClientRect();
      const n = host.roostScreen!.cols();
      return { n, cell: screen.width / n, free: host.getBoundingClientRect().right - screen.right };
    });
    assert.ok(cols.free < cols.cell, `${cols.free.toFixed(1)} px free at the right of ${cols.n} columns of ${cols.cell.toFixed(1)} px`);
    await screenshot(p, `phone-${size.width}-keybar-main`);
    await c.close();
  });
}

test('the main keys\' order is the user\'s: Arrange moves and adds keys, and this device remembers it', async () => {
  const c = await browser.newContext(PHONE);
  const p = await c.newPage();
  await loginWithLink(p, await daemon.newLoginUrl());
  await openTerminalPage(p, daemon, '/s/solo');
  await tapKey(p, 'arrange');
  const dialog = p.locator('dialog.arrange');
  await dialog.waitFor({ state: 'visible', timeout: 10_000 });
  // Tab to the front (nine moves left), then Ctrl onto the main row.
  for (let i = 0; i < 9; i++) await dialog.locator('[data-key="Tab"] button[aria-label^="Move Tab left"]').tap();
  await dialog.locator('[data-key="ctrl"] button[aria-label^="Put Ctrl"]').tap();
  await screenshot(p, 'phone-390-keybar-arrange');
  await dialog.locator('button[type="submit"]').tap();
  const order = () => p.$$eval('#keybar .key', (els) => els.map((e) => e.getAttribute('data-key')));
  assert.deepEqual(await order(), ['Tab', 'Enter', 'y', 'n', '^C', 'Escape', 'Up', 'Down', 'Left', 'Right', 'ctrl', 'more']);
  assert.deepEqual((await inView(p, ['Tab', 'ctrl'])).seen, ['Tab', 'ctrl'], 'eleven keys still fit');
  await p.reload();
  await waitFor(async () => (await p.$('.term-page[data-state="open"]')) !== null, 15_000, 'reloaded terminal');
  assert.deepEqual(await order(), ['Tab', 'Enter', 'y', 'n', '^C', 'Escape', 'Up', 'Down', 'Left', 'Right', 'ctrl', 'more'], 'remembered');
  // Ctrl is no longer behind ⋯.
  await p.tap('#keybar .key[data-key="more"]');
  assert.equal(await p.$('#keybar .key[data-key="ctrl"]'), null);
  await c.close();
});

test('a held arrow repeats, and stops when the finger slides off the key (as a phone\'s own keys do), not only when it lifts', async () => {
  const c = await browser.newContext(PHONE);
  const p = await c.newPage();
  await loginWithLink(p, await daemon.newLoginUrl());
  await openTerminalPage(p, daemon, '/s/keys/1');
  await waitFor(async () => (await paneLines(tmux, '=keys:bytes')).join('').includes('READY'), 20_000, 'the byte dump');
  // Counted over the pane's history too: what scrolled off the screen still counts.
  const ups = async () => (await paneLines(tmux, '=keys:bytes', { history: true })).join('').split('<1b><5b><41>').length - 1;
  const center = (sel: string) => p.$eval(sel, (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  });
  const key = await center('#keybar .key[data-key="Up"]');
  const screenAt = await center('.term-host');
  // Chromium's own touch events (pointer events, implicit capture and all), as a finger makes them.
  const cdp = await c.newCDPSession(p);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', at?: { x: number; y: number }) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: at ? [{ ...at, id: 1 }] : [] });
  const before = await ups();
  await touch('touchStart', key);
  await waitFor(async () => (await ups()) >= before + 3 ? true : null, 5_000, 'the held arrow repeats');
  // The finger slides up off the key, onto the terminal, and stays down.
  for (let i = 1; i <= 5; i++) await touch('touchMove', { x: key.x, y: key.y + ((screenAt.y - key.y) * i) / 5 });
  // Bytes already on their way land within a moment; after that, none.
  await new Promise((r) => setTimeout(r, 400));
  const afterSlide = await ups();
  await new Promise((r) => setTimeout(r, 1_000));
  const later = await ups();
  await touch('touchEnd');
  await cdp.detach();
  assert.equal(later, afterSlide, `no repeats once the finger left the key (${later - afterSlide} more in a second)`);
  await c.close();
});

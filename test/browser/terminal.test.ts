/**
 * The browser terminal in real Chromium against a real daemon and tmux:
 * typing runs commands, two browsers share a session live, window tabs move
 * only their own device and set a bookmarkable URL, a read-only login cannot
 * type, and the DOM renderer (no WebGL) works under the CSP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, screenshot, screenText, startDaemon, tempHome, terminalState, waitForScreen, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const document: {
  querySelector(sel: string): { roostScreen?: { renderer(): string } } | null;
  querySelectorAll(sel: string): Iterable<{ getContext(kind: string): { getExtension(name: string): { loseContext(): void } | null } | null }> & { forEach(fn: (el: { setAttribute(k: string, v: string): void }) => void): void };
};
declare const location: { pathname: string };
declare function getComputedStyle(el: unknown): { color: string };

const tmux = privateTmux();
await tmux.run('new-session', '-d', '-s', 'work', '-n', 'main', '-x', '120', '-y', '40');
await tmux.run('new-window', '-d', '-t', 'work', '-n', 'logs', 'sh', '-c', 'echo LOGS-WINDOW-MARKER; exec sleep 600');
// Let true colour through to the browser, to exercise the DOM renderer's per-cell colours.
await tmux.run('set-option', '-as', 'terminal-features', 'xterm-256color:RGB');
const home = tempHome();
// "logs" prints once and then nothing: at the default 20 s of silence it would turn waiting (its tab redrawn)
// in the middle of whichever test a loaded machine has reached by then. Looking at it is no output.
mkdirSync(join(home, '.config', 'roost'), { recursive: true, mode: 0o700 });
writeFileSync(join(home, '.config', 'roost', 'config.toml'), 'silence = 3600\n', { mode: 0o600 });
const daemon = await startDaemon({ tmux, home });
const browser = await launchChromium();

const capture = async (target: string) => tmux.run('capture-pane', '-p', '-t', target);
const openTerminal = async (page: Page, path: string) => {
  await page.goto(`${daemon.url}${path}`);
  await waitFor(async () => (await terminalState(page)) === 'open', 15_000, `terminal ${path} open`);
};

const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const pageA = await desktop.newPage();
const watchA = await watchPage(pageA);
await loginWithLink(pageA, daemon.loginUrl);

test('type echo $((6*7)) and Enter: 42 shows on the screen and in the pane', async () => {
  await openTerminal(pageA, '/s/work/0');
  assert.equal(await pageA.evaluate(() => document.querySelector('.term-host')?.roostScreen?.renderer()), 'webgl');
  await waitForScreen(pageA, /[$#] ?$/m);
  await pageA.keyboard.type('echo $((6*7))');
  await pageA.keyboard.press('Enter');
  await waitForScreen(pageA, /^42\b/m);
  await waitFor(async () => /^42\b/m.test(await capture('=work:0')), 5000, '42 in tmux capture-pane');
  // The tab's title names the session and window (TITLE frames).
  await waitFor(async () => /\bwork:0 main · Roost$/.test(await pageA.title()), 15_000, 'the page title');
  await screenshot(pageA, 'terminal-desktop');
});

test('two browsers on one session see each other\'s typing', async () => {
  const other = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const pageB = await other.newPage();
  const watchB = await watchPage(pageB);
  await loginWithLink(pageB, await daemon.newLoginUrl());
  await openTerminal(pageB, '/s/work/0');
  await pageA.keyboard.type('echo from-a-$((1+1))\n');
  await waitForScreen(pageB, /^from-a-2\b/m);
  await pageB.click('.term-host');
  await pageB.keyboard.type('echo from-b-$((2+2))\n');
  await waitForScreen(pageA, /^from-b-4\b/m);
  assert.deepEqual(await watchB.csp(), []);
  await other.close();
});

test('a window tab switches only this device, and the URL follows (bookmarkable)', async () => {
  const other = await browser.newContext();
  const pageB = await other.newPage();
  await loginWithLink(pageB, await daemon.newLoginUrl());
  await openTerminal(pageB, '/s/work/0');
  await pageA.click('.tab[data-window="1"]');
  await waitForScreen(pageA, /LOGS-WINDOW-MARKER/);
  assert.equal(await pageA.evaluate(() => location.pathname), '/s/work/1');
  assert.equal(await pageA.getAttribute('.tab[data-window="1"]', 'aria-current'), 'page');
  // The other device still shows window 0.
  await pageB.keyboard.type('echo still-on-main\n');
  await waitForScreen(pageB, /^still-on-main\b/m);
  assert.doesNotMatch(await screenText(pageB), /LOGS-WINDOW-MARKER/);
  // The bookmark opens window 1 directly.
  await openTerminal(pageB, '/s/work/1');
  await waitForScreen(pageB, /LOGS-WINDOW-MARKER/);
  await other.close();
  await pageA.click('.tab[data-window="0"]');
  await waitFor(async () => (await pageA.evaluate(() => location.pathname)) === '/s/work/0', 5000, 'URL back on window 0');
});

test('tabs are redrawn only when what they show changes, not on every listing', async () => {
  // The previous test left this page going back to window 0: type only once it shows there.
  await waitFor(async () => !/LOGS-WINDOW-MARKER/.test(await screenText(pageA)), 15_000, 'window 0 on screen');
  // Output in window 0 brings a listing each second for a while. Starting the loop takes the window from
  // `shell` (at its prompt) to `working`, which its tab says: mark the tabs once it does, then count.
  // In a `sh -c` of its own: a loop typed at the prompt leaves the interactive shell in the foreground between
  // two sleeps, and a listing taken then (likelier on a loaded machine) reads the window as at its prompt.
  await pageA.keyboard.type("sh -c 'for i in 1 2 3 4 5 6 7 8; do echo tick-$i; sleep 1; done'\n");
  await waitFor(async () => (await pageA.getAttribute('.tab[data-window="0"]', 'title'))?.includes('(working)'), 15_000, 'window 0 working');
  await pageA.evaluate(() => document.querySelectorAll('.tab').forEach((t) => t.setAttribute('data-mark', 'kept')));
  // Two more ticks (two more listings with output) while the loop still runs.
  const ticks = async () => (await screenText(pageA)).match(/^tick-\d\b/gm)?.length ?? 0;
  const at = await ticks();
  await waitFor(async () => (await ticks()) >= Math.min(7, at + 2), 15_000, 'two more ticks');
  assert.equal(await pageA.locator('.tab[data-mark="kept"]').count(), 2, 'the same tab elements');
  await waitForScreen(pageA, /^tick-8\b/m);
  // A window renamed: its tab is redrawn with the new name.
  await tmux.run('rename-window', '-t', '=work:1', 'journal');
  await waitFor(async () => (await pageA.textContent('.tab[data-window="1"]'))?.includes('journal'), 15_000, 'the renamed tab');
  assert.equal(await pageA.locator('.tab[data-mark="kept"]').count(), 0);
  await tmux.run('rename-window', '-t', '=work:1', 'logs');
});

test('a read-only login watches but cannot type, and says so', async () => {
  const created = JSON.parse(await daemon.cli('token', 'create', '--read-only', '--name', 'watcher', '--json')) as { token: string };
  const ro = await browser.newContext();
  const page = await ro.newPage();
  const watch = await watchPage(page);
  await page.goto(`${daemon.url}/login`);
  await page.fill('input[name="secret"]', created.token);
  await page.click('button[type="submit"]');
  await page.waitForURL((u) => u.pathname === '/');
  await page.waitForSelector('.card[data-session="work"]');
  assert.equal(await page.isVisible('.topbar .badge-ro'), true);
  assert.equal(await page.$$eval('.card button', (b) => b.length), 0, 'no rename or kill buttons');
  assert.equal(await page.isVisible('button:has-text("New session")'), false);
  await openTerminal(page, '/s/work/0');
  assert.equal(await page.isVisible('.term-bar .badge-ro'), true);
  await pageA.keyboard.type('echo watched-$((3*3))\n');
  await waitForScreen(page, /^watched-9\b/m);
  await page.click('.term-host');
  await page.keyboard.type('echo typed-by-watcher\n');
  // Typing in the read-only view reaches nothing: the owner's next command shows, the watcher's never.
  await pageA.keyboard.type('echo owner-after\n');
  await waitFor(async () => /^owner-after\b/m.test(await capture('=work:0')), 5000, 'owner output');
  assert.doesNotMatch(await capture('=work:0'), /typed-by-watcher/);
  assert.deepEqual(await watch.csp(), []);
  await ro.close();
});

test('without WebGL the DOM renderer draws, colours included, within the CSP', async () => {
  const noGl = await launchChromium(['--disable-3d-apis']);
  const ctx = await noGl.newContext({ viewport: { width: 1000, height: 600 } });
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await loginWithLink(page, await daemon.newLoginUrl());
  await openTerminal(page, '/s/work/0');
  assert.equal(await page.evaluate(() => document.querySelector('.term-host')?.roostScreen?.renderer()), 'dom');
  await page.click('.term-host');
  await page.keyboard.type("clear; printf '\\033[38;2;255;100;0mTRUE%sCOLOUR\\033[0m\\n' -\n");
  await waitForScreen(page, /^TRUE-COLOUR\b/m);
  const colour = await waitFor(() => page.$$eval('.xterm-rows span', (spans) =>
    spans.filter((s) => s.textContent?.includes('TRUE')).map((s) => getComputedStyle(s).color)[0]), 5000, 'the coloured span');
  assert.equal(colour, 'rgb(255, 100, 0)');
  await screenshot(page, 'terminal-dom-renderer');
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
  await ctx.close();
});

test('a lost WebGL context falls back to the DOM renderer, and the terminal keeps working', async () => {
  const lost = await pageA.evaluate(() => {
    for (const c of document.querySelectorAll('.term-host canvas')) {
      const gl = c.getContext('webgl2');
      const ext = gl?.getExtension('WEBGL_lose_context');
      if (ext) {
        ext.loseContext();
        return true;
      }
    }
    return false;
  });
  assert.equal(lost, true, 'found the WebGL canvas');
  await waitFor(async () => (await pageA.evaluate(() => document.querySelector('.term-host')?.roostScreen?.renderer())) === 'dom', 15_000, 'the DOM renderer');
  await pageA.click('.term-host');
  await pageA.keyboard.type('echo dom-$((5*5))\n');
  await waitFor(() => pageA.$$eval('.xterm-rows > div', (rows) => rows.some((r) => /^dom-25\b/.test(r.textContent ?? ''))), 10_000, 'dom-25 drawn as DOM rows');
  await screenshot(pageA, 'terminal-after-context-loss');
});

test('no CSP violation or page error in the main page', async () => {
  assert.deepEqual(await watchA.csp(), []);
  assert.deepEqual(watchA.errors, []);
});

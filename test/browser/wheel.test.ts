/**
 * The mouse wheel on a desktop, in real Chromium against a real daemon and
 * tmux: without tmux's `mouse on` the wheel scrolls the session's history
 * (copy mode on this device's view, as a phone's swipe does) instead of
 * reaching the shell as arrow keys; with `mouse on` it is tmux's, as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { THEN } from '../../src/tmux/index.js';
import { launchChromium, loginWithLink, openTerminalPage, paneLines, sentScrolls, startDaemon, tempHome, watchPage } from '../helpers/browser.js';

interface Box { top: number; bottom: number; left: number; right: number }
declare const document: { querySelector(sel: string): { getBoundingClientRect(): Box; roostScreen?: { mouse(): string } } | null };

const tmux = privateTmux();
await tmux.run('start-server', THEN, 'set-option', '-g', 'history-limit', '5000', THEN,
  'new-session', '-d', '-s', 'hist', '-x', '100', '-y', '30', '-e', 'PS1=$ ', 'bash', '--norc', '--noprofile');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium();
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await ctx.newPage();
const watch = await watchPage(page);
/** Lines of every SCROLL this page sent, in order. */
const scrolls = sentScrolls(page);
await loginWithLink(page, daemon.loginUrl);

const inMode = async () => (await tmux.run('display-message', '-p', '-t', '=hist:', '#{pane_in_mode} #{scroll_position}')).trim().split(' ');
const mouse = (p: Page) => p.evaluate(() => document.querySelector('.term-host')?.roostScreen?.mouse());

async function wheel(p: Page, dy: number): Promise<void> {
  const box = await p.evaluate(() => document.querySelector('.term-host')!.getBoundingClientRect());
  await p.mouse.move((box.left + box.right) / 2, (box.top + box.bottom) / 2);
  await p.mouse.wheel(0, dy);
}

test('prepare: a command in the shell\'s history and 300 lines', async () => {
  await openTerminalPage(page, daemon, '/s/hist');
  await page.click('.term-host');
  await page.keyboard.type('seq 1 300\n');
  await waitFor(async () => (await paneLines(tmux, '=hist:')).at(-1) === '$', 15_000, 'the output');
});

test('without tmux mouse on, the wheel scrolls back through the history, not the shell\'s commands', async () => {
  assert.equal(await mouse(page), 'none', 'tmux asks for no mouse reports');
  scrolls.length = 0;
  await wheel(page, -300);
  // Playwright may report a frame after tmux has acted on it: wait for both to agree.
  const back = await waitFor(async () => {
    const [m, pos] = await inMode();
    return m === '1' && Number(pos) > 0 && Number(pos) === -scrolls.reduce((a, b) => a + b, 0) ? Number(pos) : null;
  }, 20_000, 'copy mode, scrolled back by the SCROLLs sent');
  assert.ok(scrolls.every((n) => n < 0), `SCROLLs sent: ${scrolls.join(' ')}`);
  await waitFor(() => page.isVisible('.live-button'), 15_000, 'the Live button');
  // Down again: forward through the history.
  await wheel(page, 100);
  await waitFor(async () => Number((await inMode())[1]) < back && scrolls.some((n) => n > 0), 20_000, 'scrolled forward by a SCROLL');
  await page.click('.live-button');
  await waitFor(async () => (await inMode())[0] === '0', 20_000, 'live again');
  // The shell was never sent an Up arrow: its prompt is empty, not the last command recalled.
  assert.equal((await paneLines(tmux, '=hist:')).at(-1), '$');
});

test('with tmux mouse on, the wheel is tmux\'s own (a mouse report), and still scrolls back', async () => {
  await tmux.run('set-option', '-g', 'mouse', 'on');
  try {
    await waitFor(async () => (await mouse(page)) !== 'none', 15_000, 'tmux to ask for mouse reports');
    scrolls.length = 0;
    await wheel(page, -300);
    await waitFor(async () => (await inMode())[0] === '1', 20_000, 'scrolled back by tmux');
    assert.deepEqual(scrolls, [], 'no SCROLL: tmux had the wheel');
    await tmux.run('send-keys', '-t', '=hist:', '-X', 'cancel');
  } finally {
    await tmux.run('set-option', '-g', 'mouse', 'off');
  }
});

test('no page errors or CSP reports', async () => {
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
});

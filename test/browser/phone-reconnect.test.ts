/**
 * A phone's terminal while its connection is down, against a real daemon
 * and tmux: the daemon killed (-9) under an open page, the key bar keeps its
 * place but the keys that go to the session are disabled (aria-disabled,
 * dimmed) and a tap on one sends nothing, then or later; ⋯ and ‹ still work
 * and the terminal keeps the focus (the on-screen keyboard stays up). The
 * daemon started again on the same port, the page reconnects and the keys
 * work at once. Text typed on the keyboard while away is dropped too, and a
 * suggestion tapped after reconnecting does not send backspaces for it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, stretch, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, PHONE_SCALE_ARGS, screenshot, shellSession, softKeyboard, startDaemon, tempHome,
  terminalState, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
interface Rect { top: number; bottom: number; left: number; right: number }
declare const document: {
  activeElement: { className: string } | null;
  querySelector(sel: string): { getBoundingClientRect(): Rect } | null;
  querySelectorAll(sel: string): ArrayLike<{ getAttribute(n: string): string | null }>;
};
declare function getComputedStyle(el: unknown): { opacity: string };

const tmux = privateTmux();
await shellSession(tmux, 'keys');
const home = tempHome();
let daemon = await startDaemon({ tmux, home });
// The daemon started again inside the test is stopped here (the first one is stopped by its own hook).
after(() => daemon.stop());
const browser = await launchChromium(PHONE_SCALE_ARGS);
const ctx = await browser.newContext(PHONE);
const page = await ctx.newPage();
const watch = await watchPage(page);
await loginWithLink(page, daemon.loginUrl);

/** The bar's own keys, which act on the page alone. */
const PAGE_KEYS = ['more', 'back', 'arrange', 'hide'];
const focusedTerminal = (p: Page) => p.evaluate(() => document.activeElement?.className.includes('xterm-helper-textarea') ?? false);
/** Each key shown in the bar: its data-key and aria-disabled. */
const keys = (p: Page) => p.evaluate(() => Array.from(document.querySelectorAll('#keybar .key'), (b) => [b.getAttribute('data-key') ?? '', b.getAttribute('aria-disabled')] as const));
const box = (p: Page, sel: string) => p.evaluate((s) => {
  const r = document.querySelector(s)!.getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
}, sel);

test('while the terminal reconnects the key bar stays in place, disabled; reconnected, its keys reach the pane at once', async () => {
  await openTerminalPage(page, daemon, '/s/keys');
  await page.tap('.term-host');
  await waitFor(() => focusedTerminal(page), 15_000, 'the terminal focused');
  const kb = await softKeyboard(page);
  await kb.commit('echo ');
  await waitFor(async () => (await paneLines(tmux, '=keys:')).join('\n') === '$ echo', 15_000, '"echo " in the pane');
  assert.deepEqual((await keys(page)).filter(([, disabled]) => disabled !== null), [], 'connected: every key works');
  const barBefore = await box(page, '#keybar');
  const screenBefore = await box(page, '.term-host');

  const port = daemon.port;
  await daemon.kill9();
  await page.waitForSelector('.banner[data-kind="reconnecting"]', { timeout: stretch(15_000) });
  const away = await keys(page);
  assert.ok(away.length >= 10, `the bar is still there: ${JSON.stringify(away)}`);
  for (const [key, disabled] of away) assert.equal(disabled, PAGE_KEYS.includes(key) ? null : 'true', `key ${key} while reconnecting`);
  assert.ok(Number(await page.$eval('#keybar .key[data-key="y"]', (b) => getComputedStyle(b).opacity)) < 1, 'a disabled key is dimmed');
  assert.deepEqual(await box(page, '#keybar'), barBefore, 'the bar keeps its place');
  assert.deepEqual(await box(page, '.term-host'), screenBefore, 'the screen keeps its size');
  await screenshot(page, 'phone-390-keybar-reconnecting');

  // Taps on disabled keys (forced: Playwright waits for an aria-disabled element to be enabled): nothing armed,
  // nothing sent (checked in the pane below), the focus stays in the terminal.
  await page.tap('#keybar .key[data-key="y"]', { force: true });
  await page.tap('#keybar .key[data-key="more"]');
  await waitFor(async () => (await page.getAttribute('#keybar .keybar', 'data-row')) === 'more', 5000, 'the other keys (⋯ works)');
  assert.equal(await page.getAttribute('#keybar .key[data-key="|"]', 'aria-disabled'), 'true', 'the other row\'s keys are disabled too');
  await page.tap('#keybar .key[data-key="ctrl"]', { force: true });
  assert.equal(await page.getAttribute('#keybar .key[data-key="ctrl"]', 'aria-pressed'), 'false', 'Ctrl is not armed');
  await page.tap('#keybar .key[data-key="|"]', { force: true });
  await page.tap('#keybar .key[data-key="back"]');
  await waitFor(async () => (await page.getAttribute('#keybar .keybar', 'data-row')) === 'main', 5000, 'the main keys again (‹ works)');
  assert.equal(await focusedTerminal(page), true, 'the terminal keeps the focus');
  // Typed on the keyboard while away: dropped, not queued.
  await kb.commit('abc');

  daemon = await startDaemon({ tmux, home, port, stopAfterFile: false });
  await waitFor(async () => (await terminalState(page)) === 'open', 30_000, 'the terminal reconnected');
  assert.deepEqual((await keys(page)).filter(([, disabled]) => disabled !== null), [], 'reconnected: every key works again');
  assert.equal(await focusedTerminal(page), true, 'the terminal still has the focus');
  // A suggestion that replaces the word typed while away: the field was emptied on reconnecting, so no
  // backspaces go for "abc" (which the shell never got) and eat the "echo " it did get.
  await kb.replace(5, 8, 'xyz');
  await page.tap('#keybar .key[data-key="Enter"]');
  await waitFor(async () => (await paneLines(tmux, '=keys:')).length >= 3, 15_000, 'the command ran');
  assert.deepEqual(await paneLines(tmux, '=keys:'), ['$ echo xyz', 'xyz', '$']);
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(await watch.csp(), []);
});

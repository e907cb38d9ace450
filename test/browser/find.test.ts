/**
 * Find, in real Chromium against a real daemon and tmux, on a desktop and a
 * phone: the magnifier searches the screen and the whole tmux history (a
 * line 6,000 lines back, further than the terminal's own scrollback keeps),
 * lists the matching lines newest first with the lines around them, and a
 * tap on one opens the scrollback reader at that line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, PHONE_SCALE_ARGS, screenshot, shellSession, startDaemon, tempHome, watchPage,
} from '../helpers/browser.js';

const tmux = privateTmux();
await shellSession(tmux, 'find');
await tmux.run('set-option', '-t', '=find:', 'history-limit', '20000');
await waitFor(async () => (await paneLines(tmux, '=find:0')).some((l) => l.startsWith('$')), 30_000, 'prompt');
// history-limit applies to panes made after it: a new window holds the text.
await tmux.run('new-window', '-t', '=find:', '-e', 'PS1=$ ', 'bash', '--norc', '--noprofile');
await waitFor(async () => (await paneLines(tmux, '=find:1')).some((l) => l.startsWith('$')), 30_000, 'prompt in window 1');
await tmux.run('send-keys', '-t', '=find:1', 'echo NEEDLE-$((40+2)); seq 1 6000; echo after-needle', 'Enter');
await waitFor(async () => (await paneLines(tmux, '=find:1')).includes('after-needle'), 30_000, 'the output');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium(PHONE_SCALE_ARGS);
const desktopBrowser = await launchChromium();

async function find(p: Page, query: string, tap: (sel: string) => Promise<void>): Promise<void> {
  await tap('button[aria-label="Find in screen and history"]');
  const field = p.locator('.find-panel input[type="search"]');
  await field.waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await field.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement), true, 'the field has the focus');
  await field.fill(query);
}

for (const device of ['desktop', 'phone'] as const) {
  test(`${device}: Find covers the whole history and the screen, in context; a match opens the reader there`, async () => {
    const ctx = device === 'phone' ? await browser.newContext(PHONE) : await desktopBrowser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    const watch = await watchPage(page);
    await loginWithLink(page, device === 'phone' ? await daemon.newLoginUrl() : daemon.loginUrl);
    await openTerminalPage(page, daemon, '/s/find/1');
    const tap = (sel: string) => (device === 'phone' ? page.tap(sel) : page.click(sel));

    await find(page, 'NEEDLE-42', tap);
    const match = page.locator('.find-match').first();
    await waitFor(async () => (await page.locator('.find-match').count()) === 1, 15_000, 'one match 6,000 lines back');
    assert.match((await page.textContent('.find-count')) ?? '', /^1 matching line in 6,0\d\d lines$/);
    assert.equal(await match.locator('mark').textContent(), 'NEEDLE-42');
    const lines = await match.locator('.find-line').allTextContents();
    assert.deepEqual(lines, ['$ echo NEEDLE-$((40+2)); seq 1 6000; echo after-needle', 'NEEDLE-42', '1', '2'], 'the line with two before and after it');
    assert.match((await match.locator('.find-where').textContent()) ?? '', /^6,00\d lines back$/);
    await screenshot(page, `${device === 'phone' ? 'phone-390' : 'desktop'}-find`);

    // Lower case finds both spellings; the newest first, which is on the screen.
    await page.locator('.find-panel input[type="search"]').fill('after-needle');
    await waitFor(async () => (await page.locator('.find-match').count()) === 2, 15_000, 'two matches');
    assert.deepEqual(await page.locator('.find-match .find-hit').allTextContents(), ['after-needle', '$ echo NEEDLE-$((40+2)); seq 1 6000; echo after-needle']);

    // A match opens the reader at it.
    await page.locator('.find-panel input[type="search"]').fill('NEEDLE-42');
    await waitFor(async () => (await page.locator('.find-match').count()) === 1, 15_000, 'the match again');
    await tap('.find-match');
    await waitFor(async () => (await page.locator('.history .hl-current').textContent()) === 'NEEDLE-42', 20_000, 'the reader at the match');
    assert.equal(await page.inputValue('.history input[type="search"]'), 'NEEDLE-42');
    assert.equal(await page.locator('.find-panel').count(), 0, 'Find gave way to the reader');
    await screenshot(page, `${device === 'phone' ? 'phone-390' : 'desktop'}-find-reader`);
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(await watch.csp(), []);
    await ctx.close();
  });
}

/**
 * The terminal page's edges on a phone, in real Chromium against a real
 * daemon and tmux: no scrollbar shows over the last column while output
 * scrolls right after the page opens, and the window tabs scroll the
 * current tab into view without leaving the tab before it cut at the strip's
 * left edge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { launchChromium, loginWithLink, openTerminalPage, PHONE, PHONE_SCALE_ARGS, screenshot, shellSession, SMALL_PHONE, startDaemon, tempHome, watchPage } from '../helpers/browser.js';

interface Box { left: number; right: number; width: number }
declare const document: { querySelectorAll(sel: string): { getBoundingClientRect(): Box; textContent: string | null }[]; querySelector(sel: string): { getBoundingClientRect(): Box } | null };
declare const getComputedStyle: (el: unknown) => { opacity: string; display: string };

const tmux = privateTmux();
// A clock: a line every 0.4 s, scrolling tmux's pane from the moment the page opens.
await tmux.run('new-session', '-d', '-s', 'clock', '-x', '80', '-y', '24', 'sh', '-c', 'seq 1 60; while true; do date; sleep 0.4; done');
// Three windows whose tabs do not all fit beside the session's name on a phone.
await shellSession(tmux, 'multi');
await tmux.run('rename-window', '-t', '=multi:', 'bash');
await tmux.run('new-window', '-d', '-t', '=multi:', '-n', 'w2', 'bash', '--norc', '--noprofile');
await tmux.run('new-window', '-d', '-t', '=multi:', '-n', 'w3', 'bash', '--norc', '--noprofile');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium(PHONE_SCALE_ARGS);

test('phone: no scrollbar over the last column while output scrolls after the page opens', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await loginWithLink(page, daemon.loginUrl);
  await openTerminalPage(page, daemon, '/s/clock');
  const shown: string[] = [];
  // xterm's overlay scrollbar showed (faded in) for about a second after each of the first few scrolled lines.
  for (let i = 0; i < 24; i++) {
    const seen = await page.evaluate(() => [...document.querySelectorAll('.term-host .scrollbar')].filter((e) => {
      const r = e.getBoundingClientRect();
      const st = getComputedStyle(e);
      return r.width > 0 && st.display !== 'none' && Number(st.opacity) > 0;
    }).map((e) => JSON.stringify(e.getBoundingClientRect())));
    shown.push(...seen.map((s) => `${i * 200} ms: ${s}`));
    if (i === 4) await screenshot(page, 'phone-terminal-no-scrollbar');
    await page.waitForTimeout(200);
  }
  assert.deepEqual(shown, [], 'no scrollbar strip over the terminal');
  assert.deepEqual(watch.errors, []);
  await ctx.close();
});

/** The tabs cut at the strip's left edge (part of them scrolled out), and whether the current one is whole. */
const tabEdges = (page: Page) => page.evaluate(() => {
  const strip = document.querySelector('.tabs')!.getBoundingClientRect();
  const tabs = [...document.querySelectorAll('.tabs .tab')].map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }));
  const cur = [...document.querySelectorAll('.tabs .tab[aria-current="page"]')][0]!.getBoundingClientRect();
  return {
    cut: tabs.filter((t) => t.box.left < strip.left - 1 && t.box.right > strip.left + 1).map((t) => t.text),
    currentWhole: cur.left >= strip.left - 1 && cur.right <= strip.right + 1,
    scrolled: tabs[0]!.box.left < strip.left - 1,
  };
});

for (const [size, width] of [[PHONE, 390], [SMALL_PHONE, 360]] as const) {
  test(`${width} px: the current tab scrolls into view with no tab cut at the strip's left edge`, async () => {
    const ctx = await browser.newContext(size);
    const page = await ctx.newPage();
    await loginWithLink(page, await daemon.newLoginUrl());
    await openTerminalPage(page, daemon, '/s/multi/2');
    await waitFor(async () => (await page.$$('.tabs .tab')).length === 3, 10_000, 'three tabs');
    const last = await waitFor(async () => {
      const e = await tabEdges(page);
      return e.currentWhole ? e : null;
    }, 5000, 'the last tab in view');
    assert.equal(last.scrolled, true, 'the strip had to scroll (else this test shows nothing)');
    assert.deepEqual(last.cut, [], 'no tab cut at the left edge');
    await screenshot(page, `phone-${width}-tabs-last`);
    // Back to the first window with tmux's own keys (prefix 0), then on to the second (prefix 1): the same.
    await page.tap('.term-host');
    for (const w of ['0', '1']) {
      await page.keyboard.press('Control+b');
      await page.keyboard.press(w);
      const e = await waitFor(async () => {
        const x = await tabEdges(page);
        const cur = await page.getAttribute('.tabs .tab[aria-current="page"]', 'data-window');
        return cur === w && x.currentWhole ? x : null;
      }, 10_000, `window ${w}'s tab in view`);
      assert.deepEqual(e.cut, [], `no tab cut at the left edge on window ${w}`);
    }
    await ctx.close();
  });
}

/**
 * Read-only viewers in real Chromium (a desktop and a phone, as a share
 * link's readers would be) watching the owner's window: they share one
 * tmux client (src/server/terminal/viewer-shares.ts), each shows the owner's
 * output, each shows the window whole at its size after the owner's
 * browser resizes it, and one leaving leaves the other watching.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { waitFor, privateTmux } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, PHONE_SCALE_ARGS, screenshot, shellSession, startDaemon, tempHome, waitForScreen, watchPage,
} from '../helpers/browser.js';

declare const document: {
  querySelector(sel: string): { roostScreen?: { cols(): number; rows(): number } } | null;
};

const tmux = privateTmux();
await shellSession(tmux, 'work');
await waitFor(async () => (await paneLines(tmux, '=work:0')).some((l) => l.startsWith('$')), 30_000, 'a prompt');
const daemon = await startDaemon({ tmux, home: tempHome() });
const desktopBrowser = await launchChromium();
// The phone's pixel ratio needs its own browser (browser.ts, PHONE_SCALE_ARGS).
const phoneBrowser = await launchChromium(PHONE_SCALE_ARGS);

const ownerCtx = await desktopBrowser.newContext({ viewport: { width: 1280, height: 800 } });
const owner = await ownerCtx.newPage();
const watchOwner = await watchPage(owner);
await loginWithLink(owner, daemon.loginUrl);

/** A read-only login's page in `browser`, with a token of its own (a share link's reader). */
async function viewerPage(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const { token } = JSON.parse(await daemon.cli('token', 'create', '--read-only', '--json')) as { token: string };
  const page = await (await browser.newContext(options)).newPage();
  await page.goto(`${daemon.url}/login`);
  await page.fill('input[name="secret"]', token);
  await page.click('button[type="submit"]');
  await page.waitForURL((u) => u.pathname === '/');
  return page;
}

const screenSize = (p: Page) => p.evaluate(() => {
  const s = document.querySelector('.term-host')?.roostScreen;
  return s ? `${s.cols()}x${s.rows()}` : null;
});
/** The window's size as a client shows it: its rows and tmux's status line. */
const windowSize = async () => {
  const [w = '', h = ''] = (await tmux.run('display-message', '-p', '-t', '=work:', '#{window_width} #{window_height}')).trim().split(' ');
  return `${w}x${Number(h) + 1}`;
};
const readOnlyClients = async () => (await tmux.run('list-clients', '-F', '#{client_readonly}')).split('\n').filter((l) => l === '1').length;

test('a desktop and a phone watch the owner\'s window through one shared client, each at the window\'s size, also after the owner resizes it; one leaving leaves the other watching', async () => {
  await openTerminalPage(owner, daemon, '/s/work/0');
  await owner.click('.term-host');
  await owner.keyboard.type('echo owner-$((6*7))\n');
  await waitForScreen(owner, /^owner-42\b/m);

  const desk = await viewerPage(desktopBrowser, { viewport: { width: 1000, height: 700 } });
  const phone = await viewerPage(phoneBrowser, PHONE);
  await Promise.all([openTerminalPage(desk, daemon, '/s/work/0'), openTerminalPage(phone, daemon, '/s/work/0')]);
  for (const p of [desk, phone]) await waitForScreen(p, /^owner-42\b/m);
  assert.equal(await readOnlyClients(), 1, 'one read-only tmux client for both viewers');
  for (const p of [desk, phone]) assert.equal(await screenSize(p), await windowSize(), 'the viewer shows the window at its size');

  // The owner's browser gets smaller: its window follows, and so does what the viewers show.
  const before = await windowSize();
  await owner.setViewportSize({ width: 900, height: 560 });
  await waitFor(async () => (await windowSize()) !== before, 10_000, 'the window resized by the owner');
  const after = await windowSize();
  for (const p of [desk, phone]) await waitFor(async () => (await screenSize(p)) === after, 10_000, `the viewer at ${after}`);
  await owner.keyboard.type('clear; echo resized-$((5*5))\n');
  for (const p of [desk, phone]) await waitForScreen(p, /^resized-25\b/m);
  await screenshot(phone, 'share-viewer-phone');

  await desk.context().close();
  const attached = async () => (JSON.parse(await daemon.cli('ls', '--json')) as { name: string; attached: number }[]).find((x) => x.name === 'work')?.attached;
  let seen: number | undefined;
  await waitFor(async () => (seen = await attached()) === 2, 10_000, 'the owner and the phone counted').catch((e: Error) => {
    throw new Error(`${e.message}: ${seen}`);
  });
  await owner.keyboard.type('echo still-$((9*9))\n');
  await waitForScreen(phone, /^still-81\b/m);
  assert.equal(await readOnlyClients(), 1);
  await phone.context().close();
  await waitFor(async () => (await readOnlyClients()) === 0, 10_000, 'no read-only client left');
  assert.deepEqual(await watchOwner.csp(), []);
});

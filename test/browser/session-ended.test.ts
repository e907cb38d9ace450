/**
 * The terminal page once its session ended, in real Chromium against a real
 * daemon and tmux: a page showing a window another device sizes has the
 * "Sized for another device" strip; killing the session puts the "Session
 * ended" banner over the screen and takes the strip (and its Fit here) away,
 * since there is no window left to size, as well as the window tabs and
 * Find. Reconnect, once the session is back, shows them again while the
 * other device still sizes the window. On a phone the key bar goes too, and
 * comes back. The banner's words read as a sentence ("Session ended.", not
 * "Session ended: the session ended"), and a session that never existed is
 * not said to have ended.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, PHONE, screenshot, shellSession, startDaemon, tempHome, terminalState, watchPage,
} from '../helpers/browser.js';

const tmux = privateTmux();
await shellSession(tmux, 'work');
await shellSession(tmux, 'pocket');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium();

test('the size strip goes once the session ended, under the "Session ended" banner', async () => {
  const sizerCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const sizer = await sizerCtx.newPage();
  await loginWithLink(sizer, daemon.loginUrl);
  const viewerCtx = await browser.newContext({ viewport: { width: 900, height: 700 } });
  const viewer = await viewerCtx.newPage();
  const watch = await watchPage(viewer);
  await loginWithLink(viewer, await daemon.newLoginUrl());

  await openTerminalPage(sizer, daemon, '/s/work');
  // A click on the screen takes the window's size, as in phone-sizes.test.ts.
  await sizer.click('.term-host');
  await waitFor(async () => Number((await tmux.run('display-message', '-p', '-t', '=work:', '#{window_width}')).trim()) > 120, 20_000, 'the first device sizes the window');
  await openTerminalPage(viewer, daemon, '/s/work');
  const strip = viewer.locator('.size-note');
  await strip.waitFor({ state: 'visible', timeout: 15_000 });
  const tabs = viewer.locator('.term-bar .tabs .tab');
  const find = viewer.getByRole('button', { name: 'Find in screen and history' });
  await tabs.first().waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await find.isVisible(), true);

  await tmux.run('kill-session', '-t', '=work');
  await viewer.waitForSelector('.banner[data-kind="ended"]', { timeout: 15_000 });
  assert.equal(await viewer.textContent('.banner .banner-text'), 'Session ended.');
  await screenshot(viewer, 'session-ended-sized-elsewhere');
  assert.equal(await strip.isVisible(), false, 'no size strip (nor its Fit here) under "Session ended"');
  assert.equal(await viewer.locator('.size-note-fit').isVisible(), false);
  assert.equal(await tabs.first().isVisible(), false, 'no tabs of a session that is gone');
  assert.equal(await find.isVisible(), false, 'no Find over a session that is gone');

  // The session is back (same name): Reconnect, and the strip returns while the other device still sizes it.
  await shellSession(tmux, 'work');
  await sizer.getByRole('button', { name: 'Reconnect' }).click();
  await waitFor(async () => Number((await tmux.run('display-message', '-p', '-t', '=work:', '#{window_width}')).trim()) > 120, 20_000, 'the first device sizes the new window');
  await viewer.getByRole('button', { name: 'Reconnect' }).click();
  await strip.waitFor({ state: 'visible', timeout: 15_000 });
  await tabs.first().waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await find.isVisible(), true);
  assert.deepEqual(watch.errors, []);
});

test('on a phone the key bar goes with the session and comes back on Reconnect; the banner reads as a sentence', async () => {
  const ctx = await browser.newContext(PHONE);
  const phone = await ctx.newPage();
  const watch = await watchPage(phone);
  await loginWithLink(phone, await daemon.newLoginUrl());
  await openTerminalPage(phone, daemon, '/s/pocket');
  const keybar = phone.locator('#keybar .keybar');
  await keybar.waitFor({ state: 'visible', timeout: 15_000 });

  await tmux.run('kill-session', '-t', '=pocket');
  await phone.waitForSelector('.banner[data-kind="ended"]', { timeout: 15_000 });
  assert.equal(await phone.textContent('.banner .banner-text'), 'Session ended.');
  await screenshot(phone, 'session-ended-phone');
  assert.equal(await keybar.isVisible(), false, 'no key bar for a session that is gone');

  await shellSession(tmux, 'pocket');
  await phone.getByRole('button', { name: 'Reconnect' }).tap();
  await waitFor(async () => (await terminalState(phone)) === 'open', 15_000, 'reconnected');
  await keybar.waitFor({ state: 'visible', timeout: 15_000 });
  assert.deepEqual(watch.errors, []);
  await ctx.close();
});

test('a session that never existed: "No session named nosuch.", not "Session ended"', async () => {
  const ctx = await browser.newContext(PHONE);
  const phone = await ctx.newPage();
  await loginWithLink(phone, await daemon.newLoginUrl());
  await phone.goto(`${daemon.url}/s/nosuch`);
  await phone.waitForSelector('.banner[data-kind="ended"]', { timeout: 15_000 });
  assert.equal(await phone.textContent('.banner .banner-text'), 'No session named nosuch.');
  assert.equal(await phone.locator('#keybar .keybar').isVisible(), false, 'no key bar: nothing to type into');
  await ctx.close();
});

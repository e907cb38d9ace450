/**
 * The dashboard in real Chromium (a phone viewport) marks a session Roost
 * restored until someone opens it; other sessions carry no mark.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { PHONE, launchChromium, loginWithLink, screenshot, startDaemon, tempHome } from '../helpers/browser.js';
import { RESTORED_OPTION } from '../../src/tmux/index.js';

test('a restored session shows "restored" on its card until it is opened', async () => {
  const tmux = privateTmux();
  await tmux.run('new-session', '-d', '-s', 'brought-back');
  await tmux.run('new-session', '-d', '-s', 'fresh');
  // The mark the executor sets in the command list that builds a restored session.
  await tmux.run('set-option', '-t', '=brought-back:', RESTORED_OPTION, String(Math.floor(Date.now() / 1000)));
  const daemon = await startDaemon({ tmux, home: tempHome() });
  const browser = await launchChromium();
  after(() => browser.close());
  const page = await (await browser.newContext(PHONE)).newPage();
  await loginWithLink(page, daemon.loginUrl);

  const badge = '.card[data-session="brought-back"] .badge-restored';
  await page.waitForSelector(badge);
  assert.equal((await page.textContent(badge))?.trim(), 'restored');
  assert.equal(await page.$('.card[data-session="fresh"] .badge-restored'), null);
  await screenshot(page, 'dashboard-restored-phone');

  await page.click('.card[data-session="brought-back"] .card-title');
  await waitFor(async () => (await tmux.run('show-options', '-v', '-t', '=brought-back:', RESTORED_OPTION).catch(() => '')).trim() === '', 20_000, 'the mark cleared once the session was opened');
  await page.goBack();
  await page.waitForSelector('.card[data-session="brought-back"]');
  await waitFor(async () => (await page.$(badge)) === null, 10_000, 'the badge gone from the card');
});

/**
 * The dashboard says when the tmux server stopped (every card gone at once
 * would otherwise say nothing), and stops saying it when a server runs again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, stretch } from '../helpers/tmux.js';
import { launchChromium, loginWithLink, screenshot, startDaemon, tempHome } from '../helpers/browser.js';

test('the dashboard shows that the tmux server stopped, and clears it when one runs again', async () => {
  const tmux = privateTmux();
  await tmux.run('new-session', '-d', '-s', 'work');
  const daemon = await startDaemon({ tmux, home: tempHome() });
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await loginWithLink(page, daemon.loginUrl);
  await page.waitForSelector('.card[data-session="work"]');
  assert.equal(await page.isVisible('.notice'), false);

  await tmux.run('kill-server');
  await page.waitForSelector('.notice:not([hidden])', { timeout: stretch(15_000) });
  assert.match(await page.textContent('.notice') ?? '', /The tmux server stopped at .*every session in it ended/);
  await screenshot(page, 'phone-tmux-server-stopped');

  await tmux.run('new-session', '-d', '-s', 'again');
  await page.waitForSelector('.card[data-session="again"]', { timeout: stretch(15_000) });
  await page.waitForSelector('.notice', { state: 'hidden', timeout: stretch(15_000) });
});

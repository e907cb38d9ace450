/**
 * A phone and a desktop on one session, in real Chromium against a real
 * daemon and tmux: each keeps its own window (switching on one never moves
 * the other), the phone's small screen does not shrink the desktop's window
 * while the desktop is the one in use, tmux's status line names the session
 * (not the hidden per-device view), a window change made inside tmux
 * (prefix n) reaches the page's tabs and URL, and closing the phone leaves
 * no tmux session behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { viewStatusFormat } from '../../src/tmux/index.js';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, PHONE_SCALE_ARGS, screenshot, screenText, shellSession, startDaemon, tempHome, waitForScreen, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const location: { pathname: string };

const tmux = privateTmux();
await shellSession(tmux, 'shared');
await tmux.run('rename-window', '-t', '=shared:0', 'one');
await tmux.run('new-window', '-d', '-t', '=shared:', '-n', 'two', '-e', 'PS1=$ ', 'bash', '--norc', '--noprofile');
// Type only once each shell shows its prompt (keys sent to a shell still starting can be lost),
// and go on only once tmux has the marks on screen.
for (const [w, mark] of [[0, 'echo MARK-$((10+1))'], [1, 'echo MARK-$((20+2))']] as const) {
  await waitFor(async () => (await paneLines(tmux, `=shared:${w}`)).some((l) => l.startsWith('$')), 30_000, `prompt in window ${w}`);
  await tmux.run('send-keys', '-t', `=shared:${w}`, mark, 'Enter');
}
await waitFor(async () => (await paneLines(tmux, '=shared:0')).includes('MARK-11') && (await paneLines(tmux, '=shared:1')).includes('MARK-22'), 30_000, 'marks on the panes');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium(PHONE_SCALE_ARGS);

/** Roost's hidden per-device sessions: name, current window index. */
async function views(): Promise<{ name: string; window: number }[]> {
  // Spare views (made ahead for the next terminal) are no device's.
  const out = await tmux.run('list-sessions', '-F', '#{session_name} #{window_index} #{?@roost_spare,,#{@roost_view}}');
  return out.trim().split('\n').map((l) => l.split(' ')).filter((p) => p[2]).map((p) => ({ name: p[0]!, window: Number(p[1]) }));
}
const windowWidth = async (w: number) => Number((await tmux.run('display-message', '-p', '-t', `=shared:${w}`, '#{window_width}')).trim());
const pathOf = (p: Page) => p.evaluate(() => location.pathname);

const desktopCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const desktop = await desktopCtx.newPage();
const watchDesktop = await watchPage(desktop);
await loginWithLink(desktop, daemon.loginUrl);
const phoneCtx = await browser.newContext(PHONE);
const phone = await phoneCtx.newPage();
const watchPhone = await watchPage(phone);
await loginWithLink(phone, await daemon.newLoginUrl());

test('each device switches windows without moving the other', async () => {
  // One device after the other, as people do; opening at the same moment has its own test below.
  await openTerminalPage(desktop, daemon, '/s/shared/0');
  await waitForScreen(desktop, /MARK-11/);
  await openTerminalPage(phone, daemon, '/s/shared/0');
  await waitForScreen(phone, /MARK-11/);
  assert.equal((await views()).length, 2, 'one view session per device');

  await phone.tap('.tab[data-window="1"]');
  await waitForScreen(phone, /MARK-22/);
  assert.equal(await pathOf(phone), '/s/shared/1');
  await desktop.click('.term-host');
  await desktop.keyboard.type('echo desk-$((2+3))\n');
  await waitForScreen(desktop, /^desk-5\b/m);
  assert.doesNotMatch(await screenText(desktop), /MARK-22/, 'the desktop stayed on window 0');
  assert.equal(await pathOf(desktop), '/s/shared/0');

  await desktop.click('.tab[data-window="1"]');
  await waitForScreen(desktop, /MARK-22/);
  await phone.tap('.tab[data-window="0"]');
  await waitForScreen(phone, /desk-5/);
  assert.match(await screenText(desktop), /MARK-22/, 'the phone going back to 0 did not move the desktop');
  assert.deepEqual((await views()).map((v) => v.window).sort(), [0, 1]);
  await desktop.click('.tab[data-window="0"]');
  await waitForScreen(desktop, /desk-5/);
});

test('the phone does not shrink the desktop\'s window while the desktop is in use', async () => {
  // Both on window 0: the device that typed last sets the size (window-size latest).
  await desktop.keyboard.type('echo wide\n');
  const wide = await waitFor(async () => {
    const w = await windowWidth(0);
    return w > 100 ? w : null;
  }, 20_000, 'the desktop\'s width');
  await phone.tap('.term-host');
  await phone.keyboard.type('echo narrow\n');
  const narrow = await waitFor(async () => {
    const w = await windowWidth(0);
    return w < 60 ? w : null;
  }, 20_000, 'the phone typed last: its width');
  await desktop.keyboard.type('echo wide-again\n');
  await waitFor(async () => (await windowWidth(0)) === wide, 20_000, 'the desktop typed: its width back');
  // The phone on another window never resizes window 0 (aggressive-resize: only viewers of a window size it).
  await phone.tap('.tab[data-window="1"]');
  await waitForScreen(phone, /MARK-22/);
  await phone.keyboard.type('echo on-two\n');
  await waitFor(async () => (await windowWidth(1)) === narrow, 20_000, 'window 1 takes the phone\'s width');
  assert.equal(await windowWidth(0), wide, 'window 0 keeps the desktop\'s width');
  await screenshot(phone, 'phone-390-two-devices');
});

test('tmux\'s status line names the session, not the hidden view, and follows a rename', async () => {
  const status = async (p: Page) => (await screenText(p)).split('\n').filter((l) => l.trim()).at(-1) ?? '';
  await waitFor(async () => (await status(desktop)).startsWith('[shared]'), 20_000, 'status line [shared]');
  assert.doesNotMatch(await screenText(desktop), /roost-vie/);
  assert.doesNotMatch(await screenText(phone), /roost-vie/);
  await tmux.run('rename-session', '-t', '=shared', 'renamed');
  try {
    await waitFor(async () => (await status(desktop)).startsWith('[renamed]'), 20_000, 'status line after a rename');
  } finally {
    await tmux.run('rename-session', '-t', '=renamed', 'shared');
  }
  await waitFor(async () => (await status(desktop)).startsWith('[shared]'), 20_000, 'and back');
});

test('status-left forms: the session name in every spelling points at the view\'s @roost_name; escaped ## stays', () => {
  assert.equal(viewStatusFormat('[#{session_name}] '), '[#{@roost_name}] ');
  assert.equal(viewStatusFormat('#S:#I'), '#{@roost_name}:#I');
  assert.equal(viewStatusFormat('#{=10:session_name} #[fg=red]'), '#{=10:@roost_name} #[fg=red]');
  assert.equal(viewStatusFormat('##S is literal, ###S is not'), '##S is literal, ###{@roost_name} is not');
  assert.equal(viewStatusFormat('#{session_id} #{pane_title}'), '#{session_id} #{pane_title}', 'other formats untouched');
});

test('a window change made inside tmux (prefix n) moves this device\'s tabs and URL only', async () => {
  assert.equal(await pathOf(phone), '/s/shared/1');
  await phone.tap('#keybar .key[data-key="more"]');
  await phone.tap('#keybar .key[data-key="^B"]');
  await phone.keyboard.press('n');
  await waitFor(async () => (await pathOf(phone)) === '/s/shared/0', 20_000, 'the phone\'s URL follows to window 0');
  await waitFor(async () => (await phone.getAttribute('.tab[data-window="0"]', 'aria-current')) === 'page', 15_000, 'the tab follows');
  assert.equal(await pathOf(desktop), '/s/shared/0');
  await desktop.keyboard.press('Control+b');
  await desktop.keyboard.press('n');
  await waitFor(async () => (await pathOf(desktop)) === '/s/shared/1', 20_000, 'the desktop\'s URL follows to window 1');
  await waitForScreen(desktop, /MARK-22/);
  assert.equal(await pathOf(phone), '/s/shared/0', 'the phone stayed');
});

test('two devices opening one window at the same moment both show its whole screen', async () => {
  // Nothing prints meanwhile, so a device that missed part of its first screen would never get it.
  await Promise.all([openTerminalPage(desktop, daemon, '/s/shared/0'), openTerminalPage(phone, daemon, '/s/shared/0')]);
  const missing = async (p: Page) => {
    const rows = (await tmux.run('capture-pane', '-p', '-t', '=shared:0')).split('\n').map((l) => l.trimEnd()).filter(Boolean);
    const screen = (await screenText(p)).split('\n').map((l) => l.trimEnd()).filter(Boolean);
    // A narrower device sees the window cropped on the right: a row may show only the start of the pane's.
    return rows.filter((r) => !screen.some((l) => r.startsWith(l) || l.startsWith(r)));
  };
  for (const [name, p] of [['desktop', desktop], ['phone', phone]] as const) {
    await waitFor(async () => (await missing(p)).length === 0, 20_000, `${name}: every row of the pane on screen`)
      .catch(async (e: Error) => assert.fail(`${e.message}; missing ${JSON.stringify(await missing(p))}`));
  }
});

test('closing the phone leaves no extra tmux session behind', async () => {
  assert.deepEqual(await watchPhone.csp(), []);
  assert.deepEqual(watchPhone.errors, []);
  await phoneCtx.close();
  await waitFor(async () => (await views()).length === 1, 20_000, 'only the desktop\'s view left');
  await desktopCtx.close();
  await waitFor(async () => (await views()).length === 0, 20_000, 'no view left');
  // The one spare view made ahead for the next page on this session (src/server/terminal/spare-views.ts) stays.
  const sessions = (await tmux.run('list-sessions', '-F', '#{session_name}#{?@roost_spare, (spare),}')).trim().split('\n');
  assert.deepEqual(sessions.filter((s) => !s.endsWith(' (spare)')), ['shared']);
  assert.ok(sessions.filter((s) => s.endsWith(' (spare)')).length <= 1, `at most one spare: ${JSON.stringify(sessions)}`);
  assert.deepEqual(await watchDesktop.csp(), []);
});

/**
 * A terminal opened on a session a browser showed before takes the spare
 * view's tmux client, attached ahead (src/server/terminal/warm-client.ts),
 * instead of starting one. In real Chromium its screen must be what a fresh
 * attach draws: the pane whole, the status line, tmux's alternate buffer and
 * the mouse mode the program asked for; on a desktop and on a phone of
 * another size.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, screenText, shellSession, startDaemon, tempHome, waitForScreen } from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const document: { querySelector(sel: string): { roostScreen?: { buffer(): string; mouse(): string } } | null };

const tmux = privateTmux();
await shellSession(tmux, 'work');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium();
after(() => browser.close());

/** tmux clients attached ahead to spare views: pid of each. */
const warmClients = async () => (await tmux.run('list-clients', '-F', '#{client_pid} #{@roost_spare}')).split('\n').filter((l) => l.endsWith(' 1')).map((l) => Number(l.split(' ')[0]));
/** The pid of the tmux client showing device views (not spares, not control mode). */
const viewClients = async () => (await tmux.run('list-clients', '-F', '#{client_pid} #{client_control_mode} #{@roost_view} #{@roost_spare}'))
  .split('\n').map((l) => l.split(' ')).filter(([, control, view, spare]) => control === '0' && view !== '' && spare === '').map(([pid]) => Number(pid));
const probe = (page: Page) => page.evaluate(() => {
  const s = document.querySelector('.term-host')?.roostScreen;
  return { buffer: s?.buffer(), mouse: s?.mouse() };
});

/** Every line of the pane, in order, on the page's screen; and tmux's status line. */
async function screenIsThePane(page: Page): Promise<void> {
  const lines = await paneLines(tmux, '=work:');
  await waitFor(async () => {
    const screen = (await screenText(page)).split('\n').map((l) => l.trimEnd());
    let at = 0;
    for (const l of lines) {
      const found = screen.indexOf(l, at);
      if (found < 0) return false;
      at = found + 1;
    }
    return screen.some((l) => l.includes('[work]'));
  }, 15_000, `the screen showing the pane (${JSON.stringify(lines)}) and the status line`);
}

test('reopened on a desktop, then on a phone: each takes the client attached ahead, and shows what a fresh attach shows', async () => {
  const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await loginWithLink(desk, daemon.loginUrl);
  await openTerminalPage(desk, daemon, '/s/work/0');
  await waitForScreen(desk, /^\$ $/m);
  // The program asks for mouse reporting: tmux passes that mode on to the browser's terminal.
  await desk.keyboard.type("printf '\\033[?1000h'; echo WARM-$((20+1))\n");
  await waitForScreen(desk, /^WARM-21$/m);
  assert.deepEqual(await probe(desk), { buffer: 'alternate', mouse: 'vt200' }, 'a fresh attach: alternate buffer, mouse mode');

  await waitFor(async () => (await warmClients()).length === 1, 15_000, 'a client attached ahead to a spare view');
  const [warm] = await warmClients();
  await desk.goto('about:blank');
  await waitFor(async () => (await viewClients()).length === 0, 15_000, 'the first terminal\'s client gone');

  await openTerminalPage(desk, daemon, '/s/work/0');
  assert.deepEqual(await viewClients(), [warm], 'the terminal took the client attached ahead (no new tmux client)');
  await screenIsThePane(desk);
  assert.deepEqual(await probe(desk), { buffer: 'alternate', mouse: 'vt200' });
  await desk.keyboard.type('echo typed-$((6*7))\n');
  await waitForScreen(desk, /^typed-42$/m);

  // A phone, another size: the next client attached ahead was made at the desktop's size.
  await waitFor(async () => (await warmClients()).length === 1 && (await warmClients())[0] !== warm, 15_000, 'the next client attached ahead');
  const [next] = await warmClients();
  const phone = await (await browser.newContext(PHONE)).newPage();
  await loginWithLink(phone, await daemon.newLoginUrl());
  await openTerminalPage(phone, daemon, '/s/work/0');
  assert.ok((await viewClients()).includes(next!), 'the phone took it');
  await screenIsThePane(phone);
  assert.deepEqual(await probe(phone), { buffer: 'alternate', mouse: 'vt200' });
});

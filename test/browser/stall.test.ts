/**
 * A browser that stops reading while a session floods (a busy or background
 * tab): the daemon drops what it cannot take, and once it reads again tmux
 * redraws it (after a CAN that ends any escape sequence the drop cut off).
 * What the page then shows is the pane as tmux has it, and the modes the
 * program set while the page was away (mouse reporting) are on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, screenText, shellSession, startDaemon, tempHome, waitForScreen,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const document: { querySelector(sel: string): { roostScreen?: { mouse(): string } } | null };

const tmux = privateTmux();
await shellSession(tmux, 'work');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium();

test('a page that stops reading during a flood shows the pane exactly once it reads again, modes included', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  await loginWithLink(page, daemon.loginUrl);
  // The frames the page gets: a CAN alone is the daemon's "output was dropped; a redraw follows".
  let cancels = 0;
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    const p = f.payload;
    if (typeof p !== 'string' && p.length === 2 && p[0] === 0x21 && p[1] === 0x18) cancels++;
  }));
  await openTerminalPage(page, daemon, '/s/work/0');
  await waitForScreen(page, /^\$ $/m);

  // The page's script is busy for a while: nothing is rendered or acknowledged. Meanwhile the pane
  // prints colours and titles (sequences the drop cuts), turns mouse reporting on, and ends on a known screen.
  const busy = page.evaluate(() => {
    const end = Date.now() + 6000;
    while (Date.now() < end);
  });
  await tmux.run('send-keys', '-t', 'work', '-l',
    "i=0; while [ $i -lt 40000 ]; do printf '\\033[3%dm line %d \\033]2;t%d\\007\\033[0m\\n' $((i%8)) $i $i; i=$((i+1)); done;"
    + " printf '\\033[?1000h'; clear; echo DONE-$((6*7)); for w in one two three; do echo \"row $w\"; done\r");
  await waitFor(async () => (await paneLines(tmux, 'work')).includes('row three'), 60_000, 'the flood over in the pane');
  await busy;

  await waitForScreen(page, /^row three$/m, 30_000);
  assert.ok(cancels > 0, 'the daemon dropped output and redrew (a CAN frame came)');
  await waitFor(async () => {
    const shown = (await screenText(page)).split('\n').slice(0, 23).map((l) => l.trimEnd()).join('\n').trimEnd();
    const pane = (await tmux.run('capture-pane', '-p', '-t', 'work')).split('\n').map((l) => l.trimEnd()).join('\n').trimEnd();
    return shown === pane ? true : null;
  }, 15_000, 'the screen equals capture-pane').catch(async (e: Error) => {
    throw new Error(`${e.message}:\n${await screenText(page)}\n---\n${await tmux.run('capture-pane', '-p', '-t', 'work')}`);
  });
  assert.equal(await page.evaluate(() => document.querySelector('.term-host')?.roostScreen?.mouse()), 'vt200', 'mouse reporting is on');
  await context.close();
});

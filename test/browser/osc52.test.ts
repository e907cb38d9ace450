/**
 * OSC 52 end to end (docs/security.md): a program in a pane that asks the
 * browser terminal for the clipboard gets no answer typed back into the
 * pane. tmux passes the query through to the browser (allow-passthrough);
 * a device-attributes query sent the same way IS answered, so the path a
 * clipboard answer would take is shown to work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { launchChromium, loginWithLink, startDaemon, tempHome, terminalState, waitForScreen } from '../helpers/browser.js';

const tmux = privateTmux();
await tmux.run('new-session', '-d', '-s', 'clip', '-x', '100', '-y', '30');
// The program's escape sequences reach the browser's terminal as they are, and the browser's answers come back as input.
await tmux.run('set-option', '-g', 'allow-passthrough', 'on');
await tmux.run('set-option', '-g', 'set-clipboard', 'on');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium();
const dir = mkdtempSync(join(tmpdir(), 'roost-osc52-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** In the pane: raw mode, send `query` through tmux to the browser, and keep what comes back as input for 3 s. */
function probe(name: string, query: string): string {
  const out = join(dir, name);
  // printf's octal escapes: \033 ESC, \007 BEL. Passthrough: ESC P tmux; <query with each ESC doubled> ESC \.
  const wrapped = `\\033Ptmux;${query.replaceAll('\\033', '\\033\\033')}\\033\\\\`;
  return `stty raw -echo; printf '${wrapped}'; timeout 3 cat -v > ${out}; stty sane; echo PROBE-${name}-DONE`;
}

test('a clipboard read (OSC 52 "?") is never answered into the pane; a device-attributes query is', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await ctx.newPage();
  await loginWithLink(page, daemon.loginUrl);
  await page.goto(`${daemon.url}/s/clip/0`);
  await waitFor(async () => (await terminalState(page)) === 'open', 15_000, 'the terminal open');
  await waitForScreen(page, /[$#] ?$/m);

  await tmux.run('send-keys', '-t', 'clip:0', '-l', probe('da', '\\033[c'));
  await tmux.run('send-keys', '-t', 'clip:0', 'Enter');
  await waitForScreen(page, /PROBE-da-DONE/);
  assert.match(readFileSync(join(dir, 'da'), 'utf8'), /\^\[\[\?[\d;]+c/, 'the browser answers a query that comes through: the path works');

  await tmux.run('send-keys', '-t', 'clip:0', '-l', probe('clip', '\\033]52;c;?\\007'));
  await tmux.run('send-keys', '-t', 'clip:0', 'Enter');
  await waitForScreen(page, /PROBE-clip-DONE/);
  assert.equal(readFileSync(join(dir, 'clip'), 'utf8'), '', 'no clipboard contents, and nothing else, typed into the pane');
  await ctx.close();
});

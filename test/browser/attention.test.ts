/**
 * Attention in real Chromium against a real daemon (silence = 3 s): the
 * dashboard shows a window turning waiting without a reload while a busy one
 * stays working, the page title counts windows wanting attention, an agent
 * hook report makes the needs-permission badge appear live, and a
 * notification's target URL (/s/SESSION/WINDOW) opens that window. No CSP
 * violations throughout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, testEnv, waitFor, waitForCommand, stretch } from '../helpers/tmux.js';
import { launchChromium, loginWithLink, screenshot, startDaemon, tempHome, terminalState, waitForScreen, watchPage } from '../helpers/browser.js';
import { ROOT } from '../helpers/server.js';

declare const document: { title: string };

const tmux = privateTmux();
const home = tempHome();
mkdirSync(join(home, '.config', 'roost'), { recursive: true, mode: 0o700 });
// Waiting after 3 s of silence instead of 20, so the test sees it quickly.
writeFileSync(join(home, '.config', 'roost', 'config.toml'), 'silence = 3\n', { mode: 0o600 });

// "busy" prints every second (never waiting); "quiet" (made once the page is up) runs `sleep 3600`, so it lasts however slow the machine is.
// busy:1 stands in for an agent: it prints every second until it asks for permission, then stays quiet
// (`cat`), as Claude Code does. Output after a report would rightly end it (AGENT_GRACE_SECONDS).
const agentStop = join(home, 'agent-stop');
await tmux.run('new-session', '-d', '-s', 'busy', '-n', 'ticker', 'sh', '-c', 'while :; do echo tick; sleep 1; done');
await tmux.run('new-window', '-d', '-t', 'busy', '-n', 'agent', 'sh', '-c', `while [ ! -e '${agentStop}' ]; do echo agent-output; sleep 1; done; exec cat`);
const daemon = await startDaemon({ tmux, home });
const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
const watch = await watchPage(page);

const badge = (session: string, win: string) => `.card[data-session="${session}"] .win[data-window="${win}"] .badge`;
const title = () => page.evaluate(() => document.title);

/** `roost hook claude` as Claude Code runs it in pane `pane`, reporting to this daemon's unix socket. */
function hook(pane: string, input: object): Promise<void> {
  const env = { ...testEnv({ XDG_RUNTIME_DIR: join(home, 'run') }), TMUX_PANE: pane };
  return new Promise((ok, fail) => {
    const c = execFile(process.execPath, [join(ROOT, 'bin', 'roost'), 'hook', 'claude'], { env }, (err) => (err ? fail(err) : ok()));
    c.stdin!.end(JSON.stringify(input));
  });
}

test('a window turns waiting live, a busy one stays working, and the title counts it', async () => {
  await loginWithLink(page, daemon.loginUrl);
  await page.waitForSelector(badge('busy', '0'));
  await waitFor(async () => (await title()) === 'Roost', 15_000, 'no window wants attention yet');
  assert.match(await page.textContent(badge('busy', '0')) ?? '', /working/);

  await tmux.run('new-session', '-d', '-s', 'quiet', '-n', 'sleeper', 'sleep', '3600');
  await page.waitForSelector(badge('quiet', '0'), { timeout: stretch(10_000) });
  await page.waitForSelector(`${badge('quiet', '0')}.tone-waiting`, { timeout: stretch(15_000) });
  assert.match(await page.textContent(badge('quiet', '0')) ?? '', /~ waiting/);
  await waitFor(async () => (await title()) === '(1) Roost', 15_000, 'title "(1) Roost"');
  // The ticker printed all along: still working, after well over the threshold.
  assert.match(await page.textContent(badge('busy', '0')) ?? '', /working/);
  const names = await page.$$eval('.card', (cs) => cs.map((c) => c.getAttribute('data-session')));
  assert.deepEqual(names, ['quiet', 'busy'], 'the waiting session comes first');
});

test('an agent hook report shows needs-permission live', async () => {
  const pane = (await tmux.run('display-message', '-p', '-t', '=busy:1', '#{pane_id}')).trim();
  writeFileSync(agentStop, '');
  await waitForCommand(tmux, '=busy:1', 'cat');
  await hook(pane, { session_id: 'sess-browser-1', transcript_path: '/tmp/t.jsonl', cwd: '/', hook_event_name: 'Notification', notification_type: 'permission_prompt', message: 'Claude needs your permission to use Bash' });
  await page.waitForSelector(`${badge('busy', '1')}.tone-attention`, { timeout: stretch(10_000) });
  assert.match(await page.textContent(badge('busy', '1')) ?? '', /! needs permission/);
  // Needing the person now ranks above merely waiting.
  assert.deepEqual(await page.$$eval('.card', (cs) => cs.map((c) => c.getAttribute('data-session'))), ['busy', 'quiet']);
  await waitFor(async () => (await title()) === '(2) Roost', 15_000, 'title "(2) Roost"');
  await screenshot(page, 'dashboard-attention');
});

test('"Notify me on this device" says clearly when this browser has no push service', async () => {
  // Allowed, so it gets as far as PushManager.subscribe(), which headless Chromium cannot do.
  await context.grantPermissions(['notifications'], { origin: daemon.url });
  await page.click('.notify-button');
  await page.waitForSelector('.notify-msg:not(:empty)', { timeout: stretch(15_000) });
  assert.match(await page.textContent('.notify-msg') ?? '', /Push is not available in this browser/);
  assert.equal(await page.getAttribute('.notify-button', 'aria-pressed'), 'false');
  assert.deepEqual(watch.errors, []);
});

test('a notification\'s target URL opens that window', async () => {
  await page.goto(`${daemon.url}/s/busy/1`);
  await waitFor(async () => (await terminalState(page)) === 'open', 15_000, 'terminal open');
  await waitForScreen(page, /agent-output/);
  await page.waitForSelector('.tabs .tab[aria-current="page"][data-window="1"]', { timeout: stretch(15_000) });
  assert.match(await page.textContent('.tabs .tab[aria-current="page"]') ?? '', /agent/);
  // The terminal page carries the count too.
  await waitFor(async () => (await title()).startsWith('(2) '), 15_000, 'count in the terminal page title').catch(async (e: Error) => {
    throw new Error(`${e.message}: "${await title()}"`);
  });
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
  await browser.close();
});

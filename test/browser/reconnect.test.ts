/**
 * Reconnecting in real Chromium: `kill -9` the daemon under an open terminal
 * and dashboard, start it again on the same port, and the pages recover on
 * their own (banner while away, no reload, typing works, one socket each).
 * A login ended elsewhere sends an open terminal to the login page.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, WebSocket as PwSocket } from 'playwright-core';
import { privateTmux, waitFor, stretch } from '../helpers/tmux.js';
import { launchChromium, loginWithLink, screenshot, startDaemon, tempHome, terminalState, waitForScreen, watchPage } from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const window: Record<string, unknown> & { dispatchEvent(e: unknown): boolean };
declare class PageTransitionEvent {
  constructor(type: string, init: { persisted: boolean });
}
declare function fetch(url: string, init: object): Promise<{ status: number }>;

const tmux = privateTmux();
await tmux.run('new-session', '-d', '-s', 'work', '-x', '120', '-y', '40');
const home = tempHome();
let daemon = await startDaemon({ tmux, home });
after(() => daemon.stop());
const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });

/** Every WebSocket a page opens, so the test can count the live ones. */
function trackSockets(page: Page): { live(path: string): PwSocket[]; opened(path: string): number } {
  const all: { ws: PwSocket; closed: boolean }[] = [];
  // A navigation ends the old document's sockets (Playwright reports no close for them).
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) for (const e of all) e.closed = true;
  });
  page.on('websocket', (ws) => {
    const entry = { ws, closed: false };
    all.push(entry);
    ws.on('close', () => (entry.closed = true));
  });
  const on = (path: string) => all.filter((e) => new URL(e.ws.url()).pathname === path);
  return { live: (path) => on(path).filter((e) => !e.closed).map((e) => e.ws), opened: (path) => on(path).length };
}

const term = await context.newPage();
const termSockets = trackSockets(term);
const termWatch = await watchPage(term);
await loginWithLink(term, daemon.loginUrl);
const dash = await context.newPage();
const dashSockets = trackSockets(dash);
await dash.goto(`${daemon.url}/`);
await dash.waitForSelector('.card[data-session="work"]');
await term.goto(`${daemon.url}/s/work`);
await waitFor(async () => (await terminalState(term)) === 'open', 15_000, 'terminal open');
await term.evaluate(() => (window['__sameDocument'] = true));
await dash.evaluate(() => (window['__sameDocument'] = true));

test('kill -9 of the daemon: both pages show they are reconnecting, then recover by themselves', async () => {
  await term.keyboard.type('echo before-$((20+1))\n');
  await waitForScreen(term, /^before-21\b/m);
  const port = daemon.port;
  await daemon.kill9();

  await term.waitForSelector('.banner[data-kind="reconnecting"]', { timeout: stretch(10_000) });
  assert.match(await term.textContent('.banner') ?? '', /Reconnecting/);
  await dash.waitForSelector('.banner[data-kind="reconnecting"]', { timeout: stretch(10_000) });
  await screenshot(term, 'terminal-reconnecting');
  // Typing while away goes nowhere (dropped, not queued to run later).
  await term.keyboard.type('echo typed-while-away\n');

  daemon = await startDaemon({ tmux, home, port, stopAfterFile: false });
  assert.equal(daemon.port, port);
  await waitFor(async () => (await terminalState(term)) === 'open', 20_000, 'terminal reconnected');
  await term.waitForSelector('.banner', { state: 'hidden', timeout: stretch(5000) });
  await dash.waitForSelector('.banner', { state: 'hidden', timeout: stretch(20_000) });

  // The redraw shows the current screen, and input works again.
  await waitForScreen(term, /^before-21\b/m);
  await term.keyboard.type('echo after-$((6*7))\n');
  await waitForScreen(term, /^after-42\b/m);
  assert.doesNotMatch(await tmux.run('capture-pane', '-p', '-t', '=work:'), /typed-while-away/);

  assert.equal(await term.evaluate(() => window['__sameDocument']), true, 'the terminal page was not reloaded');
  assert.equal(await dash.evaluate(() => window['__sameDocument']), true, 'the dashboard was not reloaded');
  // Each feed reconnects on its own backoff: wait for all, then none may have a second socket.
  await waitFor(() => termSockets.live('/api/terminal').length === 1, 10_000, 'the terminal socket back');
  await waitFor(() => termSockets.live('/api/events').length === 1, 15_000, 'the terminal page\'s events socket back');
  await waitFor(() => dashSockets.live('/api/events').length === 1, 15_000, 'the dashboard\'s events socket back');
  await dash.waitForSelector('.card[data-session="work"]');
  assert.equal(termSockets.live('/api/terminal').length, 1, 'one terminal socket');
  assert.equal(termSockets.live('/api/events').length, 1, 'one events socket on the terminal page');
  assert.equal(dashSockets.live('/api/events').length, 1, 'one events socket on the dashboard');
  assert.deepEqual(await termWatch.csp(), []);
});

test('a page restored from the back-forward cache replaces its socket: still one live, and typing works', async () => {
  const before = termSockets.opened('/api/terminal');
  await term.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  await waitFor(() => termSockets.opened('/api/terminal') === before + 1, 10_000, 'a fresh terminal socket');
  await waitFor(async () => (await terminalState(term)) === 'open', 15_000, 'open again');
  await waitFor(() => termSockets.live('/api/terminal').length === 1, 5000, 'one live terminal socket');
  await term.keyboard.type('echo woke-$((1+1))\n');
  await waitForScreen(term, /^woke-2\b/m);
});

test('a daemon that hangs (SIGSTOP): typing gets no answer, so the page says it is reconnecting; running again, it recovers', async () => {
  const before = termSockets.opened('/api/terminal');
  process.kill(daemon.pid, 'SIGSTOP');
  try {
    await term.keyboard.type('x');
    // Nothing at all comes back, not even the echo: the socket is given up (NO_ANSWER_MS) and a new one tried.
    await term.waitForSelector('.banner[data-kind="reconnecting"]', { timeout: stretch(20_000) });
    assert.ok(termSockets.opened('/api/terminal') > before, 'a new socket tried');
  } finally {
    process.kill(daemon.pid, 'SIGCONT');
  }
  await waitFor(async () => (await terminalState(term)) === 'open', 30_000, 'open again');
  await term.waitForSelector('.banner', { state: 'hidden', timeout: stretch(10_000) });
  await waitFor(() => termSockets.live('/api/terminal').length === 1, 10_000, 'one live terminal socket');
  await term.keyboard.press('Backspace');
  await term.keyboard.type('echo thawed-$((3*3))\n');
  await waitForScreen(term, /^thawed-9\b/m);
});

test('logging out elsewhere sends the open terminal to the login page', async () => {
  const status = await dash.evaluate(() => fetch('/api/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status));
  assert.equal(status, 204);
  await term.waitForURL((u) => u.pathname === '/login', { timeout: stretch(20_000) });
  assert.equal(new URL(term.url()).searchParams.get('next'), '/s/work');
  await waitFor(() => termSockets.live('/api/terminal').length === 0, 5000, 'terminal socket closed');
});

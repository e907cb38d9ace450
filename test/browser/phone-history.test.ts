/**
 * Scrolling back on a phone, in real Chromium (390x844, touch) against a
 * real daemon and tmux: a swipe on the terminal scrolls the session's history
 * (tmux copy mode on this device's view, with or without tmux's `mouse on`)
 * and "Live" returns with one tap; typing after a swipe reaches the shell;
 * the scrollback reader finds a line printed 5,000 lines earlier, shows
 * colours as classes and wraps long lines, and copies; its route validates
 * what it is asked and lets read-only logins read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor, stretch } from '../helpers/tmux.js';
import { THEN } from '../../src/tmux/index.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, PHONE_SCALE_ARGS, screenshot, screenText, sentScrolls, startDaemon, tempHome, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
interface Box { top: number; bottom: number; left: number; right: number; height: number }
interface El { textContent: string | null; className: string; scrollWidth: number; clientWidth: number; getBoundingClientRect(): Box; querySelectorAll(s: string): El[] }
declare const document: {
  querySelector(sel: string): El | null;
  querySelectorAll(sel: string): El[];
  createRange(): { selectNodeContents(n: unknown): void };
  dispatchEvent(e: unknown): boolean;
};
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare function getSelection(): { removeAllRanges(): void; addRange(r: unknown): void } | null;

const MARK = 'FINDME-42';
const tmux = privateTmux();
// history-limit is fixed when a pane is made: set it first, in the same server start.
await tmux.run('start-server', THEN, 'set-option', '-g', 'history-limit', '20000', THEN,
  'new-session', '-d', '-s', 'hist', '-x', '80', '-y', '24', '-e', 'PS1=$ ', '-e', 'LANG=C.UTF-8', 'bash', '--norc', '--noprofile');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium(PHONE_SCALE_ARGS);
const ctx = await browser.newContext(PHONE);
await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: daemon.url });
const page = await ctx.newPage();
const watch = await watchPage(page);
/** Lines of every SCROLL this page sent, in order. */
const scrolls = sentScrolls(page);
await loginWithLink(page, daemon.loginUrl);

const inMode = async () => (await tmux.run('display-message', '-p', '-t', '=hist:', '#{pane_in_mode} #{scroll_position}')).trim().split(' ');
const liveShown = (p: Page) => p.isVisible('.live-button');

/**
 * One finger dragged `dy` px over the terminal (down: back into history),
 * slowly (event times 200 ms apart), so it stops where the finger does:
 * a fast swipe would fling on, as far as the machine's speed decides.
 */
async function swipe(p: Page, dy: number): Promise<void> {
  const box = await p.evaluate(() => document.querySelector('.term-host')!.getBoundingClientRect());
  const x = (box.left + box.right) / 2;
  const y0 = dy > 0 ? box.top + 60 : box.bottom - 60;
  const cdp = await p.context().newCDPSession(p);
  const t0 = Date.now() / 1000;
  const at = (i: number) => ({ timestamp: t0 + i * 0.2 });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: y0, id: 1 }], ...at(0) });
  for (let i = 1; i <= 12; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y0 + (dy * i) / 12, id: 1 }], ...at(i) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [], ...at(13) });
  await cdp.detach();
}

test('prepare: a marker, then 5,500 lines, a coloured line and a long one', async () => {
  await openTerminalPage(page, daemon, '/s/hist');
  await page.tap('.term-host');
  await page.keyboard.type(`echo FINDME-$((6*7)); seq 1 5500; printf '\\033[31mred-\\033[1mbold\\033[0m plain\\n'; printf 'long-%.0s' $(seq 1 60); echo\n`);
  await waitFor(async () => (await paneLines(tmux, '=hist:')).at(-1) === '$', 15_000, 'the output');
});

test('a swipe down on the terminal scrolls back through tmux, Live returns with one tap', async () => {
  scrolls.length = 0;
  const sum = () => scrolls.reduce((a, b) => a + b, 0);
  /** The pane is in copy mode exactly as far back as the SCROLLs sent so far add up to. */
  const inStep = async () => {
    const [mode, pos] = await inMode();
    return mode === '1' && scrolls.length > 0 && Number(pos) === -sum() ? Number(pos) : null;
  };
  await swipe(page, 300);
  const back = await waitFor(inStep, 20_000, 'copy mode, scrolled back by what was sent');
  assert.ok(scrolls.every((n) => n < 0) && back >= 10, `scrolled back ${back} lines by ${scrolls.join(' ')}`);
  await waitFor(() => liveShown(page), 15_000, 'the Live button');
  await screenshot(page, 'phone-390-scrolled-back');
  // It leaves tmux's status line (the grid's last row here) in sight, and stays on the screen above it.
  const live = await page.evaluate(() => {
    const screen = document.querySelector('.xterm-screen')!.getBoundingClientRect();
    const rows = (document.querySelector('.term-host') as unknown as { roostScreen: { rows(): number } }).roostScreen.rows();
    const button = document.querySelector('.live-button')!.getBoundingClientRect();
    return { buttonTop: button.top, buttonBottom: button.bottom, statusTop: screen.bottom - screen.height / rows, screenTop: screen.top };
  });
  assert.ok(live.buttonBottom <= live.statusTop + 0.5, `the Live button is above the status line: ${JSON.stringify(live)}`);
  assert.ok(live.buttonTop >= live.screenTop, `and over the screen: ${JSON.stringify(live)}`);
  // Swiping up goes forward again; every SCROLL lands once and in order.
  const forwardFrom = scrolls.length;
  await swipe(page, -120);
  await waitFor(async () => scrolls.length > forwardFrom && (await inStep()) !== null && scrolls.slice(forwardFrom).some((n) => n > 0), 20_000, 'scrolled forward by what was sent');
  assert.ok((await inStep())! < -scrolls.slice(0, forwardFrom).reduce((a, b) => a + b, 0), 'nearer to live than before');
  await page.tap('.live-button');
  await waitFor(async () => (await inMode())[0] === '0', 20_000, 'live again');
  await waitFor(async () => !(await liveShown(page)), 15_000, 'the button goes');
});

test('typing after a swipe goes to the shell, not to copy mode', async () => {
  await swipe(page, 300);
  await waitFor(async () => (await inMode())[0] === '1', 20_000, 'scrolled back');
  await page.keyboard.type('echo typed-$((5*5))\n');
  await waitFor(async () => (await paneLines(tmux, '=hist:')).includes('typed-25'), 20_000, 'the command ran');
  assert.equal((await inMode())[0], '0');
});

test('with tmux mouse on, a swipe still scrolls back', async () => {
  await tmux.run('set-option', '-g', 'mouse', 'on');
  try {
    await swipe(page, 300);
    await waitFor(async () => (await inMode())[0] === '1', 20_000, 'scrolled back with mouse on');
    await page.tap('.live-button');
    await waitFor(async () => (await inMode())[0] === '0', 20_000, 'live again');
  } finally {
    await tmux.run('set-option', '-g', 'mouse', 'off');
  }
});

test('the scrollback reader finds a line printed 5,000 lines earlier and copies it', async () => {
  await page.tap('button[aria-label="More"]');
  await page.tap('.term-menu [data-action="history"]');
  await waitFor(async () => /lines$/.test((await page.textContent('.history-status')) ?? ''), 15_000, 'the history loaded');
  const shown = Number(((await page.textContent('.history-status')) ?? '').replace(/\D/g, ''));
  assert.ok(shown > 5500 && shown <= 10_000, `${shown} lines, at most the default 10,000`);
  await page.tap('.history .find-input');
  await page.keyboard.type(MARK);
  await waitFor(async () => (await page.textContent('.history .find-count')) === '1 of 1', 15_000, 'one hit');
  const hit = await page.evaluate(() => {
    const line = document.querySelector('.history .hl-current')!;
    const box = line.getBoundingClientRect();
    const view = document.querySelector('.history-scroll')!.getBoundingClientRect();
    return { text: line.textContent, visible: box.top >= view.top && box.bottom <= view.bottom };
  });
  assert.deepEqual(hit, { text: MARK, visible: true }, 'the hit is on screen');
  assert.equal(await page.textContent('.history-copy'), 'Copy line');
  await screenshot(page, 'phone-390-history');
  await page.tap('.history-copy');
  await waitFor(async () => (await page.textContent('.history-copy')) === 'Copied', 15_000, 'copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), MARK);

  // Several hits: previous/next walk them and wrap around.
  await page.fill('.history .find-input', '550');
  await page.dispatchEvent('.history .find-input', 'input');
  const count = await waitFor(async () => {
    const t = (await page.textContent('.history .find-count')) ?? '';
    return /of/.test(t) ? t : null;
  }, 15_000, 'hits for 550');
  assert.match(count, /^\d+ of \d+$/);
  const total = Number(count.split(' of ')[1]);
  assert.equal(count, `${total} of ${total}`, 'starts at the newest hit');
  await page.tap('.history button[aria-label="Next match (newer)"]');
  assert.equal(await page.textContent('.history .find-count'), `1 of ${total}`, 'next wraps to the oldest');
  await page.tap('.history button[aria-label="Previous match (older)"]');
  assert.equal(await page.textContent('.history .find-count'), `${total} of ${total}`);
});

test('colours become classes, long lines wrap, a selection is what gets copied', async () => {
  const coloured = await page.evaluate(() => {
    const line = [...document.querySelectorAll('.history .hl')].find((l) => l.textContent === 'red-bold plain')!;
    return [...line.querySelectorAll('span')].map((s) => `${s.className}:${s.textContent}`);
  });
  assert.deepEqual(coloured, ['fg-1:red-', 'fg-1 sgr-b:bold']);
  const long = await page.evaluate(() => {
    const line = [...document.querySelectorAll('.history .hl')].find((l) => l.textContent?.startsWith('long-long-'))!;
    const body = document.querySelector('.history-body')!;
    return { height: line.getBoundingClientRect().height, scroll: body.scrollWidth, client: body.clientWidth };
  });
  assert.ok(long.height > 40, `a 300-character line wraps onto several rows (${long.height} px)`);
  assert.ok(long.scroll <= long.client, 'no sideways scrolling');
  await page.evaluate(() => {
    const line = [...document.querySelectorAll('.history .hl')].find((l) => l.textContent === 'red-bold plain')!;
    const r = document.createRange();
    r.selectNodeContents(line);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(r);
  });
  await waitFor(async () => (await page.textContent('.history-copy')) === 'Copy selection', 15_000, 'the button offers the selection');
  await page.click('.history-copy');
  await waitFor(async () => (await page.evaluate(() => navigator.clipboard.readText())).trim() === 'red-bold plain', 15_000, 'the selection copied');
  await page.tap('.history button[aria-label="Close history"]');
  assert.equal(await page.$('.history'), null);
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
});

test('the history route: validated input, a line cap, read-only logins may read', async () => {
  const cookie = (await ctx.cookies(daemon.url)).map((c) => `${c.name}=${c.value}`).join('; ');
  const get = async (path: string, headers: Record<string, string> = { cookie }) => {
    const r = await fetch(`${daemon.url}${path}`, { headers });
    return { status: r.status, body: await r.json() as { lines?: string[]; error?: { code: string } } };
  };
  const ok = await get('/api/sessions/hist/windows/0/history?lines=100');
  assert.equal(ok.status, 200);
  assert.equal(ok.body.lines!.length, 100);
  const all = (await get('/api/sessions/hist/windows/0/history?lines=10000')).body.lines!;
  assert.ok(all.length > 5500 && all.length <= 10_000);
  assert.deepEqual((await get('/api/sessions/hist/windows/0/history')).body.lines, all, 'default: the last 10,000 lines');
  assert.ok(all.some((l) => l === MARK), 'the marker is in it');
  assert.ok(all.some((l) => l.includes('\x1b[31m')), 'colours come as SGR escapes');
  for (const [q, code] of [['lines=0', 'bad-lines'], ['lines=50001', 'bad-lines'], ['lines=abc', 'bad-lines'], ['lines=-5', 'bad-lines']] as const) {
    const r = await get(`/api/sessions/hist/windows/0/history?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.error!.code, code);
  }
  assert.equal((await get('/api/sessions/hist/windows/0/history?lines=50000')).status, 200, 'the cap itself is fine');
  assert.equal((await get('/api/sessions/hist/windows/x/history')).status, 400);
  assert.equal((await get('/api/sessions/hist/windows/99/history')).status, 404);
  assert.equal((await get('/api/sessions/nope/windows/0/history')).status, 404);
  assert.equal((await get('/api/sessions/%23bad/windows/0/history')).status, 400);
  assert.equal((await get('/api/sessions/hist/windows/0/history', {})).status, 401, 'needs a login');
  const token = (JSON.parse(await daemon.cli('token', 'create', '--read-only', '--name', 'watcher', '--json')) as { token: string }).token;
  const ro = await get('/api/sessions/hist/windows/0/history?lines=10', { authorization: `Bearer ${token}` });
  assert.equal(ro.status, 200, 'a read-only login may read the history');
  // The view sessions of browsers are not sessions to this route.
  const view = (await tmux.run('list-sessions', '-F', '#{session_name}')).split('\n').find((n) => n.startsWith('roost-view-'));
  assert.ok(view);
  assert.equal((await get(`/api/sessions/${view}/windows/0/history`)).status, 404);
});

test('a read-only view: swipes do nothing to the pane, the history still reads', async () => {
  const token = (JSON.parse(await daemon.cli('token', 'create', '--read-only', '--name', 'phone-ro', '--json')) as { token: string }).token;
  const roCtx = await browser.newContext(PHONE);
  const ro = await roCtx.newPage();
  await ro.goto(`${daemon.url}/login#token=${token}`);
  await ro.waitForURL((u) => u.pathname === '/', { timeout: stretch(15_000) });
  await openTerminalPage(ro, daemon, '/s/hist');
  await waitFor(async () => (await ro.isVisible('.badge-ro')), 15_000, 'read-only badge');
  assert.equal(await ro.$('#keybar .keybar'), null, 'no key bar without input');
  await swipe(ro, 300);
  // The daemon refuses SCROLL and LIVE from a read-only login whatever the page sends: ask it directly.
  const replies = await ro.evaluate(async () => {
    const W = (globalThis as unknown as { WebSocket: new (u: string) => { binaryType: string; send(d: Uint8Array): void; close(): void; onopen: () => void; onmessage: (e: { data: ArrayBuffer }) => void } }).WebSocket;
    const { protocol, host } = (globalThis as unknown as { location: { protocol: string; host: string } }).location;
    const ws = new W(`${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/terminal?session=hist`);
    ws.binaryType = 'arraybuffer';
    const enc = (type: number, body: object) => new Uint8Array([type, ...new TextEncoder().encode(JSON.stringify(body))]);
    const got: string[] = [];
    return new Promise<string[]>((resolve) => {
      ws.onopen = () => ws.send(enc(0x10, { v: 1, cols: 40, rows: 20 }));
      ws.onmessage = (e) => {
        const b = new Uint8Array(e.data);
        if (b[0] === 0x21) return;
        const text = `${b[0]!.toString(16)} ${new TextDecoder().decode(b.subarray(1))}`;
        got.push(text);
        if (b[0] === 0x20) {
          ws.send(enc(0x15, { lines: -5 }));
          ws.send(enc(0x16, {}));
        }
        if (got.filter((g) => g.startsWith('23')).length === 2) {
          ws.close();
          resolve(got);
        }
      };
    });
  });
  assert.deepEqual(replies.filter((r) => r.startsWith('23')).map((r) => (JSON.parse(r.slice(3)) as { code: string }).code), ['read-only', 'read-only']);
  assert.equal((await inMode())[0], '0', 'the pane stayed live');
  // A tap right after a fling only stops it (Chrome suppresses its click, as Android does): this one is a click.
  await ro.click('button[aria-label="More"]');
  await ro.tap('.term-menu [data-action="history"]');
  await waitFor(async () => /lines$/.test((await ro.textContent('.history-status')) ?? ''), 15_000, 'the history loaded');
  assert.match(await screenText(ro), /\$/);
  await roCtx.close();
});

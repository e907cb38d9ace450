/**
 * Logging a phone in by scanning, against a real daemon: `roost open --qr`
 * prints the QR code of a fresh one-time link; the desktop dashboard's "Log
 * in another device" shows one as an SVG built from DOM calls; each link
 * works once and expires within minutes; and a bookmarked terminal URL
 * opened without a login comes back to that terminal after logging in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { privateTmux, waitFor, stretch } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, PHONE, PHONE_SCALE_ARGS, screenshot, shellSession, startDaemon, tempHome, terminalState, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const location: { pathname: string; search: string };

const tmux = privateTmux();
await shellSession(tmux, 'work');
await tmux.run('new-window', '-d', '-t', '=work:', '-n', 'second');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium(PHONE_SCALE_ARGS);

/** A login link opened in a fresh phone: did it log in? */
async function tryLink(url: string): Promise<boolean> {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(url);
  const outcome = await waitFor(async () => {
    const path = await page.evaluate(() => location.pathname);
    if (path === '/') return 'in';
    return (await page.isVisible('.form-error')) ? 'refused' : null;
  }, 15_000, 'the login outcome');
  await ctx.close();
  return outcome === 'in';
}

test('roost open --qr prints the QR code of a fresh one-time link that works once', async () => {
  const first = await daemon.cli('open', '--qr');
  const second = await daemon.cli('open', '--qr');
  const url = (out: string) => out.trim().split('\n').at(-1)!;
  assert.match(url(first), /^http:\/\/127\.0\.0\.1:\d+\/login#token=[\w-]{20,}$/);
  assert.notEqual(url(first), url(second), 'a fresh link each time');
  const expected = await QRCode.toString(url(first), { type: 'terminal', small: true });
  assert.ok(first.includes(expected.trimEnd()), 'the QR code drawn is the one of the printed link');
  assert.match(first, /[▀▄█]/);
  assert.equal(await tryLink(url(first)), true, 'the link logs a phone in');
  assert.equal(await tryLink(url(first)), false, 'but only once');
  const { expiresAt } = JSON.parse(await daemon.cli('open', '--json')) as { expiresAt: number };
  assert.ok(expiresAt > Date.now() && expiresAt <= Date.now() + 10 * 60_000 + 5000, 'expires within 10 minutes');
});

test('the desktop dashboard shows a login QR code for another device', async () => {
  const desktopCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const desktop = await desktopCtx.newPage();
  const watch = await watchPage(desktop);
  await loginWithLink(desktop, daemon.loginUrl);
  await desktop.click('button[aria-label="Log in another device"]');
  await desktop.waitForSelector('dialog .login-link');
  const url = (await desktop.getAttribute('dialog .login-link', 'data-url'))!;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/login#token=/);
  assert.equal(await desktop.textContent('dialog .login-link'), url, 'the link is shown as text');
  // The SVG is the QR code of that link: its size and its dark modules match the qrcode package's own encoding.
  const svg = await desktop.evaluate(() => {
    const el = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null; querySelector(s: string): { getAttribute(a: string): string | null } | null } | null } }).document.querySelector('dialog svg.qr')!;
    return { viewBox: el.getAttribute('viewBox'), d: el.querySelector('path')!.getAttribute('d')! };
  });
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  assert.equal(svg.viewBox, `0 0 ${n + 8} ${n + 8}`);
  const dark = [...qr.modules.data].filter((b) => b).length;
  assert.equal(svg.d.split('M').length - 1, dark, 'one square per dark module');
  await screenshot(desktop, 'dashboard-login-qr');
  await desktop.click('dialog button:has-text("Done")');
  assert.equal(await tryLink(url), true, 'the phone logs in with it');
  assert.equal(await tryLink(url), false, 'once');
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
  await desktopCtx.close();
});

test('a bookmarked terminal without a login: /login?next=, then back to that terminal', async () => {
  const res = await fetch(`${daemon.url}/s/work/1`, { redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/login?next=/s/work/1');
  const bad = await fetch(`${daemon.url}//evil.example/x`, { redirect: 'manual' });
  assert.ok(!(bad.headers.get('location') ?? '').includes('evil'), 'never another site');

  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${daemon.url}/s/work/1`);
  await page.waitForURL((u) => u.pathname === '/login', { timeout: stretch(15_000) });
  assert.equal(await page.evaluate(() => location.search), '?next=/s/work/1');
  // Commands read as commands, not as Markdown's backticks.
  assert.equal(await page.locator('code', { hasText: 'roost open' }).count(), 1);
  assert.doesNotMatch((await page.textContent('body')) ?? '', /`/);
  const { url } = JSON.parse(await daemon.cli('open', '--json')) as { url: string };
  await page.fill('input[name="secret"]', url.split('#token=')[1]!);
  await page.tap('button[type="submit"]');
  await page.waitForURL((u) => u.pathname === '/s/work/1', { timeout: stretch(15_000) });
  await waitFor(async () => (await terminalState(page)) === 'open', 15_000, 'the terminal opens');
  await ctx.close();
});

test('a read-only login gets no "log in another device" button', async () => {
  const token = (JSON.parse(await daemon.cli('token', 'create', '--read-only', '--json')) as { token: string }).token;
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${daemon.url}/login#token=${token}`);
  await page.waitForURL((u) => u.pathname === '/', { timeout: stretch(15_000) });
  await page.waitForSelector('.card[data-session="work"]');
  await waitFor(async () => page.isVisible('.badge-ro'), 15_000, 'read-only badge');
  assert.equal(await page.isVisible('button[aria-label="Log in another device"]'), false);
  const r = await page.evaluate(async () => (await fetch('/api/login-links', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
  assert.equal(r, 403);
  await ctx.close();
});

/**
 * The login link and the dashboard in real Chromium against a real daemon:
 * the token leaves the address bar, sessions show with their status (those
 * wanting attention first), the list follows tmux live, create / rename /
 * kill work from the page, names render as text, and the CSP is never
 * violated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor, waitForCommand, stretch } from '../helpers/tmux.js';
import { launchChromium, loginWithLink, screenshot, startDaemon, tempHome, watchPage } from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const window: Record<string, unknown>;
declare const document: { createElementNS(ns: string, tag: string): { textContent: string }; head: { append(n: unknown): void } };
declare const location: { hash: string };
declare function fetch(url: string, init: object): Promise<{ status: number }>;

const XSS_NAME = '<img src=x onerror=window.__xss=1>';
const tmux = privateTmux();

const cardNames = (p: Page) => p.$$eval('.card', (cards) => cards.map((c) => c.getAttribute('data-session') ?? ''));
const hasSession = (name: string) => tmux.run('has-session', '-t', `=${name}`).then(() => true, () => false);

await tmux.run('new-session', '-d', '-s', 'work', '-n', 'main', '-x', '120', '-y', '40');
await tmux.run('new-window', '-d', '-t', 'work', '-n', 'logs');
await tmux.run('set-option', '-g', 'remain-on-exit', 'on');
await tmux.run('new-session', '-d', '-s', 'finished', 'sh', '-c', 'exit 3');
// Rings when told (a line on its input), so the bell is fresh when the test looks: after 20 s of silence it would count as waiting.
await tmux.run('new-session', '-d', '-s', 'ringer', 'sh', '-c', 'read x; printf "\\a"; exec sleep 600');
await tmux.run('new-session', '-d', '-s', 'xss');
await tmux.run('rename-window', '-t', '=xss:0', XSS_NAME);
// A program's own title for its pane (what OSC 2 sets), shown in the terminal page's title.
await tmux.run('select-pane', '-t', '=xss:0', '-T', XSS_NAME);
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
const watch = await watchPage(page);

test('the printed login link logs in, and the token is gone from the address bar', async () => {
  await loginWithLink(page, daemon.loginUrl);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.ok(!page.url().includes('token'), `address bar still has the token: ${page.url()}`);
  assert.equal(await page.evaluate(() => location.hash), '');
  const cookie = (await context.cookies()).find((c) => c.name === 'roost_session');
  assert.ok(cookie, 'a session cookie was set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  // The link works once: a second browser using it lands on the login form with an error.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(daemon.loginUrl);
  await p2.waitForSelector('.form-error:not([hidden])');
  // Both kinds of link are named: a one-time one (this) and a token's, which works until revoked.
  assert.match(await p2.textContent('.form-error') ?? '', /not accepted\. A one-time link from roost open works once[^]*until it is revoked/);
  assert.deepEqual(await p2.$$eval('.form-error code', (c) => c.map((x) => x.textContent)), ['roost open', 'roost token create', 'roost token ls'], 'commands as code, no backticks');
  assert.ok(!p2.url().includes('token'));
  await other.close();
});

test('every session shows with windows, status, command and devices; attention first', async () => {
  await page.waitForSelector('.card[data-session="ringer"]');
  await tmux.run('send-keys', '-t', '=ringer:', 'Enter');
  await page.waitForSelector('.card[data-session="ringer"] .card-head .tone-bell', { timeout: stretch(10_000) });
  await waitFor(async () => (await cardNames(page)).length === 4, 10_000, 'four cards');
  const names = await cardNames(page);
  assert.equal(names[0], 'ringer', `the ringing session comes first: ${names.join(', ')}`);
  assert.equal(names.at(-1), 'finished', `the exited session comes last: ${names.join(', ')}`);
  assert.match(await page.textContent('.card[data-session="ringer"] .card-head') ?? '', /! bell/);
  assert.match(await page.textContent('.card[data-session="finished"]') ?? '', /exited \(3\)/);
  const work = await page.textContent('.card[data-session="work"]') ?? '';
  for (const want of ['main', 'logs', 'bash', 'no devices', 'last output']) assert.ok(work.includes(want), `work card lacks "${want}": ${work}`);
  assert.equal(await page.$$eval('.card[data-session="work"] .win', (ws) => ws.length), 2);
  await screenshot(page, 'dashboard-desktop');
});

test('the list follows tmux live, without a reload', async () => {
  await page.evaluate(() => (window['__noReload'] = 1));
  await tmux.run('new-session', '-d', '-s', 'extra');
  await page.waitForSelector('.card[data-session="extra"]', { timeout: stretch(10_000) });
  await tmux.run('kill-session', '-t', '=extra');
  await page.waitForSelector('.card[data-session="extra"]', { state: 'detached', timeout: stretch(10_000) });
  assert.equal(await page.evaluate(() => window['__noReload']), 1);
});

test('a card is rebuilt only when what it shows changes; its "last output" keeps up meanwhile', async () => {
  await tmux.run('new-session', '-d', '-s', 'ticker', '-n', 'tick', 'sh', '-c', 'read x; while :; do echo tick; sleep 0.5; done');
  const card = '.card[data-session="ticker"]';
  // Until tmux's child execs, its command reads "tmux": mark the card only once it shows sh.
  await page.waitForSelector(`${card} .win-cmd:text-is("sh")`, { timeout: stretch(10_000) });
  await page.$eval(card, (c) => c.setAttribute('data-mark', 'kept'));
  const activity = () => page.$eval(`${card} [data-activity]`, (e) => Number(e.getAttribute('data-activity')));
  const before = await activity();
  await tmux.run('send-keys', '-t', '=ticker:', 'Enter');
  await waitFor(async () => (await activity()) >= before + 2, 15_000, 'the output time to move on');
  assert.equal(await page.$eval(card, (c) => c.getAttribute('data-mark')), 'kept', 'the same card element');
  await tmux.run('rename-window', '-t', '=ticker:0', 'renamed');
  await waitFor(async () => (await page.textContent(card))?.includes('renamed'), 15_000, 'the renamed window on the card');
  assert.equal(await page.$eval(card, (c) => c.getAttribute('data-mark')), null, 'a new card for what changed');
  await tmux.run('kill-session', '-t', '=ticker');
});

test('create, rename and kill a session from the page', async () => {
  await page.click('button:has-text("New session")');
  await page.fill('dialog input[name="name"]', 'bad name!');
  await page.click('dialog button[type="submit"]');
  await page.waitForSelector('dialog .form-error:not([hidden])');
  assert.match(await page.textContent('dialog .form-error') ?? '', /invalid session name/);
  assert.equal(await hasSession('bad name!'), false);

  await page.fill('dialog input[name="name"]', 'made');
  await page.fill('dialog input[name="command"]', 'sleep 1000');
  await page.click('dialog button[type="submit"]');
  await page.waitForSelector('dialog', { state: 'detached' });
  await page.waitForSelector('.card[data-session="made"]', { timeout: stretch(10_000) });
  await waitForCommand(tmux, '=made:', 'sleep');

  await page.click('.card[data-session="made"] button:has-text("Rename")');
  await page.fill('dialog input[name="name"]', 'renamed');
  await page.click('dialog button[type="submit"]');
  await page.waitForSelector('.card[data-session="renamed"]', { timeout: stretch(10_000) });
  assert.equal(await hasSession('renamed'), true);
  assert.equal(await hasSession('made'), false);

  await page.click('.card[data-session="renamed"] button:has-text("Kill")');
  const dialogText = await page.textContent('dialog') ?? '';
  assert.match(dialogText, /Kill renamed\?/);
  // Cancel first: nothing happens.
  await page.click('dialog button:has-text("Cancel")');
  assert.equal(await hasSession('renamed'), true);
  await page.click('.card[data-session="renamed"] button:has-text("Kill")');
  await page.click('dialog button:has-text("Kill session")');
  await page.waitForSelector('.card[data-session="renamed"]', { state: 'detached', timeout: stretch(10_000) });
  assert.equal(await hasSession('renamed'), false);
});

test('a window named like HTML, and a pane title like it, are shown as text and never run', async () => {
  const row = page.locator('.card[data-session="xss"] .win-name');
  assert.equal(await row.textContent(), XSS_NAME);
  assert.equal(await page.evaluate(() => window['__xss']), undefined);
  assert.equal(await page.$$eval('.cards img', (imgs) => imgs.length), 0);
  await page.click('.card[data-session="xss"] .card-title');
  await page.waitForSelector('.term-page');
  await page.waitForSelector('.tab .tab-name');
  assert.equal(await page.textContent('.tab .tab-name'), XSS_NAME);
  await waitFor(async () => (await page.title()).includes(XSS_NAME), 15_000, 'the pane title in the page title');
  assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0, 'no element made from a name or title');
  assert.equal(await page.evaluate(() => window['__xss']), undefined);
  await page.goBack();
  await page.waitForSelector('.card');
});

test('no CSP violation or page error happened, and the detector does catch one', async () => {
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
  // Prove the watch can fail: an inline <style> (made without the app's helpers) is refused and reported.
  const probe = await context.newPage();
  const probeWatch = await watchPage(probe);
  await probe.goto(`${daemon.url}/`);
  await probe.evaluate(() => {
    const s = document.createElementNS('http://www.w3.org/1999/xhtml', 'style');
    s.textContent = 'body { color: red }';
    document.head.append(s);
  });
  await waitFor(async () => (await probeWatch.csp()).length > 0, 5000, 'the deliberate violation to be reported');
  await probe.close();
});

test('a session made by a feature shows its kind beside its name; a plain one shows none', async () => {
  await page.goto(`${daemon.url}/`);
  await page.waitForSelector('.card[data-session="work"]');
  assert.equal(await page.$('.card .badge-kind'), null, 'plain sessions carry no kind tag');
  await tmux.run('set-option', '-t', '=work:', '@roost_kind', 'job');
  await page.waitForSelector('.card[data-session="work"] .badge-kind[data-kind="job"]', { timeout: stretch(10_000) });
  assert.equal(await page.textContent('.card[data-session="work"] .badge-kind'), 'job');
  assert.equal(await page.$('.card:not([data-session="work"]) .badge-kind'), null);
  await tmux.run('set-option', '-u', '-t', '=work:', '@roost_kind');
});

test('the login form: a password set with roost passwd works, a wrong one says so', async () => {
  await daemon.cliWithInput('correct horse battery staple\n', 'passwd');
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const w = await watchPage(p);
  await p.goto(`${daemon.url}/`);
  await p.waitForURL((u) => u.pathname === '/login');
  await p.check('input[value="password"]');
  await p.fill('input[name="secret"]', 'wrong horse');
  await p.click('button[type="submit"]');
  await p.waitForSelector('.form-error:not([hidden])');
  assert.match(await p.textContent('.form-error') ?? '', /not accepted/);
  await p.fill('input[name="secret"]', 'correct horse battery staple');
  await p.click('button[type="submit"]');
  await p.waitForURL((u) => u.pathname === '/');
  await p.waitForSelector('.card[data-session="work"]');
  assert.deepEqual(await w.csp(), []);
  await ctx.close();
});

// Last in the file: it leaves this address rate-limited.
test('too many login attempts: the form says to wait', async () => {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(`${daemon.url}/login`);
  const status = await p.evaluate(async () => {
    for (let i = 0; i < 200; i++) {
      const r = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"password":"nope"}' });
      if (r.status === 429) return 429;
    }
    return 0;
  });
  assert.equal(status, 429, 'the daemon rate-limits logins');
  await p.check('input[value="password"]');
  await p.fill('input[name="secret"]', 'nope');
  await p.click('button[type="submit"]');
  await p.waitForSelector('.form-error:not([hidden])');
  assert.match(await p.textContent('.form-error') ?? '', /Too many attempts/);
  await ctx.close();
});

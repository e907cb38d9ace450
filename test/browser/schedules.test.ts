/**
 * The Schedules view in real Chromium against a real daemon and tmux. On a
 * phone (390x844, touch): a schedule added through the API shows with its
 * next run; Run now starts a run that appears in the history with its
 * result, its log opens, and a headless Claude run's conversation opens in
 * its terminal; a guard's skip shows its reason and "Run anyway" bypasses
 * it; Pause and Resume change the state. On a desktop: a read-only login
 * sees the same cards and history without a control, and hostile commands
 * and folders show as text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor, stretch } from '../helpers/tmux.js';
import { addSchedule, launchChromium, loginWithLink, PHONE, screenshot, startDaemon, tempHome, waitForScreen, watchPage } from '../helpers/browser.js';
import type { RunInfo, ScheduleInfo } from '../../src/shared/schedules.js';

declare const document: { querySelector(sel: string): unknown };
declare const window: Record<string, unknown>;

const home = tempHome();
// A fake `claude` first on the PATH of the tmux server and the daemon: headless, it prints Claude's JSON
// result; `--resume ID` (Open conversation) says which conversation and stays.
const bin = join(home, 'bin');
mkdirSync(bin, { recursive: true, mode: 0o700 });
const claude = join(bin, 'claude');
writeFileSync(claude, `#!/bin/sh
if [ "$1" = --resume ]; then echo "resumed conversation $2"; exec sleep 600; fi
echo '{"type":"result","subtype":"success","is_error":false,"num_turns":3,"duration_ms":1200,"total_cost_usd":0.0123,"session_id":"conv-42","result":"done"}'
`);
chmodSync(claude, 0o755);
process.env['PATH'] = `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`;

const tmux = privateTmux();
const daemon = await startDaemon({ tmux, home });
const browser = await launchChromium();
const phone = await browser.newContext(PHONE);
const page = await phone.newPage();
const watch = await watchPage(page);
await loginWithLink(page, daemon.loginUrl);

const T = (ms: number) => ({ timeout: stretch(ms) });
const show = async (name: string) => JSON.parse(await daemon.cli('schedule', 'show', name, '--json')) as ScheduleInfo;
const history = async (name: string) => JSON.parse(await daemon.cli('schedule', 'history', name, '--json')) as RunInfo[];

test('phone: a schedule shows with its next run; Run now runs it, its history has the result, its log and its conversation open', async () => {
  const added = await addSchedule(page, { name: 'nightly', cron: '0 3 * * *', command: [claude, '-p', 'tidy up', '--output-format', 'json'], guards: ['none'] });
  assert.ok(added.next[0]! > Date.now());

  // The dashboard's header keeps one row on the phone with the Schedules link in it (an icon there).
  await page.waitForSelector('.topbar a[href="/schedules"]', T(10_000));
  await waitFor(() => page.isVisible('.topbar .logout-button'), 5000, 'the whole header');
  const header = await page.$$eval('.topbar .btn', (els) => els.filter((e) => e.getBoundingClientRect().height > 0).map((e) => Math.round(e.getBoundingClientRect().top)));
  assert.equal(new Set(header).size, 1, `one row of header buttons: ${JSON.stringify(header)}`);
  await page.tap('a[href="/schedules"]');
  await page.waitForURL((u) => u.pathname === '/schedules', T(10_000));
  const card = '[data-schedule="nightly"]';
  await page.waitForSelector(card, T(10_000));
  assert.equal(await page.getAttribute(`${card} .sched-next`, 'data-next'), String(added.next[0]));
  assert.match((await page.textContent(`${card} .sched-next`)) ?? '', /^next in \d+ (h|min)/);
  assert.equal(await page.textContent(`${card} .sched-cron`), '0 3 * * * (server time)');
  assert.equal(await page.textContent(`${card} .sched-last`), 'no runs yet');
  // The card's actions fit beside its name: one compact row on the phone.
  const rows = await page.$$eval(`${card} .card-head, ${card} .card-actions .btn`, (els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  assert.equal(new Set(rows).size, 1, `name and actions on one row: ${JSON.stringify(rows)}`);

  await page.tap(`${card} [data-action="run"]`);
  await page.waitForSelector(`${card} .sched-note[data-note="started"]`, T(20_000));
  await page.waitForSelector(`${card} .sched-last [data-outcome="succeeded"]`, T(20_000));
  const [run] = await history('nightly');
  assert.equal(run!.outcome, 'succeeded');
  assert.equal(run!.claude?.sessionId, 'conv-42');

  await page.tap(`${card} a.btn-primary`);
  await page.waitForURL((u) => u.pathname === '/schedules/nightly', T(10_000));
  const row = `[data-run="${run!.id}"]`;
  await page.waitForSelector(`${row}[data-outcome="succeeded"]`, T(10_000));
  assert.equal(await page.textContent(`${row} [data-outcome]`), 'succeeded');
  assert.equal(await page.textContent(`${row} .run-trigger`), 'run now');
  assert.equal(await page.textContent(`${row} .run-claude`), 'claude: success, 3 turns, 1 s, $0.0123');
  assert.match((await page.textContent(`${row} .run-ran`)) ?? '', /^ran \d+ s$/);
  // One row: every part of the header is centred on the same line.
  const bar = await page.$$eval('.topbar > *', (els) => els.filter((e) => e.getBoundingClientRect().height > 0).map((e) => { const r = e.getBoundingClientRect(); return Math.round((r.top + r.bottom) / 2); }));
  assert.ok(Math.max(...bar) - Math.min(...bar) <= 2, `the schedule's header on one row: ${JSON.stringify(bar)}`);
  assert.equal(await page.evaluate(() => { const n = document.querySelector('.sched-name') as { scrollWidth: number; clientWidth: number }; return n.scrollWidth <= n.clientWidth; }), true, 'its name whole');
  await screenshot(page, 'phone-schedule-history');

  await page.tap(`${row} a[data-action="log"]`);
  await page.waitForURL((u) => u.pathname === `/jobs/${run!.job}`, T(10_000));
  await waitFor(async () => (await page.textContent('.log-body'))?.includes('"session_id":"conv-42"'), 15_000, 'the run\'s output in its log');

  await page.goBack();
  await page.waitForSelector(`${row} [data-action="open"]`, T(10_000));
  await page.tap(`${row} [data-action="open"]`);
  await page.waitForURL((u) => u.pathname === `/s/nightly-${run!.id}-chat`, T(15_000));
  await waitForScreen(page, /resumed conversation conv-42/);
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
});

test('phone: a guard\'s skip shows its reason, Run anyway bypasses it; Pause and Resume change the state', async () => {
  // The guide's guard: skip while a pane of session "work" runs the program.
  await tmux.run('new-session', '-d', '-s', 'work', 'sleep', '600');
  await addSchedule(page, { name: 'guarded', cron: '0 * * * *', command: ['echo', 'guarded ran'], guards: ['busy:sleep@work'] });
  await page.goto(`${daemon.url}/schedules`);
  const card = '[data-schedule="guarded"]';
  await page.waitForSelector(`${card} [data-action="run"]`, T(10_000));

  await page.tap(`${card} [data-action="run"]`);
  await page.waitForSelector(`${card} .sched-note[data-note="skipped"]`, T(20_000));
  const reason = 'sleep runs in work:0 (guard busy:sleep@work)';
  assert.equal(await page.textContent(`${card} .sched-note-text`), `Skipped: ${reason}. Run anyway`);
  await page.waitForSelector(`${card} .sched-last [data-outcome="skipped"]`, T(10_000));
  assert.equal(await page.textContent(`${card} .sched-reason`), reason, 'the last result says why');
  await screenshot(page, 'phone-schedule-skip');

  await page.tap(`${card} [data-action="force"]`);
  await page.waitForSelector(`${card} .sched-note[data-note="started"]`, T(20_000));
  await waitFor(async () => (await history('guarded'))[0]?.outcome === 'succeeded', 20_000, 'the forced run to succeed');
  const [forced, skipped] = await history('guarded');
  assert.equal(forced!.forced, true);
  assert.equal(skipped!.reason, reason);

  await page.goto(`${daemon.url}/schedules/guarded`);
  await page.waitForSelector(`[data-run="${skipped!.id}"] [data-reason]`, T(10_000));
  assert.equal(await page.textContent(`[data-run="${skipped!.id}"] [data-reason]`), reason);
  assert.equal(await page.textContent(`[data-run="${forced!.id}"] .run-trigger`), 'run now, guards bypassed');
  assert.equal(await page.$(`[data-run="${skipped!.id}"] a[data-action="log"]`), null, 'a skip has no log');

  await page.tap('.topbar [data-action="pause"]');
  await page.waitForSelector('.sched-page[data-state="paused"] .topbar [data-action="resume"]', T(10_000));
  assert.equal((await show('guarded')).paused, true);
  await page.goto(`${daemon.url}/schedules`);
  await page.waitForSelector(`${card}[data-state="paused"] [data-paused]`, T(10_000));
  assert.equal(await page.textContent(`${card} .sched-next`), 'paused: no next run');
  await page.tap(`${card} [data-action="resume"]`);
  await page.waitForSelector(`${card}[data-state="active"] [data-action="pause"]`, T(10_000));
  assert.equal((await show('guarded')).paused, false);
  assert.match((await page.textContent(`${card} .sched-next`)) ?? '', /^next in /);
  assert.deepEqual(watch.errors, []);
});

test('desktop: a read-only login sees schedules and history without a control; hostile commands and folders are text', async () => {
  const hostileDir = join(home, '<img src=x onerror="window.pwned=1">');
  mkdirSync(hostileDir);
  await addSchedule(page, { name: 'hostile', cron: '30 4 * * *', cwd: hostileDir, guards: ['none'], env: ['API_KEY=topsecret123'],
    command: ['sh', '-c', 'echo "<script>window.pwned=2</script>"', '<b>bold</b>'] });

  const token = (JSON.parse(await daemon.cli('token', 'create', '--read-only', '--name', 'watcher', '--json')) as { token: string }).token;
  const roCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const ro = await roCtx.newPage();
  const roWatch = await watchPage(ro);
  await ro.goto(`${daemon.url}/login#token=${token}`);
  await ro.waitForURL((u) => u.pathname === '/', T(15_000));
  await ro.click('a[href="/schedules"]');
  await ro.waitForURL((u) => u.pathname === '/schedules', T(10_000));
  await ro.waitForSelector('[data-schedule="hostile"]', T(10_000));
  await ro.waitForSelector('[data-schedule="nightly"] .sched-last [data-outcome="succeeded"]', T(10_000));
  await waitFor(() => ro.isVisible('.badge-ro'), 5000, 'the read-only badge');
  const controls = '[data-action="run"], [data-action="pause"], [data-action="resume"], [data-action="force"], [data-action="open"]';
  assert.deepEqual(await ro.$$eval(controls, (els) => els.length), 0, 'no controls for a read-only login');
  assert.ok(await ro.$('[data-schedule="nightly"] a[data-action="last-log"]'), 'the last run\'s log is there to read');

  assert.equal(await ro.textContent('[data-schedule="hostile"] .meta-cmd'), `sh -c 'echo "<script>window.pwned=2</script>"' '<b>bold</b>'`);
  assert.equal(await ro.getAttribute('[data-schedule="hostile"] .meta-cmd', 'title'), hostileDir);
  await ro.click('[data-schedule="hostile"] a.card-title');
  await ro.waitForURL((u) => u.pathname === '/schedules/hostile', T(10_000));
  await waitFor(async () => (await ro.textContent('.sched-about'))?.includes(hostileDir), 10_000, 'the folder as text');
  assert.equal(await ro.evaluate(() => [document.querySelector('img'), document.querySelector('b'), document.querySelector('main script'), window['pwned']].filter(Boolean).length), 0);
  // The schedule's env (a secret) reached neither the page nor what it fetched: the API sends a read-only login the keys alone.
  assert.equal(await ro.evaluate(async () => JSON.stringify(await (await fetch('/api/schedules/hostile')).json()).includes('topsecret123')), false);
  assert.ok(!(await ro.content()).includes('topsecret123'));

  await ro.goto(`${daemon.url}/schedules/nightly`);
  await ro.waitForSelector('[data-run] a[data-action="log"]', T(10_000));
  assert.deepEqual(await ro.$$eval(controls, (els) => els.length), 0, 'no Run now, Pause or Open conversation on the schedule\'s page');
  await screenshot(ro, 'desktop-schedule-read-only');
  assert.deepEqual(await roWatch.csp(), []);
  assert.deepEqual(roWatch.errors, []);
});

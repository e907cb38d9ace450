/**
 * The Jobs view in real Chromium against a real daemon and tmux: on a phone
 * (390x844, touch) the list shows a job live and its log follows new output,
 * stays at the end, searches, jumps back to the end, and ends with the exit
 * status; a long log loads its tail and pages back to the start; on a
 * desktop an owner stops a job from the list and a read-only login sees the
 * same list without a Stop button; a log cut by its cap starts at a whole
 * line after the cut marker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor, stretch } from '../helpers/tmux.js';
import { launchChromium, loginWithLink, PHONE, screenshot, startDaemon, tempHome, watchPage } from '../helpers/browser.js';
import type { JobInfo } from '../../src/shared/jobs.js';

interface El { textContent: string | null; scrollTop: number; scrollHeight: number; clientHeight: number }
declare const document: { querySelector(sel: string): El | null; querySelectorAll(sel: string): El[] };

const tmux = privateTmux();
const home = tempHome();
const daemon = await startDaemon({ tmux, home });
const browser = await launchChromium();
const phone = await browser.newContext(PHONE);
const page = await phone.newPage();
const watch = await watchPage(page);
await loginWithLink(page, daemon.loginUrl);

const logText = (p: Page) => p.evaluate(() => [...document.querySelectorAll('.log-body .hl')].map((e) => e.textContent ?? ''));
const pinned = (p: Page) => p.evaluate(() => {
  const s = document.querySelector('.log-scroll')!;
  return s.scrollHeight - s.scrollTop - s.clientHeight <= 24;
});
const jobs = async () => JSON.parse(await daemon.cli('jobs', '--json')) as JobInfo[];

test('phone: a job in the list, live; its log follows, stays at the end, searches, and ends with the status', async () => {
  const go = join(home, 'GO');
  await daemon.cli('run', '--name', 'ticker', '--', 'sh', '-c',
    `seq -f 'pre %g' 1 100; i=0; while [ ! -e ${go} ]; do i=$((i+1)); echo "tick $i"; sleep 0.1; done; printf 'bar 10%%\\rbar 100%%\\n'; echo "all done"; exit 3`);
  await page.tap('a[href="/jobs"]');
  await page.waitForURL((u) => u.pathname === '/jobs', { timeout: stretch(10_000) });
  await page.waitForSelector('[data-job="ticker"] [data-job-state="running"]', { timeout: stretch(10_000) });
  await page.tap('[data-job="ticker"] a.btn-primary');
  await page.waitForURL((u) => u.pathname === '/jobs/ticker', { timeout: stretch(10_000) });

  const first = await waitFor(async () => (await logText(page)).filter((l) => l.startsWith('tick ')).length, 15_000, 'the first ticks');
  await waitFor(async () => (await logText(page)).filter((l) => l.startsWith('tick ')).length >= first + 30, 20_000, 'new output followed');
  const lines = await logText(page);
  assert.deepEqual(lines.slice(0, 2), ['pre 1', 'pre 2'], 'from the start: the whole log is its tail');
  lines.forEach((l, i) => assert.equal(l, i < 100 ? `pre ${i + 1}` : `tick ${i - 99}`, 'each line once, in order: nothing fetched twice'));
  // New lines keep coming: the view catches up with each within a frame, so look until it is seen at the end.
  await waitFor(() => pinned(page), 10_000, 'the view stays at the end while it follows');

  // Scrolled up, it stays put and offers the way back.
  await page.evaluate(() => { document.querySelector('.log-scroll')!.scrollTop = 0; });
  await page.waitForSelector('.log-jump:not([hidden])', { timeout: stretch(5000) });
  await page.tap('.log-jump');
  await waitFor(() => pinned(page), 5000, 'back at the end');

  await page.fill('.log-find .find-input', 'tick 7');
  await waitFor(async () => /^\d+ of \d+$/.test((await page.textContent('.log-find .find-count')) ?? ''), 5000, 'a count of matches');
  assert.match((await page.textContent('.log-body .hl-current')) ?? '', /^tick 7/);
  await page.fill('.log-find .find-input', '');

  writeFileSync(go, '');
  await page.waitForSelector('.log-bar [data-job-state="exited"]', { timeout: stretch(15_000) });
  assert.equal(await page.textContent('.log-bar [data-job-state]'), 'exited 3');
  await waitFor(async () => (await logText(page)).at(-1) === 'all done', 10_000, 'the last line');
  const end = await logText(page);
  assert.equal(end.at(-2), 'bar 100%', 'the progress bar in its last state');
  assert.ok(!end.includes('bar 10%'));
  await waitFor(async () => (await page.textContent('.log-status'))?.includes('whole log'), 5000, 'the ended note');
  assert.equal(await page.getAttribute('a[download]', 'href'), '/api/jobs/ticker/log/download');
  if (await page.isVisible('.log-jump')) await page.tap('.log-jump');
  await screenshot(page, 'phone-job-log');
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
});

test('phone: a long log loads its tail first and pages back to its start', async () => {
  await daemon.cli('run', '--name', 'long', '--', 'seq', '-f', 'row %g', '1', '60000');
  await waitFor(async () => (await jobs()).find((j) => j.name === 'long')?.state === 'exited', 20_000, 'long to finish');
  await page.goto(`${daemon.url}/jobs/long`);
  await waitFor(async () => (await logText(page)).at(-1) === 'row 60000', 15_000, 'the tail');
  const tail = await logText(page);
  assert.notEqual(tail[0], 'row 1', 'only the tail at first');
  assert.match(tail[0]!, /^row \d+$/, 'starting at a whole line');
  for (let i = 0; i < 6 && await page.isVisible('.log-older'); i++) {
    const before = (await logText(page)).length;
    await page.tap('.log-older');
    await waitFor(async () => (await logText(page)).length > before, 10_000, 'an older page');
  }
  const all = await logText(page);
  assert.equal(all.length, 60000);
  assert.equal(all[0], 'row 1');
  assert.equal(all[59999], 'row 60000');
  assert.equal(await page.isVisible('.log-older'), false, 'nothing older');
});

test('desktop: an owner stops a job from the list; a read-only login sees no Stop; Attach goes to the job\'s terminal', async () => {
  await daemon.cli('run', '--name', 'sleepy', '--', 'sleep', '300');
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const d = await desk.newPage();
  await loginWithLink(d, await daemon.newLoginUrl());
  await d.goto(`${daemon.url}/jobs`);
  const card = '[data-job="sleepy"]';
  await d.waitForSelector(`${card} [data-job-state="running"]`, { timeout: stretch(10_000) });
  assert.equal(await d.getAttribute(`${card} a[href="/s/sleepy"]`, 'href'), '/s/sleepy');

  const token = (JSON.parse(await daemon.cli('token', 'create', '--read-only', '--name', 'watcher', '--json')) as { token: string }).token;
  const roCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const ro = await roCtx.newPage();
  await ro.goto(`${daemon.url}/login#token=${token}`);
  await ro.waitForURL((u) => u.pathname === '/', { timeout: stretch(15_000) });
  await ro.goto(`${daemon.url}/jobs`);
  await ro.waitForSelector(`${card} [data-job-state="running"]`, { timeout: stretch(10_000) });
  await waitFor(() => ro.isVisible('.badge-ro'), 5000, 'the read-only badge');
  assert.equal(await ro.$(`${card} [data-action="stop"]`), null, 'no Stop for a read-only login');
  await ro.goto(`${daemon.url}/jobs/sleepy`);
  await ro.waitForSelector('.log-bar [data-job-state="running"]', { timeout: stretch(10_000) });
  assert.equal(await ro.$('.log-bar [data-action="stop"]'), null);

  await d.click(`${card} [data-action="stop"]`);
  assert.equal(await d.textContent(`${card} [data-action="stop"]`), 'Confirm stop', 'one click only arms it');
  await d.click(`${card} [data-action="stop"]`);
  await d.waitForSelector(`${card} [data-job-state="killed"]`, { timeout: stretch(20_000) });
  assert.equal(await d.textContent(`${card} [data-job-state]`), 'killed by SIGTERM');
  await screenshot(d, 'desktop-jobs');
  await d.click(`${card} a[href="/s/sleepy"]`);
  await d.waitForURL((u) => u.pathname === '/s/sleepy', { timeout: stretch(10_000) });
});

test('phone: a log cut by its cap starts at a whole line after the cut marker, the broken one counted as cut', async () => {
  mkdirSync(join(home, '.config', 'roost'), { recursive: true });
  writeFileSync(join(home, '.config', 'roost', 'config.toml'), '[jobs]\nlog_max = "64KB"\n');
  try {
    await daemon.cli('run', '--name', 'capped', '--', 'seq', '-f', 'line %g padded to be long enough to fill the log', '1', '20000');
    await waitFor(async () => (await jobs()).find((j) => j.name === 'capped')?.state === 'exited', 20_000, 'capped to finish');
    const job = (await jobs()).find((j) => j.name === 'capped')!;
    assert.ok(job.log.start > 0, 'the cap cut it');
    await page.goto(`${daemon.url}/jobs/capped`);
    await waitFor(async () => (await logText(page)).at(-1) === 'line 20000 padded to be long enough to fill the log', 15_000, 'the tail');
    const text = await logText(page);
    const cut = /^\[roost: (\d+) bytes of older output were cut here/.exec(text[0]!);
    assert.ok(cut, text[0]);
    assert.ok(Number(cut[1]) > job.log.start && Number(cut[1]) <= job.log.start + 52, `cut at ${job.log.start}, shown from ${cut[1]}`);
    assert.match(text[1]!, /^line \d+ padded to be long enough to fill the log$/, 'the first line after the cut is whole');
    assert.equal(await page.isVisible('.log-older'), false, 'nothing older to load');
  } finally {
    writeFileSync(join(home, '.config', 'roost', 'config.toml'), '');
  }
});

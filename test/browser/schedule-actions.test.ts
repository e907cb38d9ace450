/**
 * Run now and Pause/Resume on the Schedules view, in real Chromium against a
 * real daemon and tmux: a skip because the previous run is still going
 * (overlap) offers no "Run anyway" (--force passes guards only) but the
 * running job's log; a paused schedule's Resume does not look like Run now;
 * the next run reads "next in … (HH:MM)" as docs/web.md shows it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, stretch } from '../helpers/tmux.js';
import { addSchedule, launchChromium, loginWithLink, PHONE, PHONE_SCALE_ARGS, screenshot, startDaemon, tempHome, watchPage } from '../helpers/browser.js';
import type { RunInfo, ScheduleInfo } from '../../src/shared/schedules.js';

const tmux = privateTmux();
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium(PHONE_SCALE_ARGS);
const T = (ms: number) => ({ timeout: stretch(ms) });
const history = async (name: string) => JSON.parse(await daemon.cli('schedule', 'history', name, '--json')) as RunInfo[];

test('phone: Run now while the previous run goes on is skipped without "Run anyway", with that run\'s log', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await loginWithLink(page, daemon.loginUrl);
  await addSchedule(page, { name: 'slow', cron: '0 3 * * *', command: ['sleep', '600'], guards: ['none'] });
  await page.goto(`${daemon.url}/schedules`);
  const card = '[data-schedule="slow"]';
  await page.waitForSelector(`${card} [data-action="run"]`, T(10_000));
  // The next run as docs/web.md shows it: two units at most, then the 24-hour time (after the day when it is not today).
  await page.waitForFunction((sel) => /^next in \d+ (h|min|s)( \d+ (min|s))? \((\S+ \S+ \d+ )?\d\d:\d\d\)$/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector(sel)?.textContent ?? ''), `${card} .sched-next`, T(5000));

  await page.tap(`${card} [data-action="run"]`);
  await page.waitForSelector(`${card} .sched-note[data-note="started"]`, T(20_000));
  const job = (await history('slow'))[0]!.job!;
  await page.tap(`${card} [data-action="run"]`);
  await page.waitForSelector(`${card} .sched-note[data-note="skipped"]`, T(20_000));
  const [skip] = await history('slow');
  assert.equal(skip!.outcome, 'skipped');
  assert.match(skip!.reason ?? '', /still running \(overlap skip\)/);
  assert.equal(await page.$(`${card} .sched-note [data-action="force"]`), null, 'no Run anyway: --force cannot pass the overlap rule');
  assert.equal(await page.getAttribute(`${card} .sched-note [data-action="running-log"]`, 'href'), `/jobs/${job}`);
  await screenshot(page, 'phone-schedule-overlap-skip');
  await daemon.cli('stop', job);
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
  await ctx.close();
});

test('phone: a paused schedule\'s Resume does not look like its Run now', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await loginWithLink(page, await daemon.newLoginUrl());
  await addSchedule(page, { name: 'resting', cron: '0 3 * * *', command: ['true'], guards: ['none'] });
  await daemon.cli('schedule', 'pause', 'resting');
  await page.goto(`${daemon.url}/schedules`);
  const card = '[data-schedule="resting"]';
  await page.waitForSelector(`${card}[data-state="paused"] [data-action="resume"]`, T(10_000));
  const look = (action: string) => page.$eval(`${card} [data-action="${action}"]`, (b) => {
    const svg = b.querySelector('svg');
    const r = b.getBoundingClientRect();
    return { icon: svg?.innerHTML ?? '', text: (b as unknown as { innerText: string }).innerText.trim(), visible: r.width > 0 };
  });
  const run = await look('run');
  const resume = await look('resume');
  assert.ok(run.visible && resume.visible);
  assert.equal(run.text, '', 'icons only on a phone');
  assert.notEqual(resume.icon, run.icon, 'two different icons');
  await screenshot(page, 'phone-schedule-paused');
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(page, 'desktop-schedules');
  await ctx.close();
});

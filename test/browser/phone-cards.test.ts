/**
 * Cards and bars that must not draw over each other, in real Chromium
 * against a real daemon and tmux: on a phone (390 and 360 px) a dashboard
 * card keeps a 12-letter name whole beside its icons (its badges go under
 * it), a job's card keeps its command line and its "ran … log …" line apart,
 * and the job log's search bar (phone and desktop) sits inside the screen
 * with room between its field, count and arrows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, stretch } from '../helpers/tmux.js';
import { launchChromium, loginWithLink, PHONE, PHONE_SCALE_ARGS, screenshot, SMALL_PHONE, startDaemon, tempHome, watchPage } from '../helpers/browser.js';

interface Box { left: number; right: number; top: number; bottom: number; width: number; height: number }
declare const document: { querySelectorAll(sel: string): { getBoundingClientRect(): Box }[] };

const tmux = privateTmux();
await tmux.run('new-session', '-d', '-s', 'twelve-chars');
const daemon = await startDaemon({ tmux, home: tempHome() });
// A finished job: its session has the "job" tag and "exited (0)" beside the name, the dashboard's widest head.
await daemon.cli('run', '--name', 'nightly-test', '--', 'sh', '-c', 'seq 1 30');
const browser = await launchChromium(PHONE_SCALE_ARGS);
const T = (ms: number) => ({ timeout: stretch(ms) });

const overlap = (a: Box, b: Box) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
const boxes = (p: Page, sel: string) => p.$$eval(sel, (els) => els.map((e) => {
  const r = e.getBoundingClientRect();
  return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
}));

for (const [size, width] of [[PHONE, 390], [SMALL_PHONE, 360]] as const) {
  test(`${width} px dashboard: a 12-letter name shows whole beside the icons, its badges under it`, async () => {
    const ctx = await browser.newContext(size);
    const page = await ctx.newPage();
    const watch = await watchPage(page);
    await loginWithLink(page, width === 390 ? daemon.loginUrl : await daemon.newLoginUrl());
    await page.waitForSelector('.card[data-session="nightly-test"] [data-kind="job"]', T(15_000));
    await page.waitForSelector('.card[data-session="nightly-test"] [data-status="exited"]', T(15_000));
    for (const name of ['nightly-test', 'twelve-chars']) {
      const card = `.card[data-session="${name}"]`;
      const whole = await page.$eval(`${card} .card-title`, (e) => e.scrollWidth <= e.clientWidth);
      assert.equal(whole, true, `${name}: the whole name shows`);
      const [title] = await boxes(page, `${card} .card-title`);
      const parts = await boxes(page, `${card} .card-head .badge, ${card} .card-actions .btn`);
      for (const b of [title!, ...parts]) assert.ok(b.left >= 0 && b.right <= width, `${name}: inside the screen ${JSON.stringify(b)}`);
      for (const b of parts) assert.ok(!overlap(title!, b), `${name}: nothing over the name ${JSON.stringify([title, b])}`);
      const [actions] = await boxes(page, `${card} .card-actions`);
      const [meta] = await boxes(page, `${card} .card-meta`);
      assert.ok(meta!.top >= actions!.bottom - 0.5, `${name}: the meta line under the icons`);
    }
    await screenshot(page, `phone-${width}-dashboard-names`);
    assert.deepEqual(watch.errors, []);
    await ctx.close();
  });
}

test('phone: a job\'s card keeps its command line and its "ran … log …" line apart', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await loginWithLink(page, await daemon.newLoginUrl());
  await page.goto(`${daemon.url}/jobs`);
  const card = '[data-job="nightly-test"]';
  await page.waitForSelector(`${card} [data-job-state="exited"]`, T(15_000));
  const metas = await boxes(page, `${card} .card-meta`);
  assert.equal(metas.length, 2);
  assert.ok(!overlap(metas[0]!, metas[1]!), `the two lines apart: ${JSON.stringify(metas)}`);
  assert.ok(metas[1]!.top >= metas[0]!.bottom - 0.5, 'the ran/log line under the command');
  const [head] = await boxes(page, `${card} .card-head`);
  assert.ok(metas[0]!.top >= head!.bottom - 0.5, 'both under the name');
  await screenshot(page, 'phone-jobs-list');
  await ctx.close();
});

for (const [label, size, width] of [['phone', PHONE, 390], ['desktop', { viewport: { width: 1280, height: 800 } }, 1280]] as const) {
  test(`${label}: the job log's search bar is the reader's: inside the screen, its parts apart`, async () => {
    const ctx = await browser.newContext(size);
    const page = await ctx.newPage();
    await loginWithLink(page, await daemon.newLoginUrl());
    await page.goto(`${daemon.url}/jobs/nightly-test`);
    await page.waitForSelector('.log-status:has-text("whole log")', T(15_000));
    await page.fill('.log-find .find-input', '2');
    await page.waitForSelector('.log-find .find-count:has-text(" of ")', T(5000));
    await page.focus('.log-find .find-input');
    const parts = await boxes(page, '.log-find .find-input, .log-find .find-count, .log-find .btn');
    assert.equal(parts.length, 4);
    const [input] = parts;
    // The focus ring (2 px, 2 px out) needs 4 px of room around the field.
    assert.ok(input!.left >= 4, `room for the focus ring at the left: ${input!.left}`);
    for (const b of parts) assert.ok(b.left >= 0 && b.right <= width, `inside the screen: ${JSON.stringify(b)}`);
    for (let i = 1; i < parts.length; i++) {
      assert.ok(parts[i]!.left - parts[i - 1]!.right >= 4, `a gap between part ${i - 1} and ${i}: ${JSON.stringify([parts[i - 1], parts[i]])}`);
      const mid = (b: Box) => (b.top + b.bottom) / 2;
      assert.ok(Math.abs(mid(parts[i]!) - mid(input!)) <= 2, 'one row');
    }
    const [bar] = await boxes(page, '.log-find');
    const [scroll] = await boxes(page, '.log-scroll');
    assert.ok(input!.top - bar!.top >= 4 && scroll!.top >= input!.bottom + 4, 'room above and below the field');
    await screenshot(page, `${label}-job-log-search`);
    await ctx.close();
  });
}

/**
 * A session renamed under open terminal pages, in real Chromium: the
 * owner's page and a read-only reader's follow it (header, URL), and after
 * the daemon restarts they reconnect to the session by its new name, also
 * when it was renamed while no daemon ran (the page finds it in the listing
 * by its tmux id).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, shellSession, startDaemon, tempHome, terminalState, waitForScreen, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const location: { pathname: string };

const tmux = privateTmux();
await shellSession(tmux, 'main');
await waitFor(async () => (await paneLines(tmux, '=main:0')).some((l) => l.startsWith('$')), 30_000, 'a prompt');
const home = tempHome();
let daemon = await startDaemon({ tmux, home });
after(() => daemon.stop());
const browser = await launchChromium();

const owner = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
const watchOwner = await watchPage(owner);
await loginWithLink(owner, daemon.loginUrl);
// A share link's reader: a read-only login of its own.
const { token } = JSON.parse(await daemon.cli('token', 'create', '--read-only', '--json')) as { token: string };
const reader = await (await browser.newContext({ viewport: { width: 900, height: 600 } })).newPage();
const watchReader = await watchPage(reader);
await reader.goto(`${daemon.url}/login`);
await reader.fill('input[name="secret"]', token);
await reader.click('button[type="submit"]');
await reader.waitForURL((u) => u.pathname === '/');

const pathOf = (p: Page) => p.evaluate(() => location.pathname);
const header = async (p: Page) => (await p.textContent('.term-name'))?.trim();

/** Both pages name `name` in their header and URL (the owner's on window 0, the reader's as opened, without one). */
async function bothShow(name: string, what: string): Promise<void> {
  await waitFor(async () => (await header(owner)) === name && (await pathOf(owner)) === `/s/${name}/0`, 20_000, `the owner's page on ${name} (${what})`);
  await waitFor(async () => (await header(reader)) === name && (await pathOf(reader)) === `/s/${name}`, 20_000, `the reader's page on ${name} (${what})`);
}

/** Stop the daemon, run `meanwhile`, start it again on the same port: both pages must come back by themselves. */
async function restartDaemon(meanwhile: () => Promise<void> = async () => {}): Promise<void> {
  const port = daemon.port;
  await daemon.stop();
  await meanwhile();
  daemon = await startDaemon({ tmux, home, port, stopAfterFile: false });
  await waitFor(async () => (await terminalState(owner)) === 'open' && (await terminalState(reader)) === 'open', 30_000, 'both pages connected again');
  await owner.waitForSelector('.banner', { state: 'hidden' });
  await reader.waitForSelector('.banner', { state: 'hidden' });
}

/** The owner types a mark; both pages show it, so both are live on the session. */
async function typeAndSee(mark: string): Promise<void> {
  await owner.click('.term-host');
  await owner.keyboard.type(`echo ${mark}-$((40+2))\n`);
  await waitForScreen(owner, new RegExp(`^${mark}-42\\b`, 'm'));
  await waitForScreen(reader, new RegExp(`^${mark}-42\\b`, 'm'));
}

test('roost rename: both pages follow (header, URL), and after a daemon restart reconnect to the session by its new name', async () => {
  await openTerminalPage(owner, daemon, '/s/main/0');
  await openTerminalPage(reader, daemon, '/s/main');
  await daemon.cli('rename', 'main', 'work');
  await bothShow('work', 'after the rename');
  assert.match(await owner.title(), /^work:0 /, 'tmux\'s title names it too');

  await restartDaemon();
  await bothShow('work', 'after the restart');
  await typeAndSee('renamed');
});

test('renamed while the daemon was down: the pages find the session by its tmux id and reconnect to it', async () => {
  await restartDaemon(() => tmux.run('rename-session', '-t', '=work', 'play').then(() => undefined));
  await bothShow('play', 'renamed while away');
  await typeAndSee('away');
  assert.deepEqual(watchOwner.errors, []);
  assert.deepEqual(watchReader.errors, []);
});

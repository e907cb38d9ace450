/**
 * The key bar on a 390x844 touch screen, against a real daemon and tmux:
 * every key reaches the pane as the right bytes (a raw byte dump runs in the
 * pane), sticky Ctrl and Alt apply to the next key however it is typed,
 * Ctrl-C interrupts `sleep 100`, Esc leaves vim's insert mode, arrows move in
 * the shell's history, the keys never take the focus from the terminal (the
 * on-screen keyboard stays up), and hiding the bar is remembered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, PHONE_SCALE_ARGS, screenshot, shellSession, softKeyboard, startDaemon, tempHome, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const document: {
  activeElement: { className: string } | null;
  querySelector(sel: string): { scrollWidth: number; clientWidth: number; getBoundingClientRect(): { top: number; bottom: number } } | null;
};

const home = tempHome();
// Prints every byte it reads as <hh>, in raw mode (no echo, no signals, no line buffering). perl is part of every Debian.
const dump = join(home, 'bytes.pl');
writeFileSync(dump, 'system("stty raw -echo"); $| = 1; print "READY"; while (sysread(STDIN, my $c, 1)) { printf "<%02x>", ord($c) }\n');

const tmux = privateTmux();
await shellSession(tmux, 'keys');
await tmux.run('new-window', '-d', '-t', '=keys:', '-n', 'bytes', 'perl', dump);
const daemon = await startDaemon({ tmux, home });
const browser = await launchChromium(PHONE_SCALE_ARGS);
const ctx = await browser.newContext(PHONE);
const page = await ctx.newPage();
const watch = await watchPage(page);
await loginWithLink(page, daemon.loginUrl);

const focusedTerminal = (p: Page) => p.evaluate(() => document.activeElement?.className.includes('xterm-helper-textarea') ?? false);
const tapKey = (p: Page, key: string) => p.tap(`#keybar .key[data-key="${key}"]`);

/** Everything the byte dump printed after READY. */
async function bytesSeen(): Promise<string> {
  const text = (await paneLines(tmux, '=keys:bytes')).join('');
  return text.slice(text.indexOf('READY') + 5);
}

test('every key of the bar reaches the pane as the right bytes, and the focus stays in the terminal', async () => {
  await openTerminalPage(page, daemon, '/s/keys/1');
  await waitFor(async () => (await paneLines(tmux, '=keys:bytes')).join('').includes('READY'), 20_000, 'the byte dump');
  await page.tap('.term-host');
  await waitFor(() => focusedTerminal(page), 15_000, 'the terminal focused');
  await screenshot(page, 'phone-390-keybar');
  // What the pane receives: tmux reads the key and re-encodes it for the pane's terminal (TERM=screen).
  const expected: [string, string][] = [
    ['Escape', '<1b>'], ['Tab', '<09>'], ['Up', '<1b><5b><41>'], ['Down', '<1b><5b><42>'], ['Left', '<1b><5b><44>'], ['Right', '<1b><5b><43>'],
    ['Enter', '<0d>'], ['y', '<79>'], ['n', '<6e>'], ['^C', '<03>'],
    ['|', '<7c>'], ['/', '<2f>'], ['~', '<7e>'], ['-', '<2d>'],
    ['Home', '<1b><5b><31><7e>'], ['End', '<1b><5b><34><7e>'], ['PageUp', '<1b><5b><35><7e>'], ['PageDown', '<1b><5b><36><7e>'],
  ];
  for (const [key, bytes] of expected) {
    const before = await bytesSeen();
    await tapKey(page, key);
    const after = await waitFor(async () => {
      const now = await bytesSeen();
      return now.length > before.length ? now : null;
    }, 15_000, `bytes for ${key}`);
    // ESC alone reaches the pane only after tmux's escape-time; wait for the whole sequence.
    const got = await waitFor(async () => {
      const now = (await bytesSeen()).slice(before.length);
      return now.length >= bytes.length ? now : null;
    }, 15_000, `all bytes for ${key}`).catch(() => after.slice(before.length));
    assert.equal(got, bytes, `key ${key}`);
    assert.equal(await focusedTerminal(page), true, `the terminal keeps the focus after ${key}`);
  }
});

test('sticky Ctrl and Alt apply to the next key only, typed on the bar, the soft keyboard or a hardware one', async () => {
  const kb = await softKeyboard(page);
  const expectBytes = async (what: string, bytes: string, act: () => Promise<void>) => {
    const before = await bytesSeen();
    await act();
    const got = await waitFor(async () => {
      const now = (await bytesSeen()).slice(before.length);
      return now.length >= bytes.length ? now : null;
    }, 15_000, what);
    assert.equal(got, bytes, what);
  };
  await expectBytes('Ctrl + composed c', '<03>', async () => {
    await tapKey(page, 'ctrl');
    assert.equal(await page.getAttribute('#keybar .key[data-key="ctrl"]', 'aria-pressed'), 'true');
    await kb.key229();
    await kb.compose('c');
    await kb.commit('c');
  });
  assert.equal(await page.getAttribute('#keybar .key[data-key="ctrl"]', 'aria-pressed'), 'false', 'one-shot: released after one key');
  await expectBytes('then a plain d', '<64>', () => kb.commit('d'));
  await expectBytes('Ctrl + hardware w', '<17>', async () => {
    await tapKey(page, 'ctrl');
    await page.keyboard.press('w');
  });
  await expectBytes('Alt + b', '<1b><62>', async () => {
    await tapKey(page, 'alt');
    await kb.commit('b');
  });
  await expectBytes('Ctrl + the bar\'s Left', '<1b><5b><31><3b><35><44>', async () => {
    await tapKey(page, 'ctrl');
    await tapKey(page, 'Left');
  });
  await expectBytes('Ctrl locked (two taps) applies to every key until released', '<01><05>', async () => {
    await tapKey(page, 'ctrl');
    await tapKey(page, 'ctrl');
    await kb.commit('a');
    await kb.commit('e');
  });
  await tapKey(page, 'ctrl');
  assert.equal(await page.getAttribute('#keybar .key[data-key="ctrl"]', 'aria-pressed'), 'false', 'a third tap releases');
});

test('^C interrupts sleep 100 and the shell prompt returns', async () => {
  await openTerminalPage(page, daemon, '/s/keys/0');
  await page.tap('.term-host');
  await page.keyboard.type('sleep 100\n');
  await waitForCommand(tmux, '=keys:0', 'sleep', 20_000);
  await tapKey(page, '^C');
  await waitForCommand(tmux, '=keys:0', 'bash', 20_000); // back at the shell
  await waitFor(async () => (await paneLines(tmux, '=keys:0')).at(-1) === '$', 15_000, 'the prompt');
});

test('the arrows move in the shell history', async () => {
  await page.keyboard.type('echo first-$((40+1))\n');
  await waitFor(async () => (await paneLines(tmux, '=keys:0')).includes('first-41'), 15_000, 'first-41');
  await tapKey(page, 'Up');
  await waitFor(async () => (await paneLines(tmux, '=keys:0')).at(-1) === '$ echo first-$((40+1))', 15_000, 'the last command recalled');
  await tapKey(page, 'Left');
  await tapKey(page, 'Left');
  await page.keyboard.type('0');
  await tapKey(page, 'Enter');
  await waitFor(async () => (await paneLines(tmux, '=keys:0')).includes('first-50'), 15_000, 'the edited command ran: echo first-$((40+10))');
});

test('Esc leaves vim\'s insert mode', async () => {
  await page.keyboard.type('vim -u NONE -N\n');
  await waitForCommand(tmux, '=keys:0', 'vim', 20_000);
  await page.keyboard.type('ihello');
  await waitFor(async () => (await paneLines(tmux, '=keys:0')).some((l) => l.includes('-- INSERT --')), 15_000, 'insert mode');
  await tapKey(page, 'Escape');
  await waitFor(async () => !(await paneLines(tmux, '=keys:0')).some((l) => l.includes('-- INSERT --')), 15_000, 'normal mode');
  // In normal mode ":q!" quits; in insert mode it would be typed into the buffer.
  await page.keyboard.type(':q!\n');
  await waitForCommand(tmux, '=keys:0', 'bash', 20_000); // vim quit
});

test('the bar scrolls sideways below the terminal, and hiding it is remembered', async () => {
  const box = await page.evaluate(() => {
    const bar = document.querySelector('#keybar .keybar')!;
    return {
      scroll: bar.scrollWidth, client: bar.clientWidth,
      barTop: document.querySelector('#keybar')!.getBoundingClientRect().top,
      termBottom: document.querySelector('.term-frame')!.getBoundingClientRect().bottom,
    };
  });
  assert.ok(box.scroll > box.client, `the keys overflow and scroll sideways (${box.scroll} > ${box.client})`);
  assert.ok(box.barTop >= box.termBottom - 1, 'the bar sits under the terminal, never over it');
  const heights = await page.$$eval('#keybar .key', (els) => els.map((e) => e.getBoundingClientRect().height));
  assert.ok(heights.every((h) => h >= 44), `keys are at least 44 px tall: ${heights.join(', ')}`);

  await page.tap('#keybar .key-hide');
  assert.equal(await page.$('#keybar .keybar'), null, 'hidden');
  await page.reload();
  await waitFor(async () => (await page.$('.term-page[data-state="open"]')) !== null, 15_000, 'reloaded terminal');
  assert.equal(await page.$('#keybar .keybar'), null, 'still hidden after a reload');
  await page.tap('button[aria-label="More"]');
  await page.tap('.term-menu [data-action="keybar"]');
  assert.ok(await page.$('#keybar .keybar'), 'shown again from the menu');
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
});

/**
 * Typing from phone keyboards, in real Chromium (390x844, touch) against a
 * real daemon and tmux: the composition and input event sequences Android
 * keyboards send — word by word, a word reopened and corrected in place, a
 * backspace into a reopened word, a tapped suggestion, swipe typing, emoji,
 * a keyboard that does not compose — each produce exactly the intended line
 * in the shell, checked with tmux capture-pane.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import {
  launchChromium, loginWithLink, openTerminalPage, paneLines, PHONE, shellSession, softKeyboard, startDaemon, tempHome, watchPage,
} from '../helpers/browser.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const document: { activeElement: { className: string; value: string } | null };

const tmux = privateTmux();
await shellSession(tmux, 'type');
const daemon = await startDaemon({ tmux, home: tempHome() });
const browser = await launchChromium();
const ctx = await browser.newContext(PHONE);
const page = await ctx.newPage();
const watch = await watchPage(page);
await loginWithLink(page, daemon.loginUrl);
await openTerminalPage(page, daemon, '/s/type');
await waitFor(async () => (await paneLines(tmux, '=type:')).at(-1) === '$', 20_000, 'the prompt');
await page.tap('.term-host');
await waitFor(() => page.evaluate(() => document.activeElement?.className.includes('xterm-helper-textarea') ?? false), 15_000, 'the terminal focused');
const kb = await softKeyboard(page);

/**
 * Press Enter (the keyboard's own key) and expect the pane to end with the
 * command line `$ echo TEXT` (trailing blanks aside) and the output TEXT.
 */
async function expectLine(text: string): Promise<void> {
  // The command line is there already; after Enter come its output and a new prompt.
  const before = (await paneLines(tmux, '=type:', { history: true })).length;
  await page.keyboard.press('Enter');
  const lines = await waitFor(async () => {
    const l = await paneLines(tmux, '=type:', { history: true });
    return l.length >= before + 2 && l.at(-1) === '$' ? l : null;
  }, 20_000, `the output of echo ${text}`);
  assert.equal(lines.at(-3), `$ echo ${text}`.trimEnd(), 'the command line, exactly');
  assert.equal(lines.at(-2), text.trim(), 'the output, exactly');
  assert.equal(await page.evaluate(() => document.activeElement?.value ?? null), '', 'the textarea is emptied after Enter');
}

test('word by word, as Gboard sends it (keydown 229, growing compositions, commit, space)', async () => {
  for (const w of ['echo', 'hello', 'world']) {
    await kb.word(w);
    await kb.key229();
    await kb.commit(' ');
    await kb.key229('keyUp');
  }
  await expectLine('hello world ');
});

test('an autocorrected word: the keyboard reopens a sent word and replaces it in place', async () => {
  await kb.word('echo');
  await kb.commit(' ');
  await kb.word('wrold');
  await kb.commit(' ');
  // "echo wrold |": the keyboard takes "wrold" (5..10) back as a composition and corrects it.
  await kb.compose('world', [5, 10]);
  await kb.commit('world');
  await expectLine('world ');
});

test('backspace into a word the keyboard reopens leaves no stray letters', async () => {
  await kb.word('echo');
  await kb.commit(' ');
  await kb.word('helllo');
  await kb.commit(' ');
  await kb.deleteBackward(); // the space
  await kb.compose('helllo', [5, 11]); // Gboard reopens the word before the cursor
  await kb.compose('hellll'.slice(0, 5)); // backspace inside the composition: "helll"
  await kb.compose('hell');
  await kb.compose('hello');
  await kb.commit('hello');
  await expectLine('hello');
});

test('a tapped spelling suggestion (insertReplacementText) replaces the word once', async () => {
  await kb.commit('echo');
  await kb.commit(' ');
  await kb.commit('teh');
  await kb.replace(5, 8, 'the');
  await kb.commit(' ');
  await kb.commit('end');
  await expectLine('the end');
});

test('swipe typing: whole words at once, spaces committed between them', async () => {
  for (const [i, w] of ['echo', 'swiped', 'words'].entries()) {
    if (i > 0) await kb.commit(' ');
    await kb.compose(w);
    await kb.commit(w);
  }
  await expectLine('swiped words');
});

test('accents and emoji arrive as UTF-8, and a backspace erases a whole emoji', async () => {
  await kb.word('echo');
  await kb.commit(' ');
  await kb.word('héllo');
  await kb.commit(' ');
  await kb.commit('👍');
  await kb.commit('🎉');
  await kb.deleteBackward();
  await expectLine('héllo 👍');
});

test('a keyboard that does not compose (keydown 229 + insertText per letter) sends each letter once', async () => {
  for (const ch of 'echo once') {
    await kb.key229();
    await kb.commit(ch);
    await kb.key229('keyUp');
  }
  await expectLine('once');
});

test('text typed with key events (a hardware keyboard on the phone) is not doubled', async () => {
  await page.keyboard.type('echo keys and spaces');
  await expectLine('keys and spaces');
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual(watch.errors, []);
});

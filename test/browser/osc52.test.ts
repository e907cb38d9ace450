/**
 * OSC 52 end to end, in real Chromium against a real daemon and tmux: a
 * program in the session asks for the clipboard (never answered: nothing
 * goes back into the session) and sets it (small writes and one of exactly
 * OSC52_MAX_BYTES land; one byte more, malformed writes, writes that are
 * not UTF-8, and writes with no key press just before, are refused).
 *
 * The program's sequences reach the page through tmux passthrough
 * (`allow-passthrough on`, `ESC P tmux; ... ESC \`), which hands the outer
 * terminal exactly the bytes the program wrote. tmux's own clipboard
 * forwarding (`set-clipboard on`) would not do: tmux decodes a write itself,
 * drops what it cannot decode and sends a fresh one, so the page's checks
 * would never see a malformed write. Whether the page answered cannot be
 * seen from the pane either: tmux 3.3a swallows the outer terminal's
 * replies (device attributes, clipboard). So the page's side is watched
 * directly: every frame it sends and gets (Playwright's `framesent`,
 * `framereceived`), and every call it makes to
 * `navigator.clipboard.writeText` (recorded, then passed on to the real
 * clipboard, whose content is checked too).
 *
 * Each case ends with a device-attributes query (DA1, `ESC [ c`) that
 * xterm.js does answer, and the page must have received the case's whole
 * sequence unbroken: its DA1 reply among the frames sent then proves the
 * page parsed the sequence before it, so "no reply" and "no clipboard
 * write" mean refused, not lost.
 *
 * The page is watched through its own CDP session with `userGesture: false`:
 * Playwright's `page.evaluate` runs as a user gesture, which would give the
 * page the user activation the "no key press" case is about.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { launchChromium, loginWithLink, openTerminalPage, startDaemon, tempHome, waitForScreen, watchPage } from '../helpers/browser.js';
import { ACK_STEP_BYTES } from '../../src/shared/protocol.js';
import { OSC52_MAX_BYTES } from '../../src/web/terminal/osc52.js';

// In-page code (page.evaluate, addInitScript) sees the browser's globals; declared for this file only.
declare const window: Record<string, unknown>;
declare const navigator: { clipboard: { readText(): Promise<string>; writeText(t: string): Promise<void> } };

const osc52 = (payload: string) => `\x1b]52;${payload}\x07`;
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const DA1_QUERY = '\x1b[c';
/** xterm.js's answer to DA1 ("VT100 with advanced video"). */
const DA1_REPLY = '\x1b[?1;2c';
/** An OUTPUT frame holding only CAN: the daemon dropped output (flow control) and redraws. */
const isCancel = (p: Buffer) => p.length === 2 && p[0] === 0x21 && p[1] === 0x18;

/** Exactly OSC52_MAX_BYTES of UTF-8 in about a third as many characters: the limit counts bytes. */
const AT_LIMIT = `${'€'.repeat(Math.floor(OSC52_MAX_BYTES / 3))}${'x'.repeat(OSC52_MAX_BYTES % 3)}`;
assert.equal(Buffer.byteLength(AT_LIMIT), OSC52_MAX_BYTES);
const SMALL = 'small write ✓ from the pane';
const SECRET = 'SECRET-ON-THE-CLIPBOARD';

/** What the program in the pane writes for each key (the whole OSC 52 sequence, before passthrough). */
const CASES: Record<string, string> = {
  r: osc52('c;?'),
  s: osc52('s0;?'),
  w: osc52(`c;${b64(SMALL)}`),
  l: osc52(`c;${b64(AT_LIMIT)}`),
  o: osc52(`c;${b64(`${AT_LIMIT}x`)}`),
  m: osc52('c;not*base64!'),
  j: osc52('nosemicolon'),
  u: osc52(`c;${b64(new Uint8Array([0x66, 0x6f, 0x6f, 0xff, 0xfe, 0xc3]))}`),
  a: osc52(`c;${b64('written with no key press just before')}`),
};

/**
 * The program in the pane (node, raw tty): a case's key makes it write that
 * case's sequence, then the DA1 query, each wrapped for tmux passthrough
 * (ESC doubled). Input holding an ESC (a terminal reply tmux let through)
 * is not a key and is ignored.
 */
const PROGRAM = `
const cases = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
const pt = (s) => '\\x1bPtmux;' + s.replaceAll('\\x1b', '\\x1b\\x1b') + '\\x1b\\\\';
process.stdin.setRawMode(true);
process.stdin.on('data', (d) => {
  const k = d.toString('latin1');
  if (k.includes('\\x1b')) return;
  for (const c of k) if (cases[c] !== undefined) process.stdout.write(pt(cases[c]) + pt(${JSON.stringify(DA1_QUERY)}));
});
process.stdout.write('OSC52-PROGRAM-READY\\r\\n');
`;

const home = tempHome();
const casesFile = join(home, 'osc52-cases.json');
writeFileSync(casesFile, JSON.stringify(CASES), { mode: 0o600 });
const tmux = privateTmux();
await tmux.run('new-session', '-d', '-s', 'clip', '-x', '80', '-y', '24', process.execPath, '-e', PROGRAM, casesFile);
await tmux.run('set-option', '-g', 'allow-passthrough', 'on');
const daemon = await startDaemon({ tmux, home });
const browser = await launchChromium();
const ctx = await browser.newContext({ viewport: { width: 1000, height: 700 } });
await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: daemon.url });
const page = await ctx.newPage();
const watch = await watchPage(page);
// Every clipboard write the page asks for, in order, before it goes to the real clipboard.
await page.addInitScript(() => {
  const asked: string[] = [];
  window['__clipboardWrites'] = asked;
  const real = navigator.clipboard.writeText.bind(navigator.clipboard);
  navigator.clipboard.writeText = (t: string) => {
    asked.push(t);
    return real(t);
  };
});

/** What the page sent (INPUT bytes, latin1) and received (OUTPUT bytes), the bytes it acknowledged, and the CAN frames it got. */
const seen = { input: '', output: '', outputBytes: 0, acked: 0, cancels: 0 };
page.on('websocket', (ws) => {
  ws.on('framesent', (f) => {
    if (typeof f.payload === 'string') return;
    if (f.payload[0] === 0x11) seen.input += f.payload.subarray(1).toString('latin1');
    if (f.payload[0] === 0x13) seen.acked += (JSON.parse(f.payload.subarray(1).toString()) as { bytes: number }).bytes;
  });
  ws.on('framereceived', (f) => {
    if (typeof f.payload === 'string' || f.payload[0] !== 0x21) return;
    if (isCancel(f.payload)) seen.cancels++;
    seen.output += f.payload.subarray(1).toString('latin1');
    seen.outputBytes += f.payload.length - 1;
  });
});

await loginWithLink(page, daemon.loginUrl);
await openTerminalPage(page, daemon, '/s/clip');
await waitForScreen(page, /OSC52-PROGRAM-READY/);

const cdp = await ctx.newCDPSession(page);
/** Evaluate `expression` in the page, not as a user gesture; resolves with its (awaited) value. */
async function inPage<T>(expression: string): Promise<T> {
  const r = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, userGesture: false });
  if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
  return r.result.value as T;
}
const clipboardWrites = () => inPage<string[]>('[...window.__clipboardWrites]');
const clipboard = () => inPage<string>('navigator.clipboard.readText()');
const activated = () => inPage<boolean>('navigator.userActivation.isActive');

interface Outcome {
  /** What the page typed into the session meanwhile (INPUT frames). */
  input: string;
  /** The clipboard writes the page asked for meanwhile. */
  writes: string[];
}

/**
 * Run one case: once the page has acknowledged what it got (so the whole
 * sequence fits under the daemon's flow-control mark), `trigger` has the
 * program write the case's sequence and the DA1 query; resolves once the
 * page received the sequence unbroken and answered the query.
 */
async function run(key: string, trigger: (k: string) => Promise<unknown> = (k) => page.keyboard.press(k)): Promise<Outcome> {
  await waitFor(() => seen.outputBytes - seen.acked < ACK_STEP_BYTES, 15_000, 'the page to acknowledge its output');
  const inputFrom = seen.input.length;
  const outputFrom = seen.output.length;
  const cancels = seen.cancels;
  const writesFrom = (await clipboardWrites()).length;
  await trigger(key);
  await waitFor(() => seen.input.slice(inputFrom).includes(DA1_REPLY), 15_000, `the page's DA1 reply after case ${key}`);
  assert.equal(seen.cancels, cancels, `case ${key}: the daemon dropped no output`);
  assert.ok(seen.output.slice(outputFrom).includes(CASES[key]!), `case ${key}: the page received the whole sequence unbroken`);
  return { input: seen.input.slice(inputFrom), writes: (await clipboardWrites()).slice(writesFrom) };
}

/** Put `text` on the real clipboard (through the page, which has the permission). */
async function seed(text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  assert.equal(await clipboard(), text);
}

test('clipboard reads (c;? and s0;?) are parsed and never answered: nothing goes back into the session', async () => {
  await seed(SECRET);
  await page.click('.term-host');
  for (const key of ['r', 's']) {
    const { input, writes } = await run(key);
    assert.equal(input, `${key}${DA1_REPLY}`, `case ${key}: only the key and the DA1 reply were sent`);
    assert.deepEqual(writes, []);
  }
  assert.ok(!seen.input.includes('52;'), 'no OSC 52 reply ever left the page');
  assert.ok(!seen.input.includes(b64(SECRET)) && !seen.input.includes(SECRET), 'the clipboard never went into the session');
  assert.equal(await clipboard(), SECRET);
});

test('a small write right after a key press lands on the clipboard', async () => {
  await seed('BEFORE-SMALL');
  const { writes } = await run('w');
  assert.deepEqual(writes, [SMALL]);
  await waitFor(async () => (await clipboard()) === SMALL, 10_000, 'the small write on the clipboard');
});

test('a write of exactly OSC52_MAX_BYTES bytes lands; one byte more is refused', async () => {
  await seed('BEFORE-LIMIT');
  const atLimit = await run('l');
  assert.equal(atLimit.writes.length, 1, 'the write at the limit was asked for');
  assert.ok(atLimit.writes[0] === AT_LIMIT, 'the write at the limit is the text the program sent');
  await waitFor(async () => (await clipboard()) === AT_LIMIT, 10_000, 'the write at the limit on the clipboard');

  await seed('BEFORE-OVERSIZED');
  const over = await run('o');
  assert.deepEqual(over.writes, [], 'no write asked for');
  assert.equal(await clipboard(), 'BEFORE-OVERSIZED');
});

test('malformed writes and writes that are not UTF-8 are refused', async () => {
  for (const key of ['m', 'j', 'u']) {
    await seed(`BEFORE-${key}`);
    const { writes, input } = await run(key);
    assert.deepEqual(writes, [], `case ${key}: no write asked for`);
    assert.equal(input, `${key}${DA1_REPLY}`, `case ${key}: nothing reflected`);
    assert.equal(await clipboard(), `BEFORE-${key}`);
  }
});

test('a write with no key press or click just before is refused', async () => {
  await seed('BEFORE-IDLE');
  // The activation of the last key press (or of the seeding, a gesture) runs out: Chromium keeps it 5 s.
  await waitFor(async () => !(await activated()), 15_000, 'the page\'s user activation to run out');
  // The key reaches the program from tmux, not from the page.
  const { writes } = await run('a', (k) => tmux.run('send-keys', '-t', '=clip:', k));
  assert.deepEqual(writes, []);
  assert.equal(await clipboard(), 'BEFORE-IDLE');
});

test('the page stayed clean: no OSC 52 reply ever sent, no page errors, no CSP reports', async () => {
  assert.ok(!seen.input.includes(']52'));
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(await watch.csp(), []);
});

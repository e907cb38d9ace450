/**
 * Who sizes a window several devices show (src/server/terminal/sizing.ts),
 * with real WebSocket clients of a real daemon on real tmux: opening,
 * reconnecting, resizing and switching windows on one device never change
 * the size another device sees; FIT (which a page sends before the first
 * key it types) does. The browser version, with a desktop and a phone in
 * Chromium, is test/browser/phone-sizes.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TermClient } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession, newWindow } from '../../src/tmux/index.js';
import type { WindowSize } from '../../src/shared/protocol.js';

const DESK = 'desktop-device-1';
const PHONE = 'phone-device-0001';

const s = await startServer();
const id = await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
await newWindow(s.tmux.client, { session: id, command: ['sh'], detached: true });
const cookie = await s.login();
const size = async (w: string) => (await s.tmux.run('display-message', '-p', '-t', `${id}:${w}`, '#{window_width}x#{window_height}')).trim();
/**
 * Window `w` is `want` x, once the daemon has acted on everything before
 * (its sizing queue is empty). Callers first wait for tmux to have what they
 * did (a client drawn, a client's new size), so a change would show here.
 */
async function stays(w: string, want: string, what: string): Promise<void> {
  await waitFor(async () => (await size(w)) === want, 15_000, `${what}: ${want}`);
  await s.daemon.terminals.sizing.settled();
  assert.equal(await size(w), want, what);
}
/** The client has drawn: its tmux client is attached. */
const drawn = (c: TermClient) => waitFor(() => c.outputBytes > 0, 15_000, 'first output');
/** tmux has a client of `cols` x `rows`: a RESIZE reached the server. */
const clientAt = (cols: number, rows: number) => waitFor(async () => (await s.tmux.run('list-clients', '-F', '#{client_width}x#{client_height}')).split('\n').includes(`${cols}x${rows}`), 15_000, `a client of ${cols}x${rows}`);
/** The latest size a client was told (HELLO, then VIEWs). */
function told(c: TermClient): WindowSize | undefined {
  let last: WindowSize | undefined;
  for (const f of c.frames) if ((f.type === 'hello' || f.type === 'view') && f.size) last = f.size;
  return last;
}
const open = (device: string, cols: number, rows: number, window = '0') => s.terminal('main', { cookie, device, cols, rows, window });

test('the first device alone sizes the window; a second one only looks', async () => {
  const desk = await open(DESK, 150, 40);
  assert.equal((await desk.hello()).size?.sizer, true);
  await stays('0', '150x39', 'the desktop sizes window 0');
  const phone = await open(PHONE, 40, 20);
  const hello = await phone.hello();
  assert.deepEqual(hello.size, { cols: 150, rows: 40, status: 1, sizer: false }, 'the phone is told to show the desktop\'s window whole (150x39 and its status line)');
  await drawn(phone);
  await stays('0', '150x39', 'the phone opening changed nothing');
  // Turning the phone, its key bar, its own RESIZE: nothing.
  phone.send({ type: 'resize', cols: 20, rows: 35 });
  phone.type('x');
  await clientAt(20, 35);
  await stays('0', '150x39', 'a resize (and input without FIT) changed nothing');
  phone.ws.close();
  await phone.waitClosed();
  const again = await open(PHONE, 40, 20);
  assert.equal((await again.hello()).size?.sizer, false);
  await drawn(again);
  await stays('0', '150x39', 'the phone reconnecting changed nothing');

  // FIT: the phone takes the window; the desktop is told.
  again.send({ type: 'fit' });
  again.send({ type: 'resize', cols: 40, rows: 20 });
  await stays('0', '40x19', 'FIT gives the phone the window');
  await waitFor(() => told(desk)?.sizer === false && told(desk)?.cols === 40 ? true : null, 15_000, 'the desktop told: another device sizes it');
  assert.equal(told(again)?.sizer, true);
  // The desktop reloading, or resizing, changes nothing now.
  desk.send({ type: 'resize', cols: 160, rows: 45 });
  await clientAt(160, 45);
  await stays('0', '40x19', 'the desktop resizing changed nothing');
  desk.ws.close();
  await desk.waitClosed();
  const desk2 = await open(DESK, 150, 40);
  assert.equal((await desk2.hello()).size?.sizer, false);
  await drawn(desk2);
  await stays('0', '40x19', 'the desktop reconnecting changed nothing');

  // The phone leaves: the window keeps its size for the desktop until the desktop asks.
  again.ws.close();
  await again.waitClosed();
  await stays('0', '40x19', 'the sizer leaving changes nothing');
  assert.equal(s.daemon.terminals.sizing.stateOf(await windowId('0'))?.held, true, 'held at its size meanwhile');
  desk2.send({ type: 'fit' });
  // As a page does once it sizes the window: its terminal fits its screen again.
  desk2.send({ type: 'resize', cols: 150, rows: 40 });
  await stays('0', '150x39', 'the desktop takes it back');
  await waitFor(() => told(desk2)?.sizer === true ? true : null, 15_000, 'the desktop told it sizes the window');
  assert.equal((await s.tmux.run('show-options', '-wv', '-t', await windowId('0'), '@roost_sizer')).trim(), DESK, 'the sizer is kept on the window');
  desk2.ws.close();
  await desk2.waitClosed();
});

test('switching windows never resizes the window left or the one arrived at', async () => {
  const desk = await open(DESK, 150, 40);
  await desk.hello();
  await stays('0', '150x39', 'desktop on window 0');
  const phone = await open(PHONE, 40, 20, '1');
  await phone.hello();
  await drawn(phone);
  await stays('1', '40x19', 'the phone alone on window 1 sizes it');
  phone.send({ type: 'select', window: '0' });
  await waitFor(() => told(phone)?.sizer === false && told(phone)?.cols === 150 ? true : null, 15_000, 'the phone told it shows the desktop\'s window');
  await stays('0', '150x39', 'the phone arriving on window 0 changed nothing');
  desk.send({ type: 'select', window: '1' });
  await waitFor(() => told(desk)?.sizer === false ? true : null, 15_000, 'the desktop on the phone\'s window');
  await stays('1', '40x19', 'the desktop arriving on window 1 changed nothing');
  await stays('0', '150x39', 'window 0, now without its sizer, is held');
  desk.send({ type: 'select', window: '0' });
  await waitFor(() => told(desk)?.sizer === true ? true : null, 15_000, 'back on its own window');
  desk.send({ type: 'resize', cols: 140, rows: 40 });
  await stays('0', '140x39', 'its sizer resizes window 0 again');
});

async function windowId(w: string): Promise<string> {
  return (await s.tmux.run('display-message', '-p', '-t', `${id}:${w}`, '#{window_id}')).trim();
}

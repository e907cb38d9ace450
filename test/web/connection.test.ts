import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACK_STEP_BYTES, decodeClient, encodeServer, INPUT_CHUNK_BYTES, PROTOCOL_VERSION, type ClientMsg, type ServerMsg,
} from '../../src/shared/protocol.js';
import { NO_ANSWER_MS, type ConnectionState } from '../../src/web/terminal/connection-link.js';
import { TerminalConnection } from '../../src/web/terminal/connection.js';
import { ManualClock, settle, SocketLog, type FakeSocket } from './fakes.js';

interface Write {
  data: Uint8Array;
  done: () => void;
}

function setup(opts: { window?: string | null; auth?: 'ok' | 'unauthorized' | 'unknown'; device?: string } = {}) {
  const clock = new ManualClock();
  const sockets = new SocketLog();
  const writes: Write[] = [];
  const screen: string[] = [];
  const states: ConnectionState[] = [];
  const events: string[] = [];
  let authChecks = 0;
  const size = { cols: 120, rows: 40 };
  const conn = new TerminalConnection({
    session: 'work',
    window: opts.window ?? null,
    ...(opts.device ? { device: opts.device } : {}),
    openSocket: sockets.open,
    checkAuth: async () => {
      authChecks++;
      return opts.auth ?? 'ok';
    },
    clock,
    sink: {
      write: (data, done) => {
        writes.push({ data, done });
        screen.push(`write:${data.length}`);
      },
      reset: () => screen.push('reset'),
      size: () => size,
    },
    events: {
      onState: (s) => states.push(s),
      onHello: (h) => events.push(`hello:${h.readOnly}:${h.window}`),
      onView: (v) => events.push(`view:${v.window}:${v.scrolled}`),
      onRenamed: (name) => events.push(`renamed:${name}`),
      onSize: (z) => events.push(`size:${z.cols}x${z.rows}:${z.sizer}`),
      onTitle: (t) => events.push(`title:${t}`),
      onError: (c, m) => events.push(`error:${c}:${m}`),
      onExit: (r) => events.push(`exit:${r}`),
      onUnauthorized: () => events.push('unauthorized'),
    },
  });
  return { clock, sockets, writes, screen, states, events, conn, size, authChecks: () => authChecks };
}

const serve = (s: FakeSocket, msg: ServerMsg) => s.handlers.message(encodeServer(msg));
const hello = (s: FakeSocket, readOnly = false, window: string | null = '0') =>
  serve(s, { type: 'hello', v: PROTOCOL_VERSION, readOnly, session: 'work', window });
const sent = (s: FakeSocket): ClientMsg[] => s.sent.map((d) => {
  assert.ok(d instanceof Uint8Array, 'terminal frames are binary');
  return decodeClient(d);
});

function openConnected(o: Parameters<typeof setup>[0] = {}) {
  const t = setup(o);
  t.conn.start();
  t.sockets.last.handlers.open();
  hello(t.sockets.last);
  return t;
}

test('a fit between our HELLO and the daemon\'s is sent once the daemon answers; none when nothing changed or read-only', () => {
  const t = setup();
  t.conn.start();
  const s = t.sockets.last;
  s.handlers.open();
  t.size.rows = 36; // the key bar appeared
  t.conn.resize(120, 36); // too early: not open yet
  hello(s);
  assert.deepEqual(sent(s).slice(1), [{ type: 'resize', cols: 120, rows: 36 }]);

  const same = openConnected();
  assert.deepEqual(sent(same.sockets.last).map((m) => m.type), ['hello']);

  const ro = setup();
  ro.conn.start();
  ro.sockets.last.handlers.open();
  ro.size.cols = 80;
  hello(ro.sockets.last, true);
  assert.deepEqual(sent(ro.sockets.last).map((m) => m.type), ['hello']);
});

test('opens /api/terminal for the session and window, and says HELLO with the screen size', () => {
  const t = setup({ window: '2' });
  t.conn.start();
  const s = t.sockets.last;
  assert.equal(s.path, '/api/terminal?session=work&window=2');
  assert.equal(s.sent.length, 0, 'nothing before the socket opens');
  s.handlers.open();
  assert.deepEqual(sent(s), [{ type: 'hello', v: PROTOCOL_VERSION, cols: 120, rows: 40 }]);
  assert.deepEqual(t.states, ['connecting']);
  hello(s);
  assert.deepEqual(t.states, ['connecting', 'open']);
  assert.deepEqual(t.events, ['hello:false:0']);
});

test('output is acknowledged from the write callback, in steps of ACK_STEP_BYTES', () => {
  const t = openConnected();
  const s = t.sockets.last;
  const piece = 2000;
  for (let i = 0; i < 3; i++) serve(s, { type: 'output', data: new Uint8Array(piece) });
  assert.equal(t.writes.length, 3);
  assert.equal(sent(s).filter((m) => m.type === 'ack').length, 0, 'nothing is acknowledged before it is rendered');
  t.writes[0]!.done();
  t.writes[1]!.done();
  assert.equal(sent(s).filter((m) => m.type === 'ack').length, 0, '4000 bytes is below one step');
  t.writes[2]!.done();
  const acks = sent(s).filter((m) => m.type === 'ack');
  assert.deepEqual(acks, [{ type: 'ack', bytes: 3 * piece }]);
  assert.ok(3 * piece >= ACK_STEP_BYTES);
});

test('typing is sent as INPUT, a big paste in chunks of INPUT_CHUNK_BYTES; resize and select as control frames', () => {
  const t = openConnected();
  const s = t.sockets.last;
  assert.equal(t.conn.sendInput(new TextEncoder().encode('ls\r')), true);
  const paste = new Uint8Array(INPUT_CHUNK_BYTES * 2 + 10).fill(0x61);
  t.conn.sendInput(paste);
  t.conn.resize(100, 30);
  t.conn.select('3');
  const msgs = sent(s).slice(1);
  assert.deepEqual(msgs.map((m) => m.type), ['input', 'input', 'input', 'input', 'resize', 'select']);
  assert.equal(new TextDecoder().decode((msgs[0] as { data: Uint8Array }).data), 'ls\r');
  assert.deepEqual(msgs.slice(1, 4).map((m) => (m as { data: Uint8Array }).data.length), [INPUT_CHUNK_BYTES, INPUT_CHUNK_BYTES, 10]);
  assert.deepEqual(msgs[4], { type: 'resize', cols: 100, rows: 30 });
  assert.deepEqual(msgs[5], { type: 'select', window: '3' });
  assert.equal(t.conn.window, '3');
});

test('a read-only view sends no input and no resize, and switches windows by reconnecting', () => {
  const t = setup();
  t.conn.start();
  const s = t.sockets.last;
  s.handlers.open();
  hello(s, true);
  assert.equal(t.conn.readOnly, true);
  assert.equal(t.conn.sendInput(new Uint8Array([0x61])), false);
  t.conn.resize(90, 20);
  assert.deepEqual(sent(s).map((m) => m.type), ['hello']);
  t.conn.select('1');
  assert.equal(s.closedByClient, true);
  assert.equal(t.sockets.last.path, '/api/terminal?session=work&window=1');
  assert.deepEqual(sent(s).map((m) => m.type), ['hello'], 'no SELECT from a read-only view');
});

test('input before HELLO or while reconnecting is dropped, not queued', () => {
  const t = setup();
  t.conn.start();
  t.sockets.last.handlers.open();
  assert.equal(t.conn.sendInput(new Uint8Array([0x61])), false);
  hello(t.sockets.last);
  t.sockets.last.handlers.close(1006, '');
  assert.equal(t.conn.sendInput(new Uint8Array([0x62])), false);
  assert.deepEqual(sent(t.sockets.last).map((m) => m.type), ['hello']);
});

test('after a drop: "reconnecting", a retry with backoff, one live socket, and the screen is reset before the redraw', async () => {
  const t = openConnected();
  const first = t.sockets.last;
  serve(first, { type: 'output', data: new Uint8Array(10) });
  first.handlers.close(1006, '');
  assert.equal(t.states.at(-1), 'reconnecting');
  assert.equal(t.sockets.sockets.length, 1, 'no retry before the delay');
  t.clock.advance(t.clock.pending()[0]!);
  assert.equal(t.sockets.sockets.length, 2);
  // The first attempt is refused (daemon still down).
  t.sockets.last.handlers.close(1006, '');
  await settle();
  assert.equal(t.authChecks(), 1, 'a refused attempt checks the login');
  t.clock.advance(t.clock.pending()[0]!);
  const next = t.sockets.last;
  assert.equal(t.sockets.sockets.length, 3);
  assert.deepEqual(t.sockets.live(), [next]);
  next.handlers.open();
  hello(next);
  serve(next, { type: 'output', data: new Uint8Array(20) });
  assert.deepEqual(t.screen, ['write:10', 'reset', 'write:20']);
  assert.equal(t.states.at(-1), 'open');
  assert.equal(t.conn.sendInput(new Uint8Array([0x61])), true);
  assert.equal(sent(next).at(-1)?.type, 'input');
});

test('write callbacks of an old socket never acknowledge on the new one', () => {
  const t = openConnected();
  const first = t.sockets.last;
  serve(first, { type: 'output', data: new Uint8Array(ACK_STEP_BYTES) });
  first.handlers.close(1006, '');
  t.clock.advance(t.clock.pending()[0]!);
  const next = t.sockets.last;
  next.handlers.open();
  hello(next);
  t.writes[0]!.done();
  assert.deepEqual(sent(next).map((m) => m.type), ['hello']);
  assert.deepEqual(sent(first).map((m) => m.type), ['hello']);
});

test('a refused attempt with an expired login goes to the login page and stops retrying', async () => {
  const t = setup({ auth: 'unauthorized' });
  t.conn.start();
  t.sockets.last.handlers.close(1006, '');
  await settle();
  assert.deepEqual(t.events, ['unauthorized']);
  assert.equal(t.states.at(-1), 'closed');
  t.clock.advance(60_000);
  assert.equal(t.sockets.sockets.length, 1);
});

test('wake retries at once while waiting, and replaces an open socket only when forced', () => {
  const t = openConnected();
  t.conn.wake(false);
  assert.equal(t.sockets.sockets.length, 1, 'a plain wake keeps a working socket');
  t.conn.wake(true);
  assert.equal(t.sockets.sockets.length, 2);
  assert.deepEqual(t.sockets.live(), [t.sockets.last]);
  t.sockets.last.handlers.close(1006, '');
  assert.equal(t.states.at(-1), 'reconnecting');
  t.conn.wake(false);
  assert.equal(t.sockets.sockets.length, 3, 'no waiting out the backoff');
});

test('typed input and no word from the daemon for NO_ANSWER_MS: the socket is replaced; any answer, or input the terminal sent itself, keeps it', () => {
  const t = openConnected();
  const key = new TextEncoder().encode('a');
  t.conn.sendInput(key, true);
  serve(t.sockets.last, { type: 'output', data: key }); // the echo
  t.clock.advance(NO_ANSWER_MS * 2);
  assert.equal(t.sockets.sockets.length, 1, 'answered: kept');
  t.conn.sendInput(new TextEncoder().encode('\x1b[0n'), false); // the terminal's own reply: no echo expected
  t.clock.advance(NO_ANSWER_MS * 2);
  assert.equal(t.sockets.sockets.length, 1, 'not typed: kept');
  t.conn.sendInput(key, true);
  t.clock.advance(NO_ANSWER_MS - 1);
  assert.equal(t.sockets.sockets.length, 1, 'not yet');
  t.clock.advance(1);
  assert.equal(t.sockets.sockets.length, 2, 'silent after typing: replaced');
  assert.deepEqual(t.sockets.live(), [t.sockets.last]);
});

test('TITLE, ERROR and EXIT reach the page; after EXIT nothing reconnects until restart()', () => {
  const t = openConnected();
  const s = t.sockets.last;
  serve(s, { type: 'title', title: 'vim' });
  serve(s, { type: 'error', code: 'x', message: 'bad thing' });
  serve(s, { type: 'exit', reason: 'session killed' });
  assert.deepEqual(t.events.slice(1), ['title:vim', 'error:x:bad thing', 'exit:session killed']);
  assert.equal(t.states.at(-1), 'ended');
  assert.equal(s.closedByClient, true);
  t.clock.advance(60_000);
  assert.equal(t.sockets.sockets.length, 1);
  t.conn.restart();
  assert.equal(t.sockets.sockets.length, 2);
});

test('a malformed frame is reported and the socket replaced; a newer protocol version stops', () => {
  const t = openConnected();
  t.sockets.last.handlers.message(new Uint8Array([0x7f]));
  assert.match(t.events.at(-1)!, /^error:protocol:/);
  assert.equal(t.sockets.last.closedByClient, true);
  t.clock.advance(t.clock.pending()[0]!);
  const s = t.sockets.last;
  s.handlers.open();
  serve(s, { type: 'hello', v: PROTOCOL_VERSION + 1, readOnly: false, session: 'work', window: null });
  assert.match(t.events.at(-1)!, /^error:version:/);
  assert.equal(t.states.at(-1), 'closed');
  t.clock.advance(60_000);
  assert.equal(t.sockets.sockets.length, 2);
});

test('dispose closes the socket and cancels any retry', () => {
  const t = openConnected();
  t.sockets.last.handlers.close(1006, '');
  t.conn.dispose();
  t.clock.advance(60_000);
  assert.equal(t.sockets.sockets.length, 1);
  assert.deepEqual(t.sockets.live(), []);
});

test('close code 4401 (login ended) goes to login at once; 4404 (no session) ends with the daemon\'s reason', () => {
  const a = openConnected();
  a.sockets.last.handlers.close(4401, 'logout');
  assert.deepEqual(a.events.slice(1), ['unauthorized']);
  assert.equal(a.authChecks(), 0);
  a.clock.advance(60_000);
  assert.equal(a.sockets.sockets.length, 1);

  const b = setup();
  b.conn.start();
  const s = b.sockets.last;
  s.handlers.open();
  serve(s, { type: 'error', code: 'no-session', message: 'no session named work' });
  s.handlers.close(4404, 'no-session');
  assert.deepEqual(b.events, ['error:no-session:no session named work', 'exit:no session named work']);
  assert.equal(b.states.at(-1), 'ended');
  b.clock.advance(60_000);
  assert.equal(b.sockets.sockets.length, 1, 'no retry for a session that does not exist');
});

test('a rename in VIEW reaches the page, and the next socket asks for the new name', () => {
  const t = openConnected({ window: '0' });
  const s = t.sockets.last;
  assert.equal(s.path, '/api/terminal?session=work&window=0');
  serve(s, { type: 'view', window: '0', scrolled: false, session: 'play' });
  assert.deepEqual(t.events.slice(1), ['renamed:play'], 'a rename alone is no move: no onView');
  assert.equal(t.conn.session, 'play');
  serve(s, { type: 'view', window: '0', scrolled: false });
  assert.deepEqual(t.events.slice(1), ['renamed:play'], 'a VIEW without session changes no name');
  s.handlers.close(1001, 'the daemon is stopping');
  t.clock.advance(t.clock.pending()[0]!);
  assert.equal(t.sockets.last.path, '/api/terminal?session=play&window=0');
});

test('rename(): a terminal that ended for want of its old name connects again by the new one; any other ending stays', () => {
  const t = openConnected();
  t.sockets.last.handlers.close(1006, '');
  t.clock.advance(t.clock.pending()[0]!);
  const s = t.sockets.last;
  s.handlers.open();
  serve(s, { type: 'error', code: 'no-session', message: 'no session named work' });
  s.handlers.close(4404, 'no-session');
  assert.equal(t.states.at(-1), 'ended');
  t.conn.rename('play');
  assert.equal(t.sockets.sockets.length, 3);
  assert.equal(t.sockets.last.path, '/api/terminal?session=play&window=0');

  const e = openConnected();
  serve(e.sockets.last, { type: 'exit', reason: 'the session ended' });
  e.conn.rename('play');
  assert.equal(e.sockets.sockets.length, 1, 'an ended session is not brought back by a name');
});

test('rename() while an attempt by the old name is on its way: its 4404 does not end the terminal, the next attempt asks for the new name', () => {
  const t = openConnected();
  t.sockets.last.handlers.close(1006, '');
  t.clock.advance(t.clock.pending()[0]!);
  const s = t.sockets.last;
  assert.equal(s.path, '/api/terminal?session=work&window=0');
  // The listing names the session's new name before the daemon answers the attempt by its old one.
  t.conn.rename('play');
  s.handlers.open();
  serve(s, { type: 'error', code: 'no-session', message: 'no session named work' });
  s.handlers.close(4404, 'no-session');
  assert.notEqual(t.states.at(-1), 'ended');
  t.clock.advance(t.clock.pending()[0]!);
  assert.equal(t.sockets.last.path, '/api/terminal?session=play&window=0');
});

test('SCROLL and LIVE: typing after scrolling back returns to live output first; VIEW moves the window', () => {
  const t = openConnected();
  const s = t.sockets.last;
  s.sent.length = 0;
  assert.equal(t.conn.scroll(-7), true);
  assert.equal(t.conn.scroll(3), true);
  assert.equal(t.conn.scroll(0), false, 'nothing to do');
  t.conn.sendInput(new TextEncoder().encode('q'));
  t.conn.sendInput(new TextEncoder().encode('w'));
  assert.deepEqual(sent(s).map((m) => (m.type === 'input' ? `input:${new TextDecoder().decode(m.data)}` : m.type === 'scroll' ? `scroll:${m.lines}` : m.type)),
    ['scroll:-7', 'scroll:3', 'live', 'input:q', 'input:w'], 'LIVE once, before the first key');
  s.sent.length = 0;
  serve(s, { type: 'view', window: '3', scrolled: true });
  assert.equal(t.conn.window, '3');
  assert.ok(t.events.includes('view:3:true'));
  t.conn.sendInput(new TextEncoder().encode('x'));
  assert.deepEqual(sent(s).map((m) => m.type), ['input'], 'scrolled by someone else (copy mode entered in tmux): keys go to tmux as typed');
  s.sent.length = 0;
  t.conn.scroll(-1);
  serve(s, { type: 'view', window: '3', scrolled: false });
  t.conn.sendInput(new TextEncoder().encode('y'));
  assert.deepEqual(sent(s).map((m) => m.type), ['scroll', 'input'], 'back at the bottom already: no LIVE needed');
  assert.equal(t.conn.scroll(-100_000), true);
  const last = sent(s).at(-1)!;
  assert.deepEqual(last, { type: 'scroll', lines: -10_000 }, 'clamped to the protocol\'s limit');
});

test('a read-only view sends no SCROLL and no LIVE', () => {
  const t = setup();
  t.conn.start();
  t.sockets.last.handlers.open();
  hello(t.sockets.last, true);
  t.sockets.last.sent.length = 0;
  assert.equal(t.conn.scroll(-5), false);
  assert.equal(t.conn.live(), false);
  assert.deepEqual(t.sockets.last.sent, []);
});

test('FOCUS: sent on each change once connected, again right after HELLO on a new socket, read-only too', () => {
  const t = openConnected({ window: '1' });
  const s = t.sockets.last;
  hello(s, true, '1');
  t.conn.setFocused(true);
  t.conn.setFocused(true);
  t.conn.setFocused(false);
  assert.deepEqual(sent(s).filter((m) => m.type === 'focus'), [{ type: 'focus', focused: true }, { type: 'focus', focused: false }]);
  t.conn.setFocused(true);
  s.handlers.close(1006, '');
  t.clock.advance(t.clock.pending()[0]!);
  const next = t.sockets.last;
  assert.notEqual(next, s);
  next.handlers.open();
  assert.deepEqual(sent(next).map((m) => m.type), ['hello', 'focus'], 'a focused page says so right after HELLO');
  // Left before the daemon answered: said once it has.
  t.conn.setFocused(false);
  hello(next);
  assert.deepEqual(sent(next).filter((m) => m.type === 'focus'), [{ type: 'focus', focused: true }, { type: 'focus', focused: false }]);
});

test('typing into a window another device sizes sends FIT first, once; the terminal\'s own replies never do', () => {
  const t = openConnected();
  const s = t.sockets.last;
  serve(s, { type: 'view', window: '0', scrolled: false, size: { cols: 157, rows: 45, status: 1, sizer: false } });
  assert.deepEqual(t.events.filter((e) => e.startsWith('size')), ['size:157x45:false']);
  t.conn.sendInput(new TextEncoder().encode('\x1b[?1;2c'));
  assert.deepEqual(sent(s).slice(1).map((m) => m.type), ['input'], 'a reply (typed = false) takes nothing');
  t.conn.sendInput(new TextEncoder().encode('y'), true);
  t.conn.sendInput(new TextEncoder().encode('\r'), true);
  assert.deepEqual(sent(s).slice(2).map((m) => m.type), ['fit', 'input', 'input'], 'FIT before the first typed key only');
  serve(s, { type: 'view', window: '0', scrolled: false, size: { cols: 43, rows: 44, status: 1, sizer: true } });
  t.conn.sendInput(new TextEncoder().encode('n'), true);
  assert.deepEqual(sent(s).slice(5).map((m) => m.type), ['input'], 'this device sizes it now');
  serve(s, { type: 'view', window: '0', scrolled: false, size: { cols: 157, rows: 45, status: 1, sizer: false } });
  t.conn.sendInput(new TextEncoder().encode('n'), true);
  assert.deepEqual(sent(s).slice(6).map((m) => m.type), ['fit', 'input'], 'another device took it: typing takes it back');
  assert.deepEqual(t.events.filter((e) => e.startsWith('size')), ['size:157x45:false', 'size:43x44:true', 'size:157x45:false']);
});

test('HELLO carries the device id', () => {
  const device = 'browser-abc-123';
  const t = setup({ device });
  t.conn.start();
  const s = t.sockets.last;
  s.handlers.open();
  assert.deepEqual(sent(s), [{ type: 'hello', v: PROTOCOL_VERSION, cols: 120, rows: 40, device }]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeClient, decodeClient, encodeServer, decodeServer, ClientType, ServerType, ProtocolError, type ClientMsg, type ServerMsg } from '../../src/shared/protocol.js';

const bytes = (s: string) => new TextEncoder().encode(s);

test('every client frame type round-trips', () => {
  const msgs: ClientMsg[] = [
    { type: 'hello', v: 1, cols: 80, rows: 24 },
    { type: 'hello', v: 1, cols: 43, rows: 44, device: 'phone_Ab-123456' },
    { type: 'input', data: bytes('ls\r\x1b[A') },
    { type: 'resize', cols: 120, rows: 40 },
    { type: 'ack', bytes: 5000 },
    { type: 'select', window: '@3' },
    { type: 'scroll', lines: -12 },
    { type: 'live' },
    { type: 'focus', focused: true },
    { type: 'focus', focused: false },
    { type: 'fit' },
  ];
  const seen = new Set<number>();
  for (const m of msgs) {
    const f = encodeClient(m);
    seen.add(f[0]!);
    assert.deepEqual(decodeClient(f), m);
  }
  assert.deepEqual([...seen].sort(), Object.values(ClientType).sort());
});

test('every server frame type round-trips', () => {
  const msgs: ServerMsg[] = [
    { type: 'hello', v: 1, readOnly: true, session: 'main', window: null },
    { type: 'hello', v: 1, readOnly: false, session: 'main', window: '0', size: { cols: 157, rows: 45, status: 1, sizer: true } },
    { type: 'output', data: new Uint8Array([0, 255, 27, 10]) },
    { type: 'title', title: '<b>x</b>' },
    { type: 'error', code: 'forbidden', message: 'read-only' },
    { type: 'exit', reason: 'session closed' },
    { type: 'view', window: '3', scrolled: true },
    { type: 'view', window: '3', scrolled: false, size: { cols: 43, rows: 44, status: 0, sizer: false } },
    { type: 'view', window: '1', scrolled: false, session: 'work' },
  ];
  const seen = new Set<number>();
  for (const m of msgs) {
    const f = encodeServer(m);
    seen.add(f[0]!);
    assert.deepEqual(decodeServer(f), m);
  }
  assert.deepEqual([...seen].sort(), Object.values(ServerType).sort());
});

test('a SIZE without status (an older daemon) has none; one that leaves the window no row is refused', () => {
  const view = (size: string) => new Uint8Array([ServerType.VIEW, ...bytes(`{"window":"0","scrolled":false,"size":${size}}`)]);
  assert.deepEqual(decodeServer(view('{"cols":80,"rows":24,"sizer":false}')), { type: 'view', window: '0', scrolled: false, size: { cols: 80, rows: 24, status: 0, sizer: false } });
  for (const bad of ['{"cols":80,"rows":24,"status":24,"sizer":false}', '{"cols":80,"rows":24,"status":-1,"sizer":false}', '{"cols":80,"rows":24,"status":"1","sizer":false}']) {
    assert.throws(() => decodeServer(view(bad)), ProtocolError, bad);
  }
});

test('VIEW\'s session (a rename) is optional; a mistyped one is refused', () => {
  const view = (extra: string) => new Uint8Array([ServerType.VIEW, ...bytes(`{"window":"0","scrolled":false${extra}}`)]);
  assert.deepEqual(decodeServer(view('')), { type: 'view', window: '0', scrolled: false });
  assert.deepEqual(decodeServer(view(',"session":"work"')), { type: 'view', window: '0', scrolled: false, session: 'work' });
  assert.throws(() => decodeServer(view(',"session":7')), ProtocolError);
});

test('types are distinct per direction: a server frame is refused by the server decoder', () => {
  for (const t of Object.values(ServerType)) assert.throws(() => decodeClient(new Uint8Array([t, 123, 125])), ProtocolError);
  for (const t of Object.values(ClientType)) assert.throws(() => decodeServer(new Uint8Array([t, 123, 125])), ProtocolError);
});

test('malformed control frames are ProtocolErrors', () => {
  const bad = [
    new Uint8Array([]),
    new Uint8Array([0x7f]),
    new Uint8Array([ClientType.RESIZE, ...bytes('{"cols":1e9,"rows":10}')]),
    new Uint8Array([ClientType.RESIZE, ...bytes('{"cols":0,"rows":10}')]),
    new Uint8Array([ClientType.RESIZE, ...bytes('[1,2]')]),
    new Uint8Array([ClientType.HELLO, ...bytes('not json')]),
    new Uint8Array([ClientType.HELLO, ...bytes('{"v":1,"cols":80,"rows":24,"device":"../x"}')]),
    new Uint8Array([ClientType.HELLO, ...bytes('{"v":1,"cols":80,"rows":24,"device":"short"}')]),
    new Uint8Array([ClientType.HELLO, ...bytes('{"v":1,"cols":80,"rows":24,"device":7}')]),
    new Uint8Array([ClientType.ACK, 0xff, 0xfe]),
    new Uint8Array([ClientType.SELECT, ...bytes(`{"window":"${'x'.repeat(100)}"}`)]),
    new Uint8Array([ClientType.SCROLL, ...bytes('{"lines":1.5}')]),
    new Uint8Array([ClientType.SCROLL, ...bytes('{"lines":-10001}')]),
    new Uint8Array([ClientType.SCROLL, ...bytes('{}')]),
    new Uint8Array([ClientType.LIVE, ...bytes('[]')]),
    new Uint8Array([ClientType.FOCUS, ...bytes('{}')]),
    new Uint8Array([ClientType.FOCUS, ...bytes('{"focused":1}')]),
  ];
  for (const f of bad) assert.throws(() => decodeClient(f), ProtocolError);
});

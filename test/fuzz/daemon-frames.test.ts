/**
 * Coverage-guided fuzzing of a live daemon's frame handling: each input is
 * read as a script for one terminal connection (HELLO, pastes big and
 * small into a program that reads nothing, resizes in and out of range,
 * ACKs, window switches, scrolls, raw garbage, a tmux client detached under
 * it, a second HELLO, then a close, a reset or nothing), played over a real
 * WebSocket against a real tmux; V8's coverage of the bridge and the
 * protocol guides the next script (test/helpers/coverage-fuzz.ts).
 *
 * Whatever the script: no uncaught error, nothing written to a closed
 * terminal (no "Unhandled pty write error" or EBADF printed), every view session and
 * tmux client cleaned up, and the daemon serves a fresh terminal afterwards.
 * Eight seconds here; ROOST_FUZZ_SECONDS (scripts/fuzz.mjs) runs it longer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordConsoleErrors, startServer, TermClient, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { coverageFuzz } from '../helpers/coverage-fuzz.js';
import { newSession, newWindow, THEN } from '../../src/tmux/index.js';
import { encodeClient, INPUT_CHUNK_BYTES, PROTOCOL_VERSION } from '../../src/shared/protocol.js';

const MS = Number(process.env['ROOST_FUZZ_SECONDS'] ?? '8') * 1000;

/** Reads a fuzz input as a stream of small choices; 0 once it is used up. */
class Script {
  private i = 0;
  constructor(private readonly data: Uint8Array) {}
  get done(): boolean {
    return this.i >= this.data.length;
  }
  byte(): number {
    return this.data[this.i++] ?? 0;
  }
  bytes(n: number): Uint8Array {
    const out = this.data.slice(this.i, this.i + n);
    this.i += n;
    return out;
  }
}

const OPS = 13;
const WINDOWS = ['0', '1', '2', '@0', '@99', 'x', '', '1'.repeat(70)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The session the scripts play against, made again if a script ended it:
 * window 0 reads nothing, in raw mode so its terminal pushes back
 * (canonical mode would drop input past 4 KiB); window 1 echoes (raw, so a
 * typed Ctrl-D does not end it). No prefix key: random input must not reach
 * tmux's own bindings (kill-window, detach, the command prompt).
 */
async function ensureTarget(s: TestServer): Promise<void> {
  const ok = await s.tmux.run('display-message', '-p', '-t', '=fz:1', '#{pane_dead}').then((o) => o.trim() === '0', () => false);
  if (ok) return;
  await s.tmux.run('kill-session', '-t', '=fz').catch(() => undefined);
  const id = await newSession(s.tmux.client, { name: 'fz', command: ['sh', '-c', 'stty raw -echo; exec sleep 1000000'] });
  await newWindow(s.tmux.client, { session: id, command: ['sh', '-c', 'stty raw -echo; exec cat'], detached: true });
  await s.tmux.run('set-option', '-g', 'prefix', 'None', THEN, 'set-option', '-g', 'prefix2', 'None');
}

/** Play one script against the daemon as one terminal connection. */
async function play(s: TestServer, cookie: string, data: Uint8Array): Promise<void> {
  await ensureTarget(s);
  const sc = new Script(data);
  const window = sc.byte() % 2 ? '1' : '0';
  let t: TermClient | undefined;
  try {
    await s.ws(`/api/terminal?session=fz&window=${window}`, { cookie }, (ws) => (t = new TermClient(ws, sc.byte() % 4 !== 0)));
  } catch {
    return; // refused (too many waiting): nothing to play
  }
  const term = t!;
  const open = () => term.ws.readyState === term.ws.OPEN;
  const send = (f: Uint8Array) => open() && term.ws.send(f);
  if (sc.byte() % 8 !== 0) term.send({ type: 'hello', v: PROTOCOL_VERSION, cols: 1 + (sc.byte() % 200), rows: 1 + (sc.byte() % 60) });
  while (!sc.done && open()) {
    switch (sc.byte() % OPS) {
      case 0: send(encodeClient({ type: 'input', data: sc.bytes(sc.byte() % 64) })); break;
      case 1: {
        // A paste into the window whose program reads nothing: it waits in the daemon's input queue (PtyInput).
        const chunks = 1 + (sc.byte() % 24);
        for (let c = 0; c < chunks; c++) send(encodeClient({ type: 'input', data: new Uint8Array(INPUT_CHUNK_BYTES).fill(0x61) }));
        break;
      }
      case 2: send(encodeClient({ type: 'resize', cols: sc.byte() * 5, rows: sc.byte() * 5 })); break;
      case 3: send(encodeClient({ type: 'ack', bytes: sc.byte() * 997 })); break;
      case 4: send(encodeClient({ type: 'select', window: WINDOWS[sc.byte() % WINDOWS.length]! })); break;
      case 5: send(encodeClient({ type: 'scroll', lines: (sc.byte() - 128) * 80 })); break;
      case 6: send(encodeClient({ type: 'live' })); break;
      case 7: send(encodeClient({ type: 'focus', focused: sc.byte() % 2 === 1 })); break;
      case 8: send(Uint8Array.from([0x10 + (sc.byte() % 20), ...sc.bytes(sc.byte() % 16)])); break;
      case 9: await sleep(sc.byte() % 40); break;
      case 10: {
        // tmux lets go of this client by itself: the pty ends while frames keep coming.
        const view = s.daemon.terminals.stats().map((b) => b.viewId).filter(Boolean).pop();
        if (view) await s.tmux.run('detach-client', '-s', view).catch(() => undefined);
        break;
      }
      case 11: term.send({ type: 'hello', v: PROTOCOL_VERSION, cols: 80, rows: 24 }); break;
      default: await waitFor(() => term.frames.some((f) => f.type === 'hello') || !open(), 5000, 'server HELLO').catch(() => undefined);
    }
  }
  switch (sc.byte() % 3) {
    case 0: term.ws.terminate(); break;
    case 1: term.ws.close(); break;
    default: await sleep(50); term.ws.terminate();
  }
  // Every script ends with the daemon back at rest: no bridge, no view session left.
  await waitFor(async () => s.daemon.terminals.stats().length === 0 && (await s.views()).length === 0, 20_000, 'the terminal and its view to go');
}

test('a live daemon under coverage-guided frame scripts: no crash, no write to a closed terminal, nothing left behind', async () => {
  const s = await startServer();
  const cookie = await s.login();

  // Anything printed a failed write to a pty (node-pty did, with console.error).
  const { value: report, printed } = await recordConsoleErrors(() => coverageFuzz((data) => play(s, cookie, data), {
    ms: MS, seed: 0xF00D, watch: /\/src\/(server\/terminal\/|shared\/protocol)/, maxLen: 128,
    seeds: [
      // Window 0, HELLO, wait for the answer, a 3 MiB paste into the program that reads nothing, 20 ms, then a reset.
      Uint8Array.of(0, 1, 1, 80, 24, 12, 1, 23, 1, 23, 9, 20),
      // Window 1, HELLO, wait, tmux detaches the client, then resizes and input every few ms while its pty goes away.
      Uint8Array.of(1, 1, 1, 80, 24, 12, 10, ...Array.from({ length: 10 }, () => [9, 3, 2, 40, 20, 0, 2, 104, 105]).flat(), 1),
      // No HELLO, garbage.
      Uint8Array.of(0, 1, 0, 8, 16, 123, 125, 1),
    ],
  }));
  // Writes to the pty are the daemon's own, on the main thread, never after its descriptor closed (PtyInput): none may fail.
  const ebadf = printed.filter((l) => /pty write error|EBADF/.test(l));
  assert.deepEqual(ebadf, [], 'writes reached a closed terminal');
  assert.equal((await s.request('GET', '/healthz')).status, 200);
  await ensureTarget(s);
  const after = await s.terminal('fz', { cookie, window: '1' });
  await after.hello();
  after.type('still-alive\r');
  await after.see('still-alive');
  assert.ok(report.runs >= 3, JSON.stringify(report));
});

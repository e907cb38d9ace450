/**
 * Writes to a terminal's pty never reach its descriptor once it is closed:
 * a paste into a program that reads nothing waits to be written while the
 * tmux client behind the pty ends (killed, or detached by tmux), again and
 * again, through a real daemon, node-pty and tmux. Nothing may print a
 * failed write, and nothing may fail in the process. With node-pty writing
 * (from a thread, src/server/terminal/flow.ts), this printed "Unhandled pty
 * write error EBADF" a few times per run, and in most runs a write went to
 * the descriptor's number after it had been reused for the stdout pipe of a
 * tmux command: the paste landed in that pipe, whose reading end then failed
 * with ECONNRESET, uncaught (a daemon would have stopped).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordConsoleErrors, startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession, TmuxError } from '../../src/tmux/index.js';
import { encodeClient, INPUT_CHUNK_BYTES } from '../../src/shared/protocol.js';

const ROUNDS = 16;
/** Per round: enough that writing it takes a while (tmux reads it as keys for a program that takes none). */
const PASTE_CHUNKS = 32;

/** The session the rounds paste into: its program reads nothing (raw, so its terminal pushes back). */
async function ensureSink(s: TestServer): Promise<void> {
  const ok = await s.tmux.run('has-session', '-t', '=sink').then(() => true, () => false);
  if (!ok) await newSession(s.tmux.client, { name: 'sink', command: ['sh', '-c', 'stty raw -echo; exec sleep 1000000'] });
}

test('a paste still being written when the pty closes is dropped without a write to the closed descriptor', async () => {
  // Warnings too: a write that failed for another reason than a full or ended pty is logged as one.
  const s = await startServer({ log: { level: 'warn' } });
  const cookie = await s.login();
  // Anything printed a failed write to a pty (node-pty did, with console.error).
  const { printed } = await recordConsoleErrors(async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await ensureSink(s);
      const t = await s.terminal('sink', { cookie });
      // The daemon may close the socket with part of the paste still unread in it: the client then sees a reset.
      t.ws.on('error', () => undefined);
      await t.hello();
      const chunk = encodeClient({ type: 'input', data: new Uint8Array(INPUT_CHUNK_BYTES).fill(0x61) });
      for (let i = 0; i < PASTE_CHUNKS; i++) t.ws.send(chunk);
      await waitFor(() => s.daemon.terminals.stats()[0]?.inputBytes === PASTE_CHUNKS * INPUT_CHUNK_BYTES, 20_000, 'the paste at the daemon');
      const view = s.daemon.terminals.stats()[0]!.viewId!;
      try {
        if (round % 2 === 0) {
          // The tmux client dies: its pty's reader gets EIO and the descriptor is closed at once.
          const pid = Number((await s.tmux.run('list-clients', '-t', view, '-F', '#{client_pid}')).trim());
          process.kill(pid, 'SIGKILL');
        } else {
          await s.tmux.run('detach-client', '-s', view);
        }
      } catch (e) {
        // tmux 3.3a's server segfaults now and then while this file runs (dmesg: 13 times in 8 runs, with or
        // without spare views' clients attached ahead): the pty ends all the same, which is this round's point.
        if (!(e instanceof TmuxError) || e.kind !== 'no-server') throw e;
      }
      await t.waitClosed();
      await waitFor(() => s.daemon.terminals.stats().length === 0, 20_000, 'the terminal gone');
    }
  });
  assert.deepEqual(printed.filter((l) => /pty write|EBADF|EIO/.test(l)), []);
  assert.deepEqual(s.logs.filter((l) => /pty/.test(l)), []);
});

/**
 * The two ways the benchmark reaches one tmux session: node-pty straight to
 * `tmux attach` (the floor: what any web terminal on tmux must pay) and a
 * WebSocket client through the Roost daemon (what a browser pays). Both
 * expose the same small interface so each measurement runs the same code.
 */
import * as pty from 'node-pty';
import WebSocket from 'ws';
import { encodeClient, decodeServer, ACK_STEP_BYTES, PROTOCOL_VERSION } from '../src/shared/protocol.js';

export interface TermClient {
  /** Called with every chunk of terminal output. */
  onOutput(cb: (chunk: Buffer) => void): void;
  write(data: string): void;
  close(): void;
  /** Stop reading (the WebSocket client stops its socket; the floor pauses the pty). */
  stopReading(): void;
}

export function floorClient(tmuxArgs: string[], env: NodeJS.ProcessEnv, cols = 120, rows = 40): TermClient {
  const p = pty.spawn('tmux', tmuxArgs, { name: 'xterm-256color', cols, rows, env: env as Record<string, string>, encoding: null } as pty.IPtyForkOptions);
  return {
    onOutput: (cb) => void p.onData((d: unknown) => cb(Buffer.isBuffer(d) ? d : Buffer.from(String(d)))),
    write: (d) => p.write(d),
    close: () => p.kill(),
    stopReading: () => p.pause(),
  };
}

export interface RoostTarget {
  port: number;
  cookie: string;
  session: string;
}

/** Connect to the daemon's terminal WebSocket; resolves once the server's HELLO arrived. */
export function roostClient(t: RoostTarget, cols = 120, rows = 40, opts: { ack?: boolean } = {}): Promise<TermClient & { ws: WebSocket; resumeReading(): void }> {
  const origin = `http://127.0.0.1:${t.port}`;
  const ws = new WebSocket(`ws://127.0.0.1:${t.port}/api/terminal?session=${encodeURIComponent(t.session)}`, {
    headers: { Origin: origin, Cookie: t.cookie },
  });
  ws.binaryType = 'nodebuffer';
  const listeners: ((c: Buffer) => void)[] = [];
  let unacked = 0;
  let ack = opts.ack ?? true;
  return new Promise((resolve, reject) => {
    const client = {
      ws,
      onOutput: (cb: (c: Buffer) => void) => void listeners.push(cb),
      write: (d: string) => ws.send(encodeClient({ type: 'input', data: Buffer.from(d) })),
      close: () => ws.close(),
      stopReading: () => (ws as unknown as { _socket: { pause(): void } })._socket.pause(),
      /** Read again and acknowledge from now on, everything received so far included (as a page that comes back). */
      resumeReading: () => {
        ack = true;
        (ws as unknown as { _socket: { resume(): void } })._socket.resume();
        if (unacked > 0) ws.send(encodeClient({ type: 'ack', bytes: unacked }));
        unacked = 0;
      },
    };
    ws.on('open', () => ws.send(encodeClient({ type: 'hello', v: PROTOCOL_VERSION, cols, rows })));
    ws.on('error', reject);
    ws.on('message', (raw: Buffer) => {
      const msg = decodeServer(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
      if (msg.type === 'hello') resolve(client);
      else if (msg.type === 'output') {
        const chunk = Buffer.from(msg.data);
        for (const l of listeners) l(chunk);
        unacked += chunk.length;
        if (ack && unacked >= ACK_STEP_BYTES) {
          ws.send(encodeClient({ type: 'ack', bytes: unacked }));
          unacked = 0;
        }
      } else if (msg.type === 'error') reject(new Error(`${msg.code}: ${msg.message}`));
    });
  });
}

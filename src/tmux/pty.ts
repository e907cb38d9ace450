/**
 * A browser terminal's tmux client: `tmux attach` of a per-device view
 * session (views.ts) on a pseudo-terminal of its own (node-pty). The only
 * place Roost opens a pty; the bridge (src/server/terminal/) moves bytes.
 * Not re-exported from index.ts: the CLI imports the tmux engine and must
 * not load node-pty's native module.
 */
import { spawn as spawnPty, type IPty } from 'node-pty';
import type { TmuxClient } from './client.js';
import { viewAttachArgs } from './views.js';
import { commandArgv } from './literal.js';

export type { IDisposable, IPty } from 'node-pty';

export interface AttachPtyOptions {
  readOnly: boolean;
  /** Attach with tmux's ignore-size flag: this client sizes no window until told otherwise (sizes.ts). */
  ignoreSize?: boolean;
  cols: number;
  rows: number;
  /** Working directory of the tmux client (panes keep their own). */
  cwd: string;
}

/** Attach a new tmux client, on a pty of `cols` x `rows`, to the view session `viewId`. */
export function attachViewPty(tmux: TmuxClient, viewId: string, o: AttachPtyOptions): IPty {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(tmux.env)) if (v !== undefined && k !== 'TMUX' && k !== 'TMUX_PANE') env[k] = v;
  env['TERM'] = 'xterm-256color';
  env['COLORTERM'] = 'truecolor';
  // A daemon started inside tmux without -L talks to $TMUX's server; the pty loses $TMUX (tmux refuses to
  // nest), so name that server's socket explicitly.
  const inherited = tmux.socket === undefined ? tmux.env['TMUX']?.split(',')[0] : undefined;
  // -u: UTF-8 output even when the daemon runs without a UTF-8 locale (systemd units often do).
  const argv = [...tmux.serverArgs(), ...(inherited ? ['-S', inherited] : []), '-u', ...commandArgv(viewAttachArgs(viewId, { readOnly: o.readOnly, ignoreSize: o.ignoreSize ?? false }))];
  return spawnPty(tmux.bin, argv, { name: 'xterm-256color', cols: o.cols, rows: o.rows, cwd: o.cwd, env, encoding: null });
}

/** The tty a pty's program runs on (e.g. /dev/pts/7): a tmux client's name, to target it (refresh-client -t). */
export function ptyTtyName(pty: IPty): string | null {
  // node-pty keeps it on Unix terminals without declaring it.
  const name = (pty as unknown as { ptsName?: unknown }).ptsName;
  return typeof name === 'string' && name !== '' ? name : null;
}

/**
 * roost watch [--json]: window state changes as they happen, one line each,
 * from an observer run right here against tmux (no daemon needed). Agent
 * states (needs-permission, idle, done) come from agent hooks, which report
 * to the daemon: this command shows the states tmux alone tells.
 */
import { noExtra, type Command } from '../command.js';
import { silenceFor } from '../../config/config.js';
import { commandConfig } from '../config.js';
import { AttentionObserver } from '../../attention/observer.js';
import { AttentionPoller } from '../../attention/poller.js';
import type { AttentionEvent } from '../../attention/types.js';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "12:03:04 main:1 claude  working → waiting" (local time). */
export function formatEvent(e: AttentionEvent): string {
  const d = new Date(e.at);
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  const where = `${e.session}:${e.index} ${e.name}`;
  if (e.type === 'closed') return `${time} ${where}  closed`;
  let what = e.previous === null ? e.state : `${e.previous} → ${e.state}`;
  if (e.state === 'exited' && e.exitSignal) what += ` (killed by ${e.exitSignal})`;
  else if (e.state === 'exited' && e.exitStatus !== null && e.exitStatus !== undefined) what += ` (${e.exitStatus})`;
  if (e.agent) what += ` [${e.agent}]`;
  return `${time} ${where}  ${what}`;
}

export const watch: Command = {
  name: 'watch',
  summary: 'stream window state changes (working, waiting, bell, exited)',
  usage: `roost watch [--json]

Print a line whenever a window changes state, until Ctrl-C:
  12:03:04 main:1 claude  working → waiting
The first lines give each window's state when watching starts. States:
working, shell (your shell waits at its prompt), waiting (no output for the
silence threshold, default 20 s; set "silence" in config.toml, globally or
per session), bell, exited (with the exit status, for panes kept by
remain-on-exit), closed. See docs/attention.md.

Options:
  --json    one JSON object per line (fields in docs/attention.md)`,
  options: { json: { type: 'boolean' } },
  async run(ctx, args) {
    noExtra(args, 0);
    const config = commandConfig(ctx);
    const json = args.values['json'] === true;
    const observer = new AttentionObserver({ silenceFor: (s) => silenceFor(config, s) });
    observer.onEvent((e) => ctx.out(json ? JSON.stringify(e) : formatEvent(e)));
    let lastError = '';
    const poller = new AttentionPoller({
      tmux: ctx.tmux,
      observer,
      onError: (e) => {
        const msg = (e as Error)?.message?.split('\n')[0] ?? String(e);
        if (msg !== lastError) ctx.err(`roost watch: ${msg}`);
        lastError = msg;
      },
    });
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      // A closed pipe (roost watch | head -1) ends the watch too.
      ctx.stdout.on('error', stop);
      poller.start();
    });
    await poller.stop();
    return 0;
  },
};

/**
 * Shared parts of the restore tests: a user whose shell is bash with a PATH
 * that reaches a fake Claude Code, the fake itself (it records its argv and
 * reports a session id through the real hook path, `roost hook claude`),
 * a daemon on that user's files, and helpers to read a private tmux server.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import type { ServiceFactory } from '../../src/daemon/service.js';
import { tempUser, CLI } from '../helpers/server.js';
import type { TestTmux } from '../helpers/tmux.js';

export interface RestoreUser {
  dir: string;
  env: NodeJS.ProcessEnv;
  bin: string;
  /** Where the fake agent appends its argv, one JSON array per start. */
  argvLog: string;
}

/**
 * Stands in for Claude Code: records its argv, then reports SessionStart with
 * its session id (the one after --resume, else $FAKE_SESSION) to the daemon
 * the way Claude's hook does, by running `roost hook claude` with the hook's
 * JSON on stdin; then waits like an idle agent.
 */
const FAKE_CLAUDE = (roostCli: string, log: string) => `#!${process.execPath}
const { appendFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
const r = args.indexOf('--resume');
const id = r >= 0 ? args[r + 1] : process.env.FAKE_SESSION;
const payload = { session_id: id, transcript_path: '/tmp/t/' + id + '.jsonl', cwd: process.cwd(), hook_event_name: 'SessionStart', source: r >= 0 ? 'resume' : 'startup' };
spawnSync(process.execPath, [${JSON.stringify(roostCli)}, 'hook', 'claude'], { input: JSON.stringify(payload), stdio: ['pipe', 'ignore', 'ignore'] });
console.log('fake claude ' + id + ' ready');
setInterval(() => {}, 1 << 30);
`;

export function restoreUser(): RestoreUser {
  const { dir, env } = tempUser('roost-restore-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const argvLog = join(dir, 'claude-argv.log');
  writeFileSync(argvLog, '');
  const claude = join(bin, 'claude');
  // .cjs content under a bare name: node reads a file without an extension as CommonJS.
  writeFileSync(claude, FAKE_CLAUDE(CLI, argvLog));
  chmodSync(claude, 0o755);
  // Login shells read /etc/profile, which sets PATH anew: the user's own profile puts bin/ first, as people do.
  writeFileSync(join(dir, '.bash_profile'), `export PATH=${JSON.stringify(bin)}:"$PATH"\nPS1='$ '\n`);
  env['SHELL'] = '/bin/bash';
  env['PATH'] = `${bin}:${env['PATH']}`;
  return { dir, env, bin, argvLog };
}

/** A daemon for `u` on `tmux`; what it logs (warnings and up, as `roost serve` shows them) goes into `logs` when given. */
export function daemonFor(u: RestoreUser, tmux: TestTmux, services?: readonly ServiceFactory[], logs?: string[]): Promise<Daemon> {
  return startDaemon({
    host: '127.0.0.1', port: 0, env: u.env, tmux: tmux.client, webRoot: join(u.dir, 'no-web-build'),
    log: { level: 'warn', stream: { write: (line: string) => void logs?.push(line) } },
    ...(services ? { services } : {}),
  });
}

/** One line per pane: "session:window.pane name|command|cwd". */
export async function paneLines(t: TestTmux, format: string): Promise<string[]> {
  return (await t.run('list-panes', '-a', '-F', format)).split('\n').filter(Boolean);
}

/** A layout without its checksum and pane numbers: the shape alone. */
export const layoutShape = (layout: string): string => layout.slice(5).replace(/(\d+x\d+,\d+,\d+),\d+/g, '$1,#');

/** Write an executable file (a script, a stand-in program). */
export function script(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/**
 * Scheduled runs in tests: a temporary user with a private tmux server, the
 * real CLI, `roost serve` as a child process (so it can be killed with -9
 * and started again), config.toml written on demand, and waits on a
 * schedule's history through `roost schedule history --json`.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, spawnServe, tempUser, type ServeProcess } from './server.js';
import { privateTmux, waitFor, type TestTmux } from './tmux.js';
import type { RunInfo, ScheduleInfo } from '../../src/shared/schedules.js';

export interface SchedUser {
  dir: string;
  env: NodeJS.ProcessEnv;
  tmux: TestTmux;
  /** Folder of fake programs, first on the PATH of the CLI and the daemon. */
  bin: string;
  cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The CLI, asserting exit 0; its stdout. */
  ok(...argv: string[]): Promise<string>;
  history(name: string): Promise<RunInfo[]>;
  show(name: string): Promise<ScheduleInfo>;
  /** Wait until some entry of `name`'s history matches; returns it. */
  waitRun(name: string, check: (r: RunInfo) => boolean, what: string, ms?: number): Promise<RunInfo>;
  /** Start `roost serve` (stopped after the test file). */
  serve(): Promise<ServeProcess>;
  /** Write config.toml. */
  config(toml: string): void;
  /** A fake program `name` in `bin`, a bash script. */
  program(name: string, body: string): string;
}

export function schedUser(prefix = 'roost-sched-'): SchedUser {
  // Added first, so it runs first: the daemons stop before their HOME and tmux server go.
  const daemons: ServeProcess[] = [];
  after(async () => {
    for (const d of daemons) {
      if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGTERM');
      await d.exited;
    }
  });
  const { dir, env: base } = tempUser(prefix);
  const bin = join(dir, 'bin');
  mkdirSync(bin, { mode: 0o700 });
  const env = { ...base, PATH: `${bin}:${base['PATH'] ?? '/usr/bin:/bin'}` };
  const tmux = privateTmux(env);
  const cli = (...argv: string[]) => runCli(['-L', tmux.socket, ...argv], env);
  const ok = async (...argv: string[]) => {
    const r = await cli(...argv);
    assert.equal(r.code, 0, `roost ${argv.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const history = async (name: string) => JSON.parse(await ok('schedule', 'history', name, '-n', '1000', '--json')) as RunInfo[];
  return {
    dir, env, tmux, bin, cli, ok, history,
    show: async (name) => JSON.parse(await ok('schedule', 'show', name, '--json')) as ScheduleInfo,
    async waitRun(name, check, what, ms = 30_000) {
      let last: RunInfo[] = [];
      return waitFor(async () => {
        last = await history(name);
        return last.find(check) ?? null;
      }, ms, `${name}: ${what}`).catch((e: Error) => {
        throw new Error(`${e.message}; history: ${JSON.stringify(last.slice(0, 6).map((r) => [r.id, r.trigger, r.outcome, r.reason, r.exitCode, r.signal]))}`);
      });
    },
    async serve() {
      const s = spawnServe(['-L', tmux.socket, 'serve', '--port', '0'], env);
      daemons.push(s);
      await s.ready();
      return s;
    },
    config(toml) {
      const d = join(dir, 'config', 'roost');
      mkdirSync(d, { recursive: true, mode: 0o700 });
      writeFileSync(join(d, 'config.toml'), toml, { mode: 0o600 });
    },
    program(name, body) {
      const p = join(bin, name);
      writeFileSync(p, `#!/bin/bash\n${body}\n`);
      chmodSync(p, 0o755);
      return p;
    },
  };
}

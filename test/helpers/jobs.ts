/**
 * Background jobs in tests: the roost CLI against a temporary HOME and a
 * private tmux server, and waits on a job's state through `roost jobs --json`.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, runCliClosedStdout, tempDir, type CliResult } from './cli.js';
import { privateTmux, testEnv, waitFor, type TestTmux } from './tmux.js';
import type { JobInfo } from '../../src/shared/jobs.js';

export interface JobsUser {
  home: string;
  tmux: TestTmux;
  /** The state folder ($HOME/.local/state/roost). */
  stateDir: string;
  cli(...argv: string[]): Promise<CliResult>;
  /** The same, its stdout a pipe nobody reads (`roost logs x | head -0`). */
  cliClosedStdout(...argv: string[]): Promise<{ code: number | null; stderr: string }>;
  /** `roost jobs --json`, parsed. */
  jobs(): Promise<JobInfo[]>;
  job(name: string): Promise<JobInfo | undefined>;
  /** Wait until job `name` is in `state` (or matches `check`); returns it. */
  waitJob(name: string, check: string | ((j: JobInfo) => boolean), ms?: number): Promise<JobInfo>;
}

export function jobsUser(env: NodeJS.ProcessEnv = {}, prefix = 'roost-jobs-'): JobsUser {
  const home = tempDir(prefix);
  const tmux = privateTmux(testEnv({ HOME: home }));
  const cli = (...argv: string[]) => runCli(argv, { home, socket: tmux.socket, env });
  const jobs = async () => {
    const r = await cli('jobs', '--json');
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as JobInfo[];
  };
  const job = async (name: string) => (await jobs()).find((j) => j.name === name);
  return {
    home, tmux, cli, jobs, job,
    cliClosedStdout: (...argv) => runCliClosedStdout(argv, { home, socket: tmux.socket, env }),
    stateDir: join(home, '.local', 'state', 'roost'),
    async waitJob(name, check, ms = 15_000) {
      const ok = typeof check === 'string' ? (j: JobInfo) => j.state === check : check;
      let last: JobInfo | undefined;
      return waitFor(async () => {
        last = await job(name);
        return last && ok(last) ? last : null;
      }, ms, `job ${name} ${typeof check === 'string' ? check : 'to match'}`).catch((e: Error) => {
        throw new Error(`${e.message}; last seen: ${JSON.stringify(last)}`);
      });
    },
  };
}

/** Run a job and return its name (asserting `roost run` printed just that). */
export async function runJob(u: JobsUser, ...argv: string[]): Promise<string> {
  const r = await u.cli('run', ...argv);
  assert.equal(r.code, 0, `roost run ${argv.join(' ')}: ${r.stderr}`);
  assert.match(r.stdout, /^[A-Za-z0-9_-]+\n$/);
  return r.stdout.trim();
}

/**
 * Stopping a job: a signal (SIGTERM unless told) to the program's process
 * group, then SIGKILL when it is still there after the grace period. The
 * program is named by its pid and start time (procfs), so a pid the kernel
 * has since given to another process is never signalled; the group is
 * signalled only when it is the program's own (the runner made it so), never
 * one holding the runner or this process.
 */
import { constants as osConstants } from 'node:os';
import { isSameProcess, procStat } from './procfs.js';
import type { JobRow, JobStore } from './store.js';
import { JobInputError } from './spec.js';
import { signalName } from '../process/signals.js';

export const DEFAULT_GRACE_MS = 10_000;
/** After SIGKILL, how long (ms) to wait for the runner to record the end. */
const RECORD_WAIT_MS = 5000;
const POLL_MS = 100;

/** "TERM", "SIGTERM", "sigterm" or "15" → "SIGTERM"; a JobInputError for anything else. */
export function parseSignal(value: string): NodeJS.Signals {
  const t = value.trim().toUpperCase();
  const signals = osConstants.signals as Record<string, number>;
  if (/^\d{1,2}$/.test(t)) {
    const name = signalName(Number(t));
    if (name) return name;
  } else {
    const name = t.startsWith('SIG') ? t : `SIG${t}`;
    if (Object.hasOwn(signals, name)) return name as NodeJS.Signals;
  }
  throw new JobInputError(`unknown signal ${JSON.stringify(value)}: use a name such as TERM, INT, HUP, KILL, or a number`);
}

export interface StopOptions {
  signal?: NodeJS.Signals;
  graceMs?: number;
  now?: () => number;
}

/** How a stop went: `ended` by the signal, `killed` after the grace period, or `not-running` (nothing sent). */
export type StopOutcome = 'ended' | 'killed' | 'not-running';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether the job's program still runs (its pid, with the start time recorded for it). */
export function programAlive(row: JobRow): boolean {
  return row.pid !== null && isSameProcess(row.pid, row.pidStart);
}

function send(row: JobRow, signal: NodeJS.Signals): void {
  const pid = row.pid!;
  const group = procStat(pid)?.pgrp ?? 0;
  const mine = procStat(process.pid)?.pgrp;
  const ownGroup = group > 1 && group === pid && group !== row.runnerPid && group !== mine;
  try {
    process.kill(ownGroup ? -group : pid, signal);
  } catch (e) {
    // Gone between the check and the signal: that is what a stop wants.
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** Wait until the program is gone (and, when `recorded`, the runner has written its end); false at the deadline. */
async function waitGone(store: JobStore, row: JobRow, ms: number, recorded: boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const now = store.byId(row.id);
    const gone = !programAlive(row) && (!recorded || now === null || now.ended !== null || now.runnerPid === null);
    if (gone) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/** A job just started may not have its program yet: how long (ms) a stop waits for it. */
const START_WAIT_MS = 10_000;

export async function stopJob(store: JobStore, start: JobRow, o: StopOptions = {}): Promise<StopOutcome> {
  let row = start;
  // Started a moment ago (`roost run x; roost stop x`): the runner is about to say the program's pid.
  for (const deadline = Date.now() + START_WAIT_MS; row.pid === null && row.ended === null && row.lost === null && Date.now() < deadline;) {
    await sleep(POLL_MS);
    row = store.byId(row.id) ?? row;
  }
  if (!programAlive(row)) return 'not-running';
  const signal = o.signal ?? 'SIGTERM';
  store.setStopRequested(row.id, (o.now ?? Date.now)());
  send(row, signal);
  if (await waitGone(store, row, o.graceMs ?? DEFAULT_GRACE_MS, false)) {
    await waitGone(store, row, RECORD_WAIT_MS, true);
    return 'ended';
  }
  send(row, 'SIGKILL');
  await waitGone(store, row, RECORD_WAIT_MS, true);
  return 'killed';
}

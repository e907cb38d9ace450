/**
 * `roost service install|uninstall|status`: the daemon started at boot.
 *
 *   systemd   a user unit (~/.config/systemd/user/roost.service, unit.ts),
 *             enabled and started; lingering (loginctl enable-linger) so it
 *             starts at boot without a login, or the exact command when
 *             that needs root.
 *   cron      where there is no systemd user manager (containers, many HPC
 *             login nodes): an @reboot line in the user's crontab.
 *
 * install picks systemd when a user manager answers, else cron, and says
 * which (and why); --systemd or --cron chooses. systemctl, loginctl and
 * crontab run through runProgram, argv only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { runProgram, type RunResult } from '../process/run.js';
import { ensurePrivateDir, writeFileAtomic } from '../config/files.js';
import type { Paths } from '../config/paths.js';
import { UNIT_NAME, cronLine, cronLineIn, unitText, withCronLine, withoutCronLine, type ServeCommand } from './unit.js';

/** systemctl and friends answer in well under a second; one that hangs (no bus) is given this long (ms). */
const TIMEOUT_MS = 15_000;

export type Method = 'systemd' | 'cron';

export interface ServiceEnv {
  paths: Paths;
  /** Environment for the programs run (XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS reach the user manager). */
  env: NodeJS.ProcessEnv;
  serve: ServeCommand;
  user?: string;
}

export const unitFile = (paths: Paths): string => join(paths.configDir, '..', 'systemd', 'user', UNIT_NAME);
export const cronLog = (paths: Paths): string => join(paths.stateDir, 'serve.log');

const run = (e: ServiceEnv, argv: [string, ...string[]], input?: string): Promise<RunResult> =>
  runProgram(argv, { env: e.env, timeoutMs: TIMEOUT_MS, ...(input === undefined ? {} : { input }) });

const userOf = (e: ServiceEnv) => e.user ?? userInfo().username;

const firstLine = (r: RunResult) => (r.ok ? '' : (r.stderr.trim().split('\n')[0] || r.message));

/** Whether a systemd user manager answers here; `why` says what failed when not. */
export async function systemdAvailable(e: ServiceEnv): Promise<{ ok: true } | { ok: false; why: string }> {
  const r = await run(e, ['systemctl', '--user', 'show-environment']);
  if (r.ok) return { ok: true };
  if (r.kind === 'not-found') return { ok: false, why: 'systemctl not found' };
  return { ok: false, why: `systemctl --user: ${firstLine(r)}` };
}

/** The user's crontab, '' when they have none; null with why when crontab cannot be run. */
async function readCrontab(e: ServiceEnv): Promise<{ text: string } | { why: string }> {
  const r = await run(e, ['crontab', '-l']);
  if (r.ok) return { text: r.stdout };
  if (r.kind === 'not-found') return { why: 'crontab not found (Debian: apt-get install cron)' };
  if (r.kind === 'exit' && /no crontab for/i.test(r.stderr)) return { text: '' };
  return { why: `crontab -l: ${firstLine(r)}` };
}

/** Whether a cron daemon runs on this machine (an @reboot line needs one at boot). */
export function cronRunning(procRoot = '/proc'): boolean {
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((n) => /^\d+$/.test(n));
  } catch {
    return false; // no /proc: cannot tell, say no (the status line says "not seen")
  }
  return pids.some((p) => {
    try {
      return ['cron', 'crond', 'cronie', 'busybox-crond'].includes(readFileSync(`${procRoot}/${p}/comm`, 'utf8').trim());
    } catch {
      return false; // gone meanwhile
    }
  });
}

export interface InstallResult {
  method: Method;
  /** Lines for the user: what was done, what to do by hand. */
  messages: string[];
  /** The file or crontab line written. */
  written: string;
  linger: boolean | null;
}

export class ServiceError extends Error {
  override name = 'ServiceError';
}

async function lingerOn(e: ServiceEnv): Promise<boolean | null> {
  const r = await run(e, ['loginctl', 'show-user', userOf(e), '--property=Linger', '--value']);
  if (r.ok) return r.stdout.trim() === 'yes';
  return existsSync(`/var/lib/systemd/linger/${userOf(e)}`) ? true : null;
}

async function installSystemd(e: ServiceEnv): Promise<InstallResult> {
  const file = unitFile(e.paths);
  // Created if missing; an existing folder keeps its mode (other units live there).
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, unitText(e.serve), 0o644);
  const messages = [`wrote ${file}`];
  for (const argv of [['systemctl', '--user', 'daemon-reload'], ['systemctl', '--user', 'enable', '--now', UNIT_NAME]] as [string, ...string[]][]) {
    const r = await run(e, argv);
    if (!r.ok) throw new ServiceError(`${argv.join(' ')} failed: ${firstLine(r)} (the unit file is in place: fix that and run roost service install again)`);
  }
  messages.push(`enabled and started ${UNIT_NAME} (systemctl --user status ${UNIT_NAME}; logs: journalctl --user -u ${UNIT_NAME})`);
  let linger = await lingerOn(e);
  if (linger !== true) {
    const r = await run(e, ['loginctl', 'enable-linger', userOf(e)]);
    if (r.ok) {
      linger = true;
      messages.push(`enabled lingering for ${userOf(e)}: the daemon starts at boot without a login`);
    } else {
      messages.push(`could not enable lingering (${firstLine(r)}): without it the daemon starts at your first login, not at boot. As root, run: sudo loginctl enable-linger ${userOf(e)}`);
    }
  } else messages.push(`lingering is on for ${userOf(e)}: the daemon starts at boot`);
  return { method: 'systemd', messages, written: file, linger };
}

async function installCron(e: ServiceEnv): Promise<InstallResult> {
  const current = await readCrontab(e);
  if ('why' in current) throw new ServiceError(`cannot use cron: ${current.why}`);
  // The line appends to a log in the state folder: it must exist at boot, before anything of Roost ran.
  ensurePrivateDir(e.paths.stateDir);
  const line = cronLine(e.serve, cronLog(e.paths));
  const r = await run(e, ['crontab', '-'], withCronLine(current.text, line));
  if (!r.ok) throw new ServiceError(`crontab - failed: ${firstLine(r)}`);
  const messages = [`added to your crontab: ${line}`, `the daemon's output goes to ${cronLog(e.paths)}`];
  if (!cronRunning()) messages.push('no cron daemon runs on this machine now: the line takes effect only where cron runs at boot');
  messages.push('cron does not restart a daemon that stops; roost serve starts it by hand');
  return { method: 'cron', messages, written: line, linger: null };
}

/** Install with `method`, or pick: systemd when a user manager answers, else cron. */
export async function installService(e: ServiceEnv, method: Method | null): Promise<InstallResult> {
  if (method === 'cron') return installCron(e);
  const sd = await systemdAvailable(e);
  if (sd.ok) return installSystemd(e);
  if (method === 'systemd') throw new ServiceError(`no systemd user manager here (${sd.why}); use roost service install --cron`);
  const r = await installCron(e);
  r.messages.unshift(`systemd user units are not available here (${sd.why}): using cron instead`);
  return r;
}

export interface UninstallResult {
  messages: string[];
  removed: Method[];
}

export async function uninstallService(e: ServiceEnv): Promise<UninstallResult> {
  const out: UninstallResult = { messages: [], removed: [] };
  const file = unitFile(e.paths);
  if (existsSync(file)) {
    const sd = await systemdAvailable(e);
    if (sd.ok) {
      const r = await run(e, ['systemctl', '--user', 'disable', '--now', UNIT_NAME]);
      if (!r.ok) out.messages.push(`systemctl --user disable --now ${UNIT_NAME}: ${firstLine(r)}`);
    }
    rmSync(file, { force: true });
    if (sd.ok) await run(e, ['systemctl', '--user', 'daemon-reload']);
    out.messages.push(`removed ${file}${sd.ok ? ' (stopped and disabled)' : ''}`);
    out.removed.push('systemd');
  }
  const cron = await readCrontab(e);
  if ('text' in cron && cronLineIn(cron.text) !== null) {
    const r = await run(e, ['crontab', '-'], withoutCronLine(cron.text));
    if (!r.ok) throw new ServiceError(`crontab - failed: ${firstLine(r)}`);
    out.messages.push('removed the roost line from your crontab');
    out.removed.push('cron');
  }
  if (out.removed.length === 0) out.messages.push('no Roost service installed (nothing to remove)');
  return out;
}

export interface ServiceStatus {
  /** How the daemon is started at boot, or null when it is not. */
  method: Method | null;
  systemd: { available: boolean; why: string | null; unitFile: string; installed: boolean; enabled: string | null; active: string | null; linger: boolean | null };
  cron: { available: boolean; why: string | null; installed: boolean; line: string | null; daemonRunning: boolean };
}

export async function serviceStatus(e: ServiceEnv): Promise<ServiceStatus> {
  const file = unitFile(e.paths);
  const sd = await systemdAvailable(e);
  const installed = existsSync(file);
  let enabled: string | null = null;
  let active: string | null = null;
  if (sd.ok && installed) {
    // is-enabled / is-active print their answer and exit non-zero for "disabled", "inactive": the word is what counts.
    const en = await run(e, ['systemctl', '--user', 'is-enabled', UNIT_NAME]);
    enabled = en.stdout.trim() || null;
    const ac = await run(e, ['systemctl', '--user', 'is-active', UNIT_NAME]);
    active = ac.stdout.trim() || null;
  }
  const cron = await readCrontab(e);
  const line = 'text' in cron ? cronLineIn(cron.text) : null;
  return {
    method: installed ? 'systemd' : line !== null ? 'cron' : null,
    systemd: { available: sd.ok, why: sd.ok ? null : sd.why, unitFile: file, installed, enabled, active, linger: sd.ok ? await lingerOn(e) : null },
    cron: { available: 'text' in cron, why: 'why' in cron ? cron.why : null, installed: line !== null, line, daemonRunning: cronRunning() },
  };
}


/**
 * `roost doctor`'s checks of restore: is the daemon started at boot (the
 * service), can it start without a login (lingering), and is there a recent
 * snapshot to come back to.
 */
import type { Check } from '../setup/doctor.js';
import { serviceStatus, type ServiceEnv } from './service.js';
import type { SnapshotStore } from './store.js';
import { plural } from './format.js';

/** A snapshot older than this (ms) while the daemon should be taking them is worth a word. */
const STALE_MS = 24 * 3600_000;

/** `socket`: the tmux server whose snapshots count (SnapshotStore.latest). */
export async function restoreChecks(e: ServiceEnv, store: SnapshotStore, socket: string, user: string, now = Date.now()): Promise<Check[]> {
  const st = await serviceStatus(e);
  const checks: Check[] = [];
  if (st.method === 'systemd') {
    const sd = st.systemd;
    const good = sd.enabled === 'enabled' && sd.active === 'active';
    checks.push(good
      ? { id: 'service', level: 'ok', message: `the daemon starts at boot: systemd user unit ${sd.unitFile} (enabled, active)` }
      : { id: 'service', level: 'warn', message: `systemd user unit ${sd.unitFile} is ${sd.enabled ?? 'unknown'}, ${sd.active ?? 'unknown'}${sd.available ? '' : ` (${sd.why})`}`, fix: 'roost service install' });
    if (sd.linger === false) checks.push({ id: 'linger', level: 'warn', message: 'lingering is off: the daemon starts at your first login, not at boot', fix: `sudo loginctl enable-linger ${user}` });
  } else if (st.method === 'cron') {
    checks.push(st.cron.daemonRunning
      ? { id: 'service', level: 'ok', message: 'the daemon starts at boot: @reboot line in your crontab' }
      : { id: 'service', level: 'warn', message: 'an @reboot line is in your crontab, but no cron daemon runs here now', fix: 'start cron at boot (Debian: apt-get install cron; systemctl enable cron), or roost service install on a machine with systemd' });
  } else {
    checks.push({ id: 'service', level: 'warn', message: `the daemon does not start at boot (systemd user units: ${st.systemd.available ? 'available' : st.systemd.why}; cron: ${st.cron.available ? 'available' : st.cron.why})`, fix: 'roost service install' });
  }
  const l = store.latest(socket);
  if (l.skipped.length) checks.push({ id: 'snapshots', level: 'warn', message: `${l.skipped[0]!.problem}; restore would use ${l.snapshot ? `snapshot ${l.snapshot.generation}` : 'nothing'}`, fix: 'roost snapshot (takes a good one now)' });
  else if (!l.snapshot) checks.push({ id: 'snapshots', level: 'info', message: `no snapshot yet in ${store.dir}`, fix: 'roost serve takes them, or roost snapshot' });
  else {
    const age = now - l.snapshot.createdAt;
    const hours = Math.round(age / 3600_000);
    checks.push(age > STALE_MS
      ? { id: 'snapshots', level: 'warn', message: `the newest snapshot (${l.snapshot.generation}) is ${hours} hours old: is the daemon running?`, fix: 'roost serve (or roost service install), or roost snapshot' }
      : { id: 'snapshots', level: 'ok', message: `snapshot ${l.snapshot.generation} of ${plural(l.snapshot.sessions.length, 'session')}, ${Math.max(0, Math.round(age / 60_000))} min old` });
  }
  return checks;
}

/**
 * roost service install|uninstall|status: the daemon started at boot, as a
 * systemd user unit or, where there is none, an @reboot crontab line
 * (src/restore/service.ts does the work).
 */
import { realpathSync } from 'node:fs';
import { UsageError, UserError, localTime, noExtra, onlyOptions, type Command, type Context } from '../command.js';
import { requestDaemon } from '../../daemon/client.js';
import { installService, serviceStatus, uninstallService, ServiceError, type Method, type ServiceEnv } from '../../restore/service.js';
import { serviceEnv } from '../../restore/unit.js';
import { RESTORE_STATUS_ROUTE, type RestoreStatus } from '../../restore/routes.js';
import { snapshotStore } from '../../restore/restore.js';
import { plural } from '../../restore/format.js';
import { roostBin } from '../../config/install.js';

/** How long status waits for the daemon (ms). */
const PROBE_MS = 1000;

export function serviceEnvFor(ctx: Context): ServiceEnv {
  const env = serviceEnv(ctx.env);
  // A -L given on this command line is the server the service should use too.
  if (ctx.tmux.socket !== undefined) env['ROOST_TMUX_SOCKET'] = ctx.tmux.socket;
  return { paths: ctx.paths, env: ctx.env, serve: { node: realpathSync(process.execPath), roost: roostBin(), env } };
}

/** The running daemon's own account (address, newest snapshot), or null when it does not answer. */
export async function daemonStatus(ctx: Context): Promise<RestoreStatus | null> {
  const r = await requestDaemon(ctx.paths.socket, 'GET', RESTORE_STATUS_ROUTE, undefined, { timeoutMs: PROBE_MS });
  return 'status' in r && r.status === 200 ? (r.body as RestoreStatus) : null;
}

export const service: Command = {
  name: 'service',
  summary: 'start the daemon at boot (systemd user unit, or cron)',
  usage: `roost service install [--systemd | --cron]
roost service uninstall
roost service status [--json]

install makes the daemon (roost serve) start at boot and come back when it
fails, so sessions are restored after a reboot without anyone logging in:
  - a systemd user unit, ~/.config/systemd/user/roost.service, enabled and
    started, logging to the journal (journalctl --user -u roost); lingering
    is turned on (loginctl enable-linger) so it starts at boot, or the
    exact command is printed when that needs root;
  - where systemd user units are not available (containers, many HPC login
    nodes): an @reboot line in your crontab, output to
    $XDG_STATE_HOME/roost/serve.log (~/.local/state/roost/serve.log by
    default).
It says which it used and why. The unit runs this install's roost with the
PATH, locale and tmux socket of this shell. uninstall removes either.
status shows the unit or the crontab line, the daemon, its address, and
the newest snapshot.

Options:
  --systemd   install the systemd unit, or fail saying why not
  --cron      install the crontab line even where systemd would do
  --json      (status) print the JSON object of docs/cli.md`,
  options: { systemd: { type: 'boolean' }, cron: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(ctx, args) {
    const [sub] = args.positionals;
    noExtra(args, 1);
    const e = serviceEnvFor(ctx);
    try {
      if (sub === 'install') {
        onlyOptions(args, 'service install', ['systemd', 'cron']);
        if (args.values['systemd'] && args.values['cron']) throw new UsageError('--systemd and --cron exclude each other');
        const method: Method | null = args.values['systemd'] ? 'systemd' : args.values['cron'] ? 'cron' : null;
        const r = await installService(e, method);
        for (const m of r.messages) ctx.out(m);
        ctx.out(`installed: ${r.method === 'systemd' ? 'systemd user unit' : '@reboot crontab line'}`);
        return 0;
      }
      if (sub === 'uninstall') {
        onlyOptions(args, 'service uninstall', []);
        for (const m of (await uninstallService(e)).messages) ctx.out(m);
        return 0;
      }
      if (sub === 'status') {
        onlyOptions(args, 'service status', ['json']);
        const st = await serviceStatus(e);
        const daemon = await daemonStatus(ctx);
        const latest = snapshotStore(ctx.paths).latest(ctx.tmux.socketPath()).snapshot;
        const lastSnapshot = latest && { generation: latest.generation, createdAt: latest.createdAt, sessions: latest.sessions.length };
        if (args.values['json']) {
          ctx.out(JSON.stringify({ ...st, daemon: { running: daemon !== null, socket: ctx.paths.socket, url: daemon?.url ?? null }, lastSnapshot }, null, 2));
          return 0;
        }
        const sd = st.systemd;
        ctx.out(`service   ${st.method === 'systemd' ? `systemd user unit ${sd.unitFile}: ${sd.enabled ?? '?'}, ${sd.active ?? '?'}${sd.linger === false ? ' (no lingering: starts at your first login; sudo loginctl enable-linger USER)' : ''}`
          : st.method === 'cron' ? `@reboot crontab line${st.cron.daemonRunning ? '' : ' (no cron daemon seen running)'}` : 'not installed (roost service install)'}`);
        if (st.method !== 'systemd') ctx.out(`systemd   ${sd.available ? 'user manager available' : `not available (${sd.why})`}`);
        ctx.out(`daemon    ${daemon ? `running, ${daemon.url}` : `not running (no answer on ${ctx.paths.socket})`}`);
        ctx.out(`snapshot  ${lastSnapshot ? `${lastSnapshot.generation}, ${localTime(lastSnapshot.createdAt)}, ${plural(lastSnapshot.sessions, 'session')}` : 'none yet'}`);
        return 0;
      }
    } catch (err) {
      if (err instanceof ServiceError) throw new UserError(err.message);
      throw err;
    }
    throw new UsageError(sub === undefined ? 'missing action: install, uninstall or status' : `unknown action ${JSON.stringify(sub)}: use install, uninstall or status`);
  },
};

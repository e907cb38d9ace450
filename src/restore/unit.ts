/**
 * The texts `roost service install` writes, pure: the systemd user unit that
 * runs `roost serve` at boot, and the crontab line of the fallback, with the
 * quoting each needs (systemd's for ExecStart and Environment, sh's for
 * cron, where "%" also has to be escaped).
 *
 * KillMode=process: the daemon may start the tmux server (a restore at
 * boot); stopping or restarting the unit must end the daemon only, never
 * the tmux server with everyone's sessions in it.
 */
import { quoteWord } from './quote.js';

export const UNIT_NAME = 'roost.service';
/** Marks Roost's crontab line, so install replaces it and uninstall finds it. */
export const CRON_MARK = '# roost-service';

/**
 * The daemon's arguments under a service: its output goes to a log (serve.log
 * or the journal), which must not hold a live login link.
 */
export const SERVICE_SERVE_ARGS = ['serve', '--no-login-link'];

export interface ServeCommand {
  /** Absolute path of node. */
  node: string;
  /** Absolute path of bin/roost. */
  roost: string;
  /** Variables the daemon needs (PATH for tmux and the shells it starts, LANG, ROOST_TMUX_SOCKET...). */
  env: Readonly<Record<string, string>>;
}

/** The variables of `env` worth carrying into a service: the rest comes from the login or the service manager. */
export const SERVICE_ENV_KEYS = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'SHELL', 'ROOST_TMUX_SOCKET', 'TMUX_TMPDIR', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME'];

export function serviceEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of SERVICE_ENV_KEYS) {
    const v = env[k];
    if (v !== undefined && v !== '' && !/[\n\r\0]/.test(v)) out[k] = v;
  }
  return out;
}

/** One Environment= item: double-quoted, with \ and " escaped and % (a specifier) doubled; "$" means nothing there. */
export function systemdEnvItem(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;
}

/** One word of ExecStart=: as an Environment= item, and "$" doubled (ExecStart expands $VAR). */
export function systemdExecWord(s: string): string {
  return systemdEnvItem(s).replace(/\$/g, '$$$$');
}

export function unitText(c: ServeCommand): string {
  const env = Object.entries(c.env).map(([k, v]) => `Environment=${systemdEnvItem(`${k}=${v}`)}`);
  return `# Written by roost service install: the Roost daemon (roost serve), started at boot.
# Remove it with: roost service uninstall
[Unit]
Description=Roost: terminal sessions from any device
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=${[c.node, c.roost, ...SERVICE_SERVE_ARGS].map(systemdExecWord).join(' ')}
${env.join('\n')}
Restart=on-failure
RestartSec=5
# Only the daemon: the tmux server it may have started keeps everyone's sessions.
KillMode=process

[Install]
WantedBy=default.target
`;
}

/** The crontab line: at boot, the daemon with its variables, its output appended to `log`. */
export function cronLine(c: ServeCommand, log: string): string {
  const words = ['env', ...Object.entries(c.env).map(([k, v]) => `${k}=${v}`), c.node, c.roost, ...SERVICE_SERVE_ARGS];
  // In a crontab command an unescaped % ends the command (and starts its input).
  const cmd = `${words.map(quoteWord).join(' ')} >> ${quoteWord(log)} 2>&1`.replace(/%/g, '\\%');
  return `@reboot ${cmd} ${CRON_MARK}`;
}

/** A crontab with Roost's line put in (replacing an older one), other lines as they were. */
export function withCronLine(crontab: string, line: string): string {
  const kept = crontab.split('\n').filter((l) => !l.endsWith(CRON_MARK));
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  return `${[...kept, line].join('\n')}\n`;
}

/** A crontab without Roost's line. */
export function withoutCronLine(crontab: string): string {
  const kept = crontab.split('\n').filter((l) => !l.endsWith(CRON_MARK));
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  return kept.length ? `${kept.join('\n')}\n` : '';
}

/** Roost's line of a crontab, or null. */
export function cronLineIn(crontab: string): string | null {
  return crontab.split('\n').find((l) => l.endsWith(CRON_MARK)) ?? null;
}

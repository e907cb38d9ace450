/** roost open [--qr]: a fresh one-time login link from the running daemon. */
import { UserError, noExtra, type Command } from '../command.js';
import { callDaemon, DaemonError, DaemonNotRunningError } from '../../daemon/client.js';
import { isLoopback } from '../../server/exposure.js';

/**
 * What to tell someone about to scan `url` with a phone when the phone
 * cannot reach it (the daemon serves loopback only), as the dashboard's Add
 * device dialog does; none when it can.
 */
export function phoneNote(url: string): string[] {
  const host = new URL(url).hostname;
  if (!isLoopback(host)) return [];
  return [
    `${host} reaches only this computer: a phone cannot open this link.`,
    'For a phone, serve Roost on an address the phone can reach (roost serve --host ADDR --tls-cert FILE --tls-key FILE; see roost serve --help), then run roost open --qr again.',
  ];
}

export const open: Command = {
  name: 'open',
  summary: 'print a one-time login link for the running daemon',
  usage: `roost open [--qr] [--json]

Ask the running daemon (roost serve) for a login link that works once,
within 10 minutes, and print it. Open it in any browser that reaches the
daemon to log that browser in.

Options:
  --qr      also draw the link as a QR code, to scan with a phone (a link
            to 127.0.0.1 reaches only this computer: it says so)
  --json    print {"url", "expiresAt"}`,
  options: { qr: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(ctx, args) {
    noExtra(args, 0);
    let link: { url: string; expiresAt: number };
    try {
      link = await callDaemon(ctx.paths.socket, 'POST', '/api/login-links');
    } catch (e) {
      if (e instanceof DaemonNotRunningError || e instanceof DaemonError) throw new UserError(e.message);
      throw e;
    }
    if (args.values['json']) {
      ctx.out(JSON.stringify(link));
      return 0;
    }
    if (args.values['qr']) {
      const { default: QRCode } = await import('qrcode');
      ctx.out(await QRCode.toString(link.url, { type: 'terminal', small: true }));
    }
    ctx.out(link.url);
    if (args.values['qr']) for (const line of phoneNote(link.url)) ctx.err(`roost open: ${line}`);
    return 0;
  },
};

/**
 * roost token create|ls|revoke: API tokens for scripts and other devices.
 * Works on the database directly (the daemon need not run); a revoke also
 * pokes a running daemon so the token's open connections close at once.
 */
import { UsageError, UserError, localTime, noExtra, onlyOptions, printTable, requireName, str, type Command, type Context } from '../command.js';
import { openRoostDb } from '../../daemon/schemas.js';
import { Auth } from '../../auth/auth.js';
import { daemonPublicUrl, pokeAuthChanged } from '../../daemon/client.js';
import { loginPath } from '../../shared/login-link.js';

const ID_RE = /^[0-9a-f]{12}$/;
/** How long (ms) `create` waits for a running daemon to say its address, for the login link. */
const URL_PROBE_MS = 1000;

function withAuth<T>(ctx: Context, fn: (auth: Auth) => T): T {
  const db = openRoostDb(ctx.paths.stateDir);
  try {
    return fn(new Auth(db));
  } finally {
    db.close();
  }
}

export const token: Command = {
  name: 'token',
  summary: 'create, list and revoke API tokens',
  usage: `roost token create [--name NAME] [--read-only] [--json]
roost token ls [--json]
roost token revoke ID

API tokens let scripts call the HTTP API (Authorization: Bearer TOKEN) and
log a browser in: paste the token on the login page, or open the login link
create prints, ADDRESS/login#token=TOKEN, reusable until the token is
revoked (the address is the running daemon's; without one, put the address
you reach the dashboard at in front). A token is shown once, when created;
Roost keeps only its hash. A read-only token can watch terminals and list
sessions, never type, resize, create or kill. Revoking a token ends its
logins and closes its open connections within seconds.

Options:
  --name NAME    a label for the token (letters, digits, "_", "-")
  --read-only    a token that can only watch
  --json         machine-readable output (create: with "url", the login
                 link, null when no daemon runs)`,
  options: { name: { type: 'string' }, 'read-only': { type: 'boolean' }, json: { type: 'boolean' } },
  async run(ctx, args) {
    const [sub, ...rest] = args.positionals;
    const json = args.values['json'] === true;
    if (sub === 'create') {
      onlyOptions(args, 'token create', ['name', 'read-only', 'json']);
      noExtra(args, 1);
      const nameArg = str(args, 'name');
      const name = nameArg === undefined ? null : requireName(nameArg, 'token name');
      const role = args.values['read-only'] ? 'read-only' : 'owner';
      const t = withAuth(ctx, (auth) => auth.createApiToken({ name, role }));
      // Only the daemon's address is asked for: the token itself goes nowhere but stdout.
      const base = await daemonPublicUrl(ctx.paths.socket, URL_PROBE_MS);
      const path = loginPath(t.token);
      if (json) {
        ctx.out(JSON.stringify({ ...t, url: base === null ? null : base + path }));
        return 0;
      }
      ctx.out(`Created ${role} token ${t.id}${name ? ` (${name})` : ''}. Copy it now; it is not shown again:`);
      ctx.out(t.token);
      ctx.out(`Login link, reusable until you revoke the token (roost token revoke ${t.id}):`);
      if (base !== null) ctx.out(base + path);
      else {
        ctx.out(path);
        ctx.out('No daemon runs to say its address: put the address you reach the dashboard at in front (e.g. http://HOST:7373/login#token=...).');
      }
      return 0;
    }
    if (sub === 'ls' || sub === 'list') {
      onlyOptions(args, `token ${sub}`, ['json']);
      noExtra(args, 1);
      const list = withAuth(ctx, (auth) => auth.listApiTokens());
      if (json) {
        ctx.out(JSON.stringify(list));
        return 0;
      }
      if (list.length === 0) {
        ctx.out('no tokens (create one with: roost token create)');
        return 0;
      }
      const rows = [['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'STATUS'], ...list.map((t) => [t.id, t.name ?? '-', t.role, localTime(t.created), localTime(t.lastUsed), t.revoked === null ? 'active' : `revoked ${localTime(t.revoked)}`])];
      printTable(ctx, rows);
      return 0;
    }
    if (sub === 'revoke') {
      onlyOptions(args, 'token revoke', []);
      noExtra(args, 2);
      const id = rest[0];
      if (id === undefined) throw new UsageError('missing token ID');
      if (!ID_RE.test(id)) throw new UserError(`invalid token ID ${JSON.stringify(id)}: IDs are 12 hex digits (see roost token ls)`);
      const outcome = withAuth(ctx, (auth) => {
        if (auth.revokeApiToken(id)) return 'revoked';
        return auth.tokens.get(id) ? 'already' : 'unknown';
      });
      if (outcome === 'unknown') throw new UserError(`no token ${id} (see roost token ls)`);
      await pokeAuthChanged(ctx.paths.socket);
      ctx.out(outcome === 'revoked' ? `revoked token ${id}; its logins and open connections end now` : `token ${id} was already revoked`);
      return 0;
    }
    if (sub === undefined) throw new UsageError('missing subcommand: create, ls or revoke');
    throw new UsageError(`unknown subcommand "${sub}": use create, ls or revoke`);
  },
};

/**
 * roost notify add|ls|rm|enable|disable|test: notification channels (ntfy, webhook). Works
 * on the database directly, so the daemon need not run; a running daemon
 * reads the channels on every event and sees changes at once. Web Push
 * channels are browser subscriptions, made from the dashboard.
 */
import { readFileSync } from 'node:fs';
import { localTime, noExtra, onlyOptions, printTable, str, UsageError, UserError, type Command, type Context, type Parsed } from '../command.js';
import { openRoostDb } from '../../daemon/schemas.js';
import { ChannelError, publicChannel, type Channel, type NewChannel } from '../../notify/channels.js';
import { ntfyChannel, webhookChannel } from '../../notify/create.js';
import { createNotifier, type Notifier } from '../../notify/notifier.js';
import { UrlRefused } from '../../notify/url-guard.js';
import { NOTIFY_KINDS } from '../../daemon/notify-kinds.js';
import { printable } from '../../shared/printable.js';

/** The notify stack over the database, without the daemon (no public URL, nobody watching). */
async function withNotifier<T>(ctx: Context, fn: (n: Notifier) => T | Promise<T>): Promise<T> {
  const db = openRoostDb(ctx.paths.stateDir);
  const notifier = createNotifier({ db, stateDir: ctx.paths.stateDir });
  try {
    return await fn(notifier);
  } finally {
    notifier.close();
    db.close();
  }
}

/** A secret from a file (or "-" for stdin): secrets never go on the command line, where `ps` shows them. */
function readSecret(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8').trim();
  } catch (e) {
    throw new UserError(`cannot read the ${what} file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // An empty file is a mistake (a wrong path, an unset variable): never read it as "no secret".
  if (text === '') throw new UserError(`the ${what} file ${path === '-' ? '(standard input)' : path} is empty; nothing changed`);
  return text;
}

const list = (args: Parsed, key: string): string[] | null => {
  const v = args.values[key];
  return v === undefined ? null : (Array.isArray(v) ? v : [String(v)]);
};

function parseId(raw: string | undefined): number {
  if (raw === undefined) throw new UsageError('missing channel ID');
  if (!/^[1-9]\d{0,9}$/.test(raw)) throw new UserError(`invalid channel ID ${JSON.stringify(raw)}: IDs are numbers (see roost notify ls)`);
  return Number(raw);
}

/** What every `add` takes, whatever the kind. */
const ADD_OPTIONS = ['url', 'states', 'sessions', 'quiet', 'name', 'allow-private', 'json'];

async function add(ctx: Context, args: Parsed): Promise<number> {
  noExtra(args, 2);
  const kind = args.positionals[1];
  if (kind === 'ntfy') onlyOptions(args, 'notify add ntfy', [...ADD_OPTIONS, 'topic', 'token-file']);
  if (kind === 'webhook') onlyOptions(args, 'notify add webhook', [...ADD_OPTIONS, 'secret-file']);
  const url = str(args, 'url');
  const common = {
    name: str(args, 'name') ?? null,
    states: list(args, 'states'),
    kinds: NOTIFY_KINDS,
    sessions: list(args, 'sessions'),
    quiet: str(args, 'quiet') ?? null,
    allowPrivate: args.values['allow-private'] === true,
  };
  let channel: NewChannel;
  let generated: string | null = null;
  if (kind === 'ntfy') {
    const topic = str(args, 'topic');
    if (!url || !topic) throw new UsageError('ntfy needs --url and --topic');
    const tokenFile = str(args, 'token-file');
    channel = await ntfyChannel({ ...common, url, topic, token: tokenFile ? readSecret(tokenFile, 'token') : null });
  } else if (kind === 'webhook') {
    if (!url) throw new UsageError('webhook needs --url');
    const secretFile = str(args, 'secret-file');
    const w = await webhookChannel({ ...common, url, secret: secretFile ? readSecret(secretFile, 'secret') : null });
    if (!secretFile) generated = w.config.secret;
    channel = w;
  } else if (kind === 'webpush') {
    throw new UserError('Web Push channels are made by subscribing in the dashboard (open it on the device, then "Notify me")');
  } else {
    throw new UsageError(kind === undefined ? 'missing channel kind (ntfy or webhook)' : `unknown channel kind "${kind}": use ntfy or webhook`);
  }
  const saved = await withNotifier(ctx, (n) => n.channels.add(channel));
  if (args.values['json']) ctx.out(JSON.stringify({ ...publicChannel(saved, 'owner'), ...(generated ? { secret: generated } : {}) }));
  else {
    ctx.out(`added ${saved.kind} channel ${saved.id}: ${publicChannel(saved, 'owner').destination}`);
    if (generated) {
      ctx.out('Signing secret (X-Roost-Signature, HMAC-SHA256); copy it now, it is not shown again:');
      ctx.out(generated);
    }
    ctx.out(`try it: roost notify test ${saved.id}`);
  }
  return 0;
}

function filters(c: Channel): string {
  const parts: string[] = [];
  parts.push(c.states ? c.states.join(',') : 'all states');
  if (c.sessions) parts.push(`sessions ${c.sessions.join(',')}`);
  if (c.quiet) parts.push(`quiet ${c.quiet}`);
  if (c.allowPrivate) parts.push('private ok');
  if (!c.enabled) parts.push('disabled');
  return parts.join('; ');
}

async function ls(ctx: Context, args: Parsed): Promise<number> {
  onlyOptions(args, `notify ${args.positionals[0]}`, ['json']);
  noExtra(args, 1);
  const rows = await withNotifier(ctx, ({ channels }) => channels.list().map((c) => ({ c, status: channels.statusOf(c.id)! })));
  if (args.values['json']) {
    ctx.out(JSON.stringify(rows.map(({ c, status }) => ({ ...publicChannel(c, 'owner'), status }))));
    return 0;
  }
  if (rows.length === 0) {
    ctx.out('no notification channels (add one with: roost notify add ntfy|webhook ...)');
    return 0;
  }
  const table = [['ID', 'KIND', 'NAME', 'DESTINATION', 'NOTIFIES', 'LAST OK', 'LAST ERROR']];
  for (const { c, status } of rows) {
    // Stored before the error text was made printable (http.ts) too: a server's words never drive this terminal.
    const err = status.lastError ? `${localTime(status.lastErrorAt)} ${printable(status.lastError)}` : '-';
    table.push([String(c.id), c.kind, c.name ?? '-', publicChannel(c, 'owner').destination, filters(c), localTime(status.lastOkAt), err]);
  }
  printTable(ctx, table);
  return 0;
}

/** enable/disable ID: the channel stays with its filters and secrets; a disabled one is skipped by every notification and by `test` without an ID. */
async function setEnabled(ctx: Context, args: Parsed, enabled: boolean): Promise<number> {
  onlyOptions(args, `notify ${args.positionals[0]}`, []);
  noExtra(args, 2);
  const id = parseId(args.positionals[1]);
  if (!(await withNotifier(ctx, (n) => n.channels.setEnabled(id, enabled)))) throw new UserError(`no channel ${id} (see roost notify ls)`);
  ctx.out(`${enabled ? 'enabled' : 'disabled'} channel ${id}`);
  return 0;
}

async function test(ctx: Context, args: Parsed): Promise<number> {
  onlyOptions(args, 'notify test', []);
  noExtra(args, 2);
  const only = args.positionals[1] === undefined ? null : parseId(args.positionals[1]);
  return withNotifier(ctx, async ({ channels: repo, dispatcher }) => {
    const channels = repo.list().filter((c) => (only === null ? c.enabled : c.id === only));
    if (only !== null && channels.length === 0) throw new UserError(`no channel ${only} (see roost notify ls)`);
    if (channels.length === 0) throw new UserError('no enabled channels to test (add one with: roost notify add ntfy|webhook ...)');
    const results = await Promise.all(channels.map(async (c) => ({ c, r: await dispatcher.sendTest(c) })));
    let failed = 0;
    for (const { c, r } of results) {
      if (r.ok) ctx.out(`${c.id} ${c.kind} ${publicChannel(c, 'owner').destination}: sent`);
      else {
        failed++;
        ctx.err(`${c.id} ${c.kind} ${publicChannel(c, 'owner').destination}: failed: ${r.error}`);
      }
    }
    return failed === 0 ? 0 : 1;
  });
}

export const notify: Command = {
  name: 'notify',
  summary: 'notification channels: ntfy, webhook (Web Push from the dashboard)',
  usage: `roost notify add ntfy --url URL --topic TOPIC [--token-file FILE] [FILTERS]
roost notify add webhook --url URL [--secret-file FILE] [FILTERS]
roost notify ls [--json]
roost notify rm ID
roost notify disable ID
roost notify enable ID
roost notify test [ID]

Tell you when a window wants attention: needs-permission, idle, done (from
agent hooks), waiting (no output for the silence threshold), bell, exited.
One notification per episode: a window that stays waiting is not repeated
until it has produced output again. Nothing is sent for a window someone is
looking at in a focused browser. A notification names the session, window
and state ("main:1 claude — needs permission"), never terminal content.

A webhook gets a JSON POST signed with HMAC-SHA256 (X-Roost-Signature:
sha256=HEX over the body); without --secret-file a secret is made and shown
once. Secrets are read from files ("-" = stdin), never from the command line.
A disabled channel keeps its settings and gets nothing until enabled again.
URLs that reach loopback, private or link-local addresses are refused unless
--allow-private is given. See docs/notifications.md.

Filters:
  --states LIST       only these states or kinds (comma-separated), e.g.
                      needs-permission,done,job-failed; every kind: docs/cli.md
  --sessions LIST     only these sessions, e.g. main,work
  --quiet HH:MM-HH:MM nothing in this local time range, e.g. 22:00-07:00
  --name NAME         a label for the channel
  --allow-private     allow a URL on this machine or its private network
  --json              machine-readable output`,
  options: {
    url: { type: 'string' },
    topic: { type: 'string' },
    'token-file': { type: 'string' },
    'secret-file': { type: 'string' },
    states: { type: 'string', multiple: true },
    sessions: { type: 'string', multiple: true },
    quiet: { type: 'string' },
    name: { type: 'string' },
    'allow-private': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(ctx, args) {
    const sub = args.positionals[0];
    try {
      if (sub === 'add') return await add(ctx, args);
      if (sub === 'ls' || sub === 'list') return await ls(ctx, args);
      if (sub === 'test') return await test(ctx, args);
      if (sub === 'enable' || sub === 'disable') return await setEnabled(ctx, args, sub === 'enable');
      if (sub === 'rm' || sub === 'remove') {
        onlyOptions(args, `notify ${sub}`, []);
        noExtra(args, 2);
        const id = parseId(args.positionals[1]);
        if (!(await withNotifier(ctx, (n) => n.channels.remove(id)))) throw new UserError(`no channel ${id} (see roost notify ls)`);
        ctx.out(`removed channel ${id}`);
        return 0;
      }
    } catch (e) {
      if (e instanceof ChannelError || e instanceof UrlRefused) throw new UserError(e.message);
      throw e;
    }
    throw new UsageError(sub === undefined ? 'missing action (add, ls, rm, enable, disable or test)' : `unknown action "${sub}"`);
  },
};

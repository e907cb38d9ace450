/**
 * roost passwd [--clear]: set (or remove) the password for the login page.
 * Read from the terminal without echo, twice; from a pipe, one line. Never
 * from the command line (it would show in `ps` and shell history). Every
 * browser login ends.
 */
import type { ReadStream } from 'node:tty';
import { UserError, noExtra, type Command, type Context } from '../command.js';
import { openRoostDb } from '../../daemon/schemas.js';
import { Auth } from '../../auth/auth.js';
import { passwordProblem, PASSWORD_MAX } from '../../auth/password.js';
import { pokeAuthChanged } from '../../daemon/client.js';

/** Read one line from the terminal without echoing it. */
function readHidden(ctx: Context, prompt: string): Promise<string> {
  const stdin = ctx.stdin as unknown as ReadStream;
  ctx.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let buf = '';
    const finish = (err: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      ctx.stderr.write('\n');
      if (err) reject(err);
      else resolve(buf);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003' || (ch === '\u0004' && buf === '')) return finish(new UserError('cancelled; the password is unchanged'));
        if (ch === '\u007f' || ch === '\b') buf = [...buf].slice(0, -1).join('');
        else if (ch >= ' ') buf += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Read the first line of a piped stdin. */
function readLine(ctx: Context): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = () => {
      ctx.stdin.off('data', onData);
      ctx.stdin.off('end', done);
      ctx.stdin.pause();
      resolve(buf.split(/\r?\n/)[0]!);
    };
    const onData = (chunk: Buffer | string) => {
      buf += chunk.toString();
      if (buf.includes('\n')) done();
      else if (buf.length > PASSWORD_MAX * 4) reject(new UserError('the password line is too long'));
    };
    ctx.stdin.on('data', onData);
    ctx.stdin.on('end', done);
    ctx.stdin.resume();
  });
}

export const passwd: Command = {
  name: 'passwd',
  summary: 'set the password for the login page',
  usage: `roost passwd [--clear]

Set the password that logs a browser in (as an alternative to login links
and tokens). It is read from the terminal without echo, twice; from a pipe,
the first line of standard input. Stored as a salted scrypt hash. Setting or
clearing it logs out every browser.

Options:
  --clear   remove the password (logins then need a link or a token)`,
  options: { clear: { type: 'boolean' } },
  async run(ctx, args) {
    noExtra(args, 0);
    let password: string | null = null;
    if (!args.values['clear']) {
      if (ctx.stdin.isTTY) {
        password = await readHidden(ctx, 'New password: ');
        const again = await readHidden(ctx, 'Again: ');
        if (again !== password) throw new UserError('the passwords differ; nothing changed');
      } else {
        password = await readLine(ctx);
      }
      const problem = passwordProblem(password);
      if (problem) throw new UserError(`${problem}; nothing changed`);
    }
    const db = openRoostDb(ctx.paths.stateDir);
    try {
      const auth = new Auth(db);
      if (password === null && !auth.hasPassword()) {
        ctx.out('no password is set; nothing changed');
        return 0;
      }
      await auth.setPassword(password);
    } finally {
      db.close();
    }
    await pokeAuthChanged(ctx.paths.socket);
    ctx.out(password === null ? 'password removed; every browser login has ended' : 'password set; every browser login has ended');
    return 0;
  },
};

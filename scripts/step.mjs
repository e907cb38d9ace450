// One long step of `npm start` / `npm test` (npm ci, apt-get, the build):
// a line before it says what runs and why, a line after how long it took
// and how it ended. npm ci compiles native modules for minutes and the
// build prints nothing; without these lines set-up looks hung.
import { spawnSync } from 'node:child_process';

/** "0.4 s", "21 s", "1 min 42 s": precise where it is short, rounded where it is long. */
export function duration(ms) {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Lines on stderr, each starting "roost setup: ". */
export function say(msg) {
  process.stderr.write(`roost setup: ${msg}\n`);
}

/**
 * Run `cmd args` to completion (spawnSync options in `opts`; stdio inherited
 * unless given), saying `what` and `why` first and the time it took after.
 * Returns { ok, status, error }.
 */
export function runStep(what, why, cmd, args, opts = {}, tell = say) {
  tell(`${what}: ${why}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  const took = duration(Date.now() - started);
  if (r.error) {
    tell(`${what} could not run (${r.error.code ?? r.error.message}) after ${took}`);
    return { ok: false, status: null, error: r.error };
  }
  if (r.status === 0) tell(`${what} done in ${took}`);
  else tell(`${what} failed after ${took} (${r.signal ? `killed by ${r.signal}` : `exit status ${r.status}`})`);
  return { ok: r.status === 0, status: r.status, error: null };
}

// Runs the long job behind `npm start`, `npm test` and `npm run bench` (the
// daemon, the test runner) as a child that stops with us. A blocking spawn
// would die of a SIGTERM or SIGHUP sent to this process alone (kill PID, a
// service manager, npm passing one on) and leave the child running, still
// holding the port. So those two are passed on, and we exit once the child
// has, with its status. (package.json's scripts `exec` node, so a signal npm
// passes on reaches this process instead of stopping at npm's sh.)
//
// SIGINT is not passed on: Ctrl-C reaches the child from the terminal, as it
// reaches us, and a second one would cut the daemon's orderly stop short.
// We only wait for the child to finish.
//
// Given a name, its end is said on stderr with its status: a daemon that
// dies (kill -9, a crash) would otherwise end `npm start` without a word.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { say } from './step.mjs';

const PASSED_ON = ['SIGTERM', 'SIGHUP'];

/**
 * Run `cmd args` with inherited stdio; exits this process with the child's
 * status (128 + signal number if killed), saying so first when `name` is given.
 */
export function runChild(cmd, args, opts = {}, name = undefined) {
  const child = spawn(cmd, args, { stdio: 'inherit', ...opts });
  const passOn = (sig) => child.kill(sig);
  const ignore = () => {};
  for (const sig of PASSED_ON) process.on(sig, passOn);
  process.on('SIGINT', ignore);
  child.on('error', (e) => {
    say(`could not run ${cmd}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    const status = code ?? 128 + (constants.signals[signal] ?? 0);
    if (name) say(`${name} ${signal ? `was killed by ${signal} (exit status ${status})` : `exited with status ${status}`}`);
    process.exit(status);
  });
}

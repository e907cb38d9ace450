/**
 * Signal numbers and names, as this machine numbers them (os.constants):
 * tmux reports a dead pane's signal as a number, people and `roost jobs`
 * speak of names.
 */
import { constants as osConstants } from 'node:os';

const SIGNALS = osConstants.signals as Record<string, number>;

/** 15 → "SIGTERM" (the first name of a number that has two, e.g. 6 → "SIGABRT"); undefined for a number this machine has no name for. */
export function signalName(n: number): NodeJS.Signals | undefined {
  return Object.keys(SIGNALS).find((k) => SIGNALS[k] === n) as NodeJS.Signals | undefined;
}

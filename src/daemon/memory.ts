/**
 * What the `roost serve` process does to hold little memory while nothing
 * happens (most of its life): V8 settings for a process that allocates
 * little at a time for a long time, its compilers held back while it
 * starts, and a collection whenever it comes to rest. Process-wide V8
 * settings, so only `roost serve` uses this, never a daemon made inside
 * another program (the tests).
 *
 *   - The young generation does not grow (bin/roost sets that before the
 *     CLI loads): it would grow to 32 MB of resident pages for nothing
 *     (measured: 91 → ~77 MB idle).
 *   - Starting runs most code once (the web server, the schemas, the
 *     routes): V8's compilers would compile what runs there a few times
 *     more for nothing and keep that code and their own pages resident
 *     (~7 MB of an idle daemon). Off while it starts (bin/roost turns them
 *     off before the CLI loads), on again once it has settled or as soon as
 *     a browser connects, for the code that then runs all the time (the
 *     terminal bridge).
 *   - A daemon at rest allocates too little for V8 ever to collect what the
 *     start, or the browsers that just left, left behind (5-25 MB): a full
 *     collection once the start and its background work have settled
 *     (SETTLE_MS), and one each time the last browser connection has closed
 *     and none came back for a moment. All compact; the first also drops
 *     the code of what ran for the start alone (`collect`).
 *   - That first collection is the last one of an idle daemon: bin/roost
 *     turns off the memory reducer V8 arms while a heap first grows, which
 *     collected twice more 8 s later (~20 ms of CPU, an idle daemon's
 *     costliest moment; it gave back ~2 MB: 56.9 MB at rest, not 54.8).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How long (ms) after the daemon serves it collects what its start left,
 * once what the start runs in the background (a restore, the first
 * snapshot) is done too: its own start is over by then (the routes, the
 * schemas, the first requests). At 5 s, a daemon measured in its first
 * seconds held 4 MB more (termbench memory, 1.5 s after the login).
 */
export const SETTLE_MS = 1000;
/** How long (ms) the daemon must stay without a browser connection before what they left is collected (a page reloading comes back sooner). */
export const REST_MS = 500;

export class DaemonMemory {
  private readonly gc: (o: Collection) => void;
  private rest: NodeJS.Timeout | null = null;
  private compiling = false;

  /** Call before the daemon's modules load: the settings apply from here on. */
  constructor() {
    compilers(false);
    // V8 gives scripts its collector only with --expose-gc, which a new context picks up.
    setFlagsFromString('--expose-gc');
    const gc = (runInNewContext('gc') as (() => void) | undefined) ?? (() => undefined);
    this.gc = (o) => collect(gc, o);
  }

  /**
   * The daemon serves, and `settled` settles once what its start runs in
   * the background is done: then the compilers on and one collection, which
   * drops the code that ran for the start alone.
   */
  serving(settled: Promise<void>): void {
    setTimeout(() => {
      this.compile();
      void settled.then(() => this.gc({ dropIdleCode: true }));
    }, SETTLE_MS).unref();
  }

  /** The daemon could not start: the compilers on for whatever runs next. */
  failed(): void {
    this.compile();
  }

  /** The daemon's browser connections are now `open`: work comes (compilers on), or, at 0, none comes back for REST_MS (a collection). */
  connections(open: number): void {
    if (this.rest) clearTimeout(this.rest);
    this.rest = null;
    if (open > 0) {
      this.compile();
      return;
    }
    this.rest = setTimeout(() => {
      this.rest = null;
      this.gc({ dropIdleCode: false });
    }, REST_MS);
    this.rest.unref();
  }

  private compile(): void {
    if (this.compiling) return;
    this.compiling = true;
    compilers(true);
  }
}

interface Collection {
  /** Drop the bytecode of every function that has not run since the previous collection. */
  dropIdleCode: boolean;
}

/**
 * A collection at rest, made thorough by V8 settings for its duration only
 * (the collections V8 runs as the daemon works are left as they are).
 * bench/rss.ts: 64.1 MB at rest before (median of 5 starts), 59.8 after (of 9).
 *   - It compacts: V8 compacts only pages it judges fragmented enough, and
 *     kept ~2.7 MB of half-empty old-space pages resident (13.5 MB for 10.7
 *     MB used; 10.8 MB compacted).
 *   - Once the start has settled, it drops the bytecode of what ran for the
 *     start alone (the routes' set-up, the config's schemas): 1.2 MB -> 0.3
 *     MB. V8 does that by itself only after 5 collections, which an idle
 *     daemon never reaches. Not at each rest after browsers left: the
 *     terminal's code would go too, and compiling it again made the next
 *     attach 2 ms slower (termbench attach, 1 s between attaches: p50 5.9
 *     against 3.8 ms).
 */
function collect(gc: () => void, o: Collection): void {
  setFlagsFromString('--compact-on-every-full-gc');
  if (o.dropIdleCode) setFlagsFromString('--stress-flush-code');
  try {
    gc();
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc');
    if (o.dropIdleCode) setFlagsFromString('--no-stress-flush-code');
  }
}

function compilers(on: boolean): void {
  setFlagsFromString(on ? '--opt' : '--no-opt');
  setFlagsFromString(on ? '--sparkplug' : '--no-sparkplug');
}

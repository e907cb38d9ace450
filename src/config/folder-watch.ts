/**
 * Being told that files in a folder may have changed, without looking
 * every second: inotify (fs.watch) on the folder. A folder that does not
 * exist yet (no config.toml ever written) is watched through the nearest
 * folder above it that does, one level further down as each appears; a
 * folder removed is watched that way again. Events may come for nothing
 * (the caller looks and finds no change) but a change is not missed while
 * the watch holds; where inotify is not to be had (its limits, a file
 * system without it), watchFolder says so and the caller looks on a timer.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname, relative, sep } from 'node:path';

/**
 * Call `onChange` when an entry of `dir` whose name passes `wanted` may have
 * changed (and when `dir` itself comes or goes). Returns the function that
 * stops watching, or null when the folder cannot be watched.
 */
export function watchFolder(dir: string, wanted: (name: string) => boolean, onChange: () => void): (() => void) | null {
  let watcher: FSWatcher | null = null;
  let closed = false;

  const setup = (): boolean => {
    let at = dir;
    while (!existsSync(at)) {
      const up = dirname(at);
      if (up === at) return false;
      at = up;
    }
    // Watching a folder above: only the next folder on the way down matters there.
    const next = at === dir ? null : relative(at, dir).split(sep)[0]!;
    try {
      watcher = watch(at, { persistent: false }, (_event, name) => {
        if (closed) return;
        const entry = name === null ? null : String(name);
        if (next !== null) {
          if (entry === null || entry === next) moved();
          return;
        }
        // The folder itself gone (removed or renamed): watch it through the one above.
        if (!existsSync(dir)) return moved();
        if (entry === null || wanted(entry)) onChange();
      });
      // A watch that breaks (the folder removed under it) is made again from what exists now.
      watcher.on('error', () => moved());
    } catch {
      // No inotify here (its limits, or the file system has none).
      return false;
    }
    return true;
  };

  /** The folders on the way changed: watch again from what exists now, and tell (a file may have come with them). */
  const moved = () => {
    watcher?.close();
    watcher = null;
    if (closed) return;
    // A watch that cannot be made again leaves the caller's own timer to look.
    setup();
    onChange();
  };

  if (!setup()) return null;
  return () => {
    closed = true;
    watcher?.close();
    watcher = null;
  };
}

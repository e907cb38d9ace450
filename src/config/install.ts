/**
 * Where this installation's own files are: bin/roost, package.json and the
 * built web folder, found from the running code's place in dist/.
 *
 * The one place that knows that layout. The code runs from two places at the
 * same depth, dist/src/<part>/: the compiled modules (what the tests import)
 * and the bundle bin/roost loads (dist/src/bundle, scripts/build.mjs). A
 * bundle has a single import.meta.url for all the modules in it, so a path
 * reckoned from any module's own folder would be wrong there.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../', import.meta.url);

/** bin/roost of this installation, as found (symlinks kept). */
export const ROOST_BIN = fileURLToPath(new URL('bin/roost', root));
/** This installation's package.json. */
export const PACKAGE_JSON = fileURLToPath(new URL('package.json', root));
/** The build output of src/web. */
export const WEB_ROOT = fileURLToPath(new URL('dist/web/', root));

/** bin/roost with symlinks resolved: what hooks and services run, so they keep working from any folder. */
export function roostBin(): string {
  try {
    return realpathSync(ROOST_BIN);
  } catch {
    return ROOST_BIN;
  }
}

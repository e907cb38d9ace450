/**
 * Checks that a value parsed from JSON has the shape its type promises, for
 * messages that arrive as JSON text (the events socket, events.ts). A check
 * returns the first problem as one line that says where it is
 * ("message.sessions[0].windows[2].status must be one of ..."), or null.
 *
 * Fields a shape does not name pass through unchecked, so a newer sender may
 * add some; `Shape<T>` makes the compiler ask for every field T has, so a
 * field added to the type is added to its check too.
 */

export type Check = (value: unknown, at: string) => string | null;

/** A check for each field of T, optional fields included. */
export type Shape<T> = { readonly [K in keyof T]-?: Check };

const is = (ok: (v: unknown) => boolean, what: string): Check => (v, at) => (ok(v) ? null : `${at} must be ${what}`);

export const string = is((v) => typeof v === 'string', 'a string');
export const number = is((v) => typeof v === 'number', 'a number');
export const integer = is((v) => Number.isInteger(v), 'an integer');
export const boolean = is((v) => typeof v === 'boolean', 'true or false');

export function oneOf(values: readonly unknown[]): Check {
  return is((v) => values.includes(v), `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
}

export function nullable(c: Check): Check {
  return (v, at) => (v === null ? null : c(v, at));
}

/** The field may be absent (undefined after JSON.parse). */
export function optional(c: Check): Check {
  return (v, at) => (v === undefined ? null : c(v, at));
}

export function arrayOf(c: Check): Check {
  return (v, at) => {
    if (!Array.isArray(v)) return `${at} must be a list`;
    for (let i = 0; i < v.length; i++) {
      const problem = c(v[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return null;
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function object<T>(shape: Shape<T>): Check {
  const fields = Object.entries(shape) as [string, Check][];
  return (v, at) => {
    if (!isObject(v)) return `${at} must be an object`;
    for (const [key, c] of fields) {
      const problem = c(v[key], `${at}.${key}`);
      if (problem) return problem;
    }
    return null;
  };
}

/** One of several object shapes, told apart by the string in field `key` (e.g. "type"). */
export function tagged(key: string, variants: Record<string, Check>): Check {
  return (v, at) => {
    const tag = isObject(v) ? v[key] : undefined;
    const c = typeof tag === 'string' && Object.hasOwn(variants, tag) ? variants[tag] : undefined;
    return c ? c(v, at) : `${at}.${key} must be one of ${Object.keys(variants).join(', ')}`;
  };
}

/**
 * The route table: "METHOD /pattern" to a route. A pattern's segments are
 * literal, `:name` (one whole segment), or a final `*` (the rest of the
 * path after the slash, which may be empty or hold slashes). Parameters are percent-decoded
 * after the path is split, so an escaped "/" stays inside its parameter.
 * HEAD finds the GET route. Literal segments win over parameters, whatever
 * the order routes were added in.
 *
 * The daemon has a few dozen routes: they are tried in order, literal ones
 * first, which costs microseconds and keeps the table readable.
 */
import { HttpError } from '../errors.js';

/** A parameter longer than this (characters, as sent) is refused: names are far shorter. */
export const MAX_PARAM_LENGTH = 256;

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'rest' };

interface Entry<R> {
  method: string;
  pattern: string;
  segments: Segment[];
  /** Literal segments: more is more specific. */
  literals: number;
  route: R;
}

export interface Match<R> {
  route: R;
  /** The pattern the route was added with (access.ts keys its lists on it). */
  pattern: string;
  params: Record<string, string>;
}

function parsePattern(pattern: string): Segment[] {
  if (!pattern.startsWith('/')) throw new Error(`route ${pattern}: a pattern starts with /`);
  const parts = pattern.slice(1).split('/');
  return parts.map((p, i) => {
    if (p === '*') {
      if (i !== parts.length - 1) throw new Error(`route ${pattern}: * only at the end`);
      return { kind: 'rest' };
    }
    if (p.startsWith(':')) return { kind: 'param', name: p.slice(1) };
    return { kind: 'literal', text: p };
  });
}

function decode(part: string): string {
  if (part.length > MAX_PARAM_LENGTH) throw new HttpError(414, 'bad-url', 'a part of the request path is too long');
  if (!part.includes('%')) return part;
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, 'bad-url', 'the request path is not valid (a malformed percent escape)');
  }
}

export class Router<R> {
  private readonly entries: Entry<R>[] = [];

  add(method: string, pattern: string, route: R): void {
    const segments = parsePattern(pattern);
    if (this.entries.some((e) => e.method === method && e.pattern === pattern)) throw new Error(`route ${method} ${pattern} is already taken`);
    const literals = segments.filter((s) => s.kind === 'literal').length;
    const entry = { method, pattern, segments, literals, route };
    // Kept sorted, more literal segments first (stable among equals).
    const at = this.entries.findIndex((e) => e.literals < literals);
    this.entries.splice(at < 0 ? this.entries.length : at, 0, entry);
  }

  /** The route for `method` and `path` (no query), or null; a bad escape or an over-long part is an HttpError (400, 414). */
  /** Every route, in the order tried. */
  list(): { method: string; pattern: string; route: R }[] {
    return this.entries.map(({ method, pattern, route }) => ({ method, pattern, route }));
  }

  find(method: string, path: string): Match<R> | null {
    const m = method === 'HEAD' ? 'GET' : method;
    const parts = path.slice(1).split('/');
    // Literal segments are compared as sent (escaped); each part is checked once it matters.
    for (const e of this.entries) {
      if (e.method !== m) continue;
      const params = this.match(e.segments, parts);
      if (params) return { route: e.route, pattern: e.pattern, params };
    }
    // An unknown path with a malformed escape or an over-long part is still a bad path.
    for (const p of parts) decode(p);
    return null;
  }

  private match(segments: Segment[], parts: string[]): Record<string, string> | null {
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i]!;
      if (s.kind === 'rest') {
        // `/assets/*` needs the slash: `/assets` is another path.
        if (i >= parts.length) return null;
        params['*'] = decode(parts.slice(i).join('/'));
        return params;
      }
      const part = parts[i];
      if (part === undefined) return null;
      if (s.kind === 'literal') {
        if (part !== s.text) return null;
      } else {
        if (part === '') return null;
        params[s.name] = decode(part);
      }
    }
    return parts.length === segments.length ? params : null;
  }
}

/**
 * One request as routes see it: the method, URL and headers as sent, the
 * route's parameters, the query and cookies (parsed when first read), the
 * JSON body, and who is asking (set by the access hook).
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { parse as parseCookies } from 'cookie';
import type { Principal } from '../../auth/roles.js';
import type { Log } from '../log.js';

/** What a route declares about its parameters and query, for the types of `params` and `query`. */
export interface RouteTypes {
  Params?: object;
  Querystring?: object;
}

/** Whether the request asks to become a WebSocket. */
export function isUpgrade(req: Request): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

type ParamsOf<T> = T extends { Params: infer P } ? P : Record<string, string>;
type QueryOf<T> = T extends { Querystring: infer Q } ? Q : Record<string, unknown>;

export class Request<T extends RouteTypes = RouteTypes> {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  /** The matched route's pattern ("/api/sessions/:name"); undefined when no route matched (a 404). */
  route: string | undefined = undefined;
  params = {} as ParamsOf<T>;
  /** The JSON body of a POST, PUT, PATCH or DELETE (undefined when empty). */
  body: unknown = undefined;
  /** The path does not parse (a malformed %-escape: 400; a part too long: 414): no route can take it. */
  urlError: Error | null = null;
  /** Who is asking; null when no credential was presented (only public routes see that). */
  principal: Principal | null = null;
  private parsedQuery: QueryOf<T> | null = null;
  private parsedCookies: Record<string, string | undefined> | null = null;
  private childLog: Log | null = null;

  constructor(readonly raw: IncomingMessage, readonly id: string, private readonly parentLog: Log) {
    this.method = raw.method ?? 'GET';
    this.url = raw.url ?? '/';
  }

  get headers(): IncomingHttpHeaders {
    return this.raw.headers;
  }

  get socket(): Socket {
    return this.raw.socket;
  }

  /** The query string's fields: a string each, or an array of strings for a repeated field. */
  get query(): QueryOf<T> {
    if (!this.parsedQuery) {
      const q = this.url.indexOf('?');
      this.parsedQuery = (q < 0 ? Object.create(null) : parseQuery(this.url.slice(q + 1))) as QueryOf<T>;
    }
    return this.parsedQuery;
  }

  get cookies(): Record<string, string | undefined> {
    this.parsedCookies ??= parseCookies(this.headers.cookie ?? '');
    return this.parsedCookies;
  }

  /** The daemon's log with this request's id on each line. */
  get log(): Log {
    this.childLog ??= this.parentLog.child({ reqId: this.id });
    return this.childLog;
  }
}

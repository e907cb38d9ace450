/**
 * The answer to one request: status and headers set in any order, then one
 * send(). What send() takes decides the body and its default Content-Type:
 * nothing (an empty body), a string (text), bytes, a readable stream (piped;
 * a stream that fails cuts the connection, as the status is gone already),
 * or anything else as JSON. `beforeSend` runs once, first (app.ts's onSend
 * hooks: the security headers).
 */
import type { ServerResponse } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { serialize, type SerializeOptions } from 'cookie';

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const BYTES_TYPE = 'application/octet-stream';

function isReadable(x: unknown): x is Readable {
  return typeof x === 'object' && x !== null && typeof (x as Readable).pipe === 'function' && typeof (x as Readable).on === 'function';
}

export class Reply {
  statusCode = 200;
  /** send() was called: the answer is on its way. */
  sent = false;
  private readonly started = performance.now();

  constructor(readonly raw: ServerResponse, private readonly method: string, private readonly beforeSend: () => void) {}

  /** Milliseconds since the request came. */
  get elapsedTime(): number {
    return performance.now() - this.started;
  }

  code(status: number): this {
    this.statusCode = status;
    return this;
  }

  header(name: string, value: string | number): this {
    this.raw.setHeader(name, typeof value === 'number' ? String(value) : value);
    return this;
  }

  headers(headers: Record<string, string>): this {
    for (const [k, v] of Object.entries(headers)) this.raw.setHeader(k, v);
    return this;
  }

  type(contentType: string): this {
    return this.header('content-type', contentType);
  }

  setCookie(name: string, value: string, options: SerializeOptions): this {
    const prior = this.raw.getHeader('set-cookie');
    const list = prior === undefined ? [] : Array.isArray(prior) ? prior : [String(prior)];
    this.raw.setHeader('set-cookie', [...list, serialize(name, value, options)]);
    return this;
  }

  /** Tell the browser to forget a cookie: the same name and scope, empty, expired. */
  clearCookie(name: string, options: SerializeOptions): this {
    return this.setCookie(name, '', { ...options, maxAge: undefined, expires: new Date(0) });
  }

  redirect(location: string, status = 302): this {
    return this.code(status).header('location', location).send();
  }

  send(payload?: unknown): this {
    if (this.sent) throw new Error('this request was answered already');
    this.sent = true;
    this.beforeSend();
    const res = this.raw;
    res.statusCode = this.statusCode;
    if (isReadable(payload)) {
      // A HEAD answer has no body: the stream is not read at all.
      if (this.method === 'HEAD') {
        payload.destroy();
        res.end();
        return this;
      }
      if (!res.hasHeader('content-type')) res.setHeader('content-type', BYTES_TYPE);
      pipeline(payload, res, () => undefined);
      return this;
    }
    if (payload === undefined) {
      res.end();
      return this;
    }
    const [body, type] = typeof payload === 'string' ? [payload, TEXT_TYPE]
      : payload instanceof Uint8Array ? [payload, BYTES_TYPE]
        : [JSON.stringify(payload), JSON_TYPE];
    if (!res.hasHeader('content-type')) res.setHeader('content-type', type);
    res.setHeader('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    res.end(body);
    return this;
  }
}

/**
 * One guarded POST for every channel: the URL guard applied at connect time,
 * a deadline, no redirects followed, the answer's body read only as far as
 * an error message needs. Failures come back as DeliveryError, which says
 * whether trying again may help and never carries the URL's path or query
 * (webhook URLs often hold a secret there).
 */
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isPrivateAddress, UrlRefused } from './url-guard.js';
import { printable } from '../shared/printable.js';

/** A channel gets this long (ms) to answer before the attempt counts as failed (and is retried). */
export const SEND_TIMEOUT_MS = 10_000;
/** Bytes of an error answer kept for the delivery status. */
const ERROR_BODY_BYTES = 300;

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    /** Trying again later may work (network trouble, 5xx, 429). */
    readonly retryable: boolean,
    readonly status?: number,
    /** The destination says it no longer exists (Web Push 404/410: the subscription is gone). */
    readonly gone = false,
  ) {
    super(message);
  }
}

export interface PostOptions {
  headers: OutgoingHttpHeaders;
  body: string | Buffer;
  allowPrivate: boolean;
  /** What a refused private address says to do (url-guard.ts: SEND_TIME_HINT by default). */
  privateHint?: string;
  timeoutMs?: number;
}

export interface PostResult {
  status: number;
  headers: IncomingHttpHeaders;
}

/** Whether a status is worth retrying: server trouble, rate limiting, request timeout. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** POST and resolve on a 2xx; reject with DeliveryError otherwise. */
export function postGuarded(url: URL, o: PostOptions): Promise<PostResult> {
  const where = url.host;
  return new Promise((resolve, reject) => {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    if (!o.allowPrivate && isIP(hostname) && isPrivateAddress(hostname)) {
      return reject(new DeliveryError(`${where}: private address refused`, false));
    }
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let done = false;
    const fail = (e: DeliveryError) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const req = request(url, { method: 'POST', headers: o.headers, lookup: guardedLookup(o.allowPrivate, o.privateHint) as never }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < ERROR_BODY_BYTES) chunks.push(c);
        size += c.length;
      });
      res.on('error', () => fail(new DeliveryError(`${where}: connection broke`, true)));
      res.on('end', () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (status >= 200 && status < 300) return resolve({ status, headers: res.headers });
        // The body is the server's words: shown by `roost notify ls` on a terminal, so without its control characters.
        const text = printable(Buffer.concat(chunks).toString('utf8').slice(0, ERROR_BODY_BYTES));
        reject(new DeliveryError(`${where} answered ${status}${text ? `: ${text}` : ''}`, retryableStatus(status), status, status === 404 || status === 410));
      });
    });
    const timer = setTimeout(() => fail(new DeliveryError(`${where}: no answer within ${(o.timeoutMs ?? SEND_TIMEOUT_MS) / 1000} s`, true)), o.timeoutMs ?? SEND_TIMEOUT_MS);
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof UrlRefused || e.code === 'EPRIVATE') fail(new DeliveryError(`${where}: ${e.message}`, false));
      else fail(new DeliveryError(`${where}: ${e.code ?? e.message}`, true));
    });
    req.end(o.body);
  });
}

/**
 * A request's JSON body: at most a route's limit, parsed, and refused when
 * it carries a `__proto__` key or a `constructor` with a `prototype`: a
 * body that, merged into an object with Object.assign or a loop of
 * assignments, would change that object's prototype. No route does that
 * today; refusing such bodies outright keeps it from ever mattering.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors.js';

const notJson = () => new HttpError(400, 'bad-json', 'the request body is not valid JSON');
const poisoned = () => new HttpError(400, 'bad-json', 'the request body has a __proto__ or constructor.prototype key');

/** JSON.parse's reviver, used only when the text names either key (most bodies never do). */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw poisoned();
  if (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype')) throw poisoned();
  return value;
}

/** `text` as JSON: undefined when blank; a 400 when not JSON or poisoned. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  const suspect = text.includes('__proto__') || text.includes('constructor') || text.includes('\\u');
  try {
    return (suspect ? JSON.parse(text, refusePrototypeKeys) : JSON.parse(text)) as unknown;
  } catch (e) {
    throw e instanceof HttpError ? e : notJson();
  }
}

/**
 * The body as JSON (undefined when empty), at most `limit` bytes. What comes
 * beyond is read and dropped, as Node does with any body a route leaves
 * unread: closing at once would reset the connection before the client
 * could read the 413. The request deadline (app.ts) bounds how long.
 */
export function readJson(raw: IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = () => new HttpError(413, 'too-large', `the request body is over ${limit} bytes`);
  if (Number(raw.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let over = false;
    raw.on('data', (chunk: Buffer) => {
      if (over) return;
      n += chunk.byteLength;
      if (n <= limit) return void chunks.push(chunk);
      over = true;
      chunks.length = 0;
      reject(tooLarge());
    });
    raw.on('error', reject);
    // A client gone before the end: nobody is left to answer (the reply is dropped with the socket).
    raw.on('close', () => reject(new HttpError(400, 'bad-request', 'the request body ended early')));
    raw.on('end', () => {
      if (over) return;
      try {
        resolve(parseJson(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

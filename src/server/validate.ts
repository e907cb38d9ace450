/** Request bodies and parameters checked with zod; the first problem becomes a one-line 400. */
import type * as z from 'zod';
import { checkName } from '../shared/names.js';
import { HttpError } from './errors.js';

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  throw new HttpError(400, 'bad-request', `${where}${issue.message}`);
}

/** A session name from a URL or body, or a 400 with the name rule's message. */
export function sessionName(value: unknown): string {
  const c = checkName(value, 'session name');
  if (!c.ok) throw new HttpError(400, 'bad-name', c.error);
  return c.name;
}

/** Roles and who may do what. Anything that is not exactly 'owner' is read-only. */

export type Role = 'owner' | 'read-only';

export function toRole(value: unknown): Role {
  return value === 'owner' ? 'owner' : 'read-only';
}

/**
 * Who is asking. `kind` says which credential: an API token (Bearer), a
 * browser login (cookie), or the unix socket (the daemon's own user).
 */
export type Principal =
  | { kind: 'token'; role: Role; name: string | null; tokenId: string }
  | { kind: 'login'; role: Role; name: string | null; loginId: string; source: string }
  | { kind: 'unix'; role: 'owner'; name: null };

export const UNIX_PRINCIPAL: Principal = { kind: 'unix', role: 'owner', name: null };

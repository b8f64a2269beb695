/**
 * Who may do what. One table for the station's main process and the sync server, so that
 * both refuse the same things: main checks every request of the API contract against it,
 * the server every route that acts for an officer. The renderer reads it only to hide
 * what the officer cannot do; it never guards anything.
 */

export const roles = ['officer', 'supervisor', 'admin'] as const;
export type Role = (typeof roles)[number];

/**
 * What a request needs: nobody logged in ('anyone', for the login screen and the status
 * bar), any logged-in officer, or a role at least as high as the one named.
 */
export type RequiredRole = 'anyone' | Role;

/**
 * Roles are ranked: a supervisor may do everything an officer may, an admin everything a
 * supervisor may (at a small station the admin is often its senior officer).
 */
const rank: Record<Role, number> = { officer: 1, supervisor: 2, admin: 3 };

export function roleAllows(role: Role | null, required: RequiredRole): boolean {
  if (required === 'anyone') return true;
  return role !== null && rank[role] >= rank[required];
}

/**
 * What the sync server does on behalf of an officer of a station (the station names the
 * officer in the X-MIS-Officer header), and the role each needs. The same names as the
 * station's requests where the station only relays one.
 */
export const serverActions = {
  /** The station's conflict log (sync.conflicts on the station). */
  'sync.conflicts': 'supervisor',
  /** An officer changes their own password (auth.changePassword on the station). */
  'officer.changePassword': 'officer',
} as const satisfies Record<string, RequiredRole>;

export type ServerAction = keyof typeof serverActions;

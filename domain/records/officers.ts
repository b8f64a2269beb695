import type { RxJsonSchema } from 'rxdb';
import { z } from 'zod';
import { roles } from '../identity/roles';
import { SYSTEM_OFFICER, UNKNOWN_OFFICER } from './audit';
import { epochMs, oneOf, patterned, referenceId, text } from './fields';

/**
 * The officers who may log in at the station, with their password hashes so that they
 * can log in offline too. Reference data, pulled from the server.
 */

const name = text(100, 1);
/** Lower case, so that the login looks it up with one exact index hit. */
const username = patterned('^[a-z0-9][a-z0-9._@-]{0,63}$', 64);
const role = oneOf(roles);
/**
 * domain/identity/password.ts's scrypt PHC string, or '!withheld' on stations the officer
 * may not log in at (sync-server/sync/pull.ts); opaque here, checked where hashes are made
 * and read.
 */
const passwordHash = text(512, 1);
/** As printed on the officer's badge: upper-case letters, digits, '-' and '/'. */
const badgeNumber = patterned('^[A-Z0-9/-]{1,32}$', 32);
const MAX_STATIONS = 500;
/** The audit trail's names for no officer (the station itself, a username nobody has): never an officer's id. */
const reservedIds: readonly string[] = [SYSTEM_OFFICER, UNKNOWN_OFFICER];

export const officerValidator = z.strictObject({
  id: referenceId.zod.refine((id) => !reservedIds.includes(id), { message: `${reservedIds.join(' and ')} are the audit trail's names for no officer, not an officer's id` }),
  name: name.zod,
  username: username.zod,
  badgeNumber: badgeNumber.zod,
  role: role.zod,
  passwordHash: passwordHash.zod,
  /** True after an administrator set a one-time password: the officer must choose their own at the next login. */
  mustChangePassword: z.boolean(),
  /** The stations the officer may log in at. */
  stationIds: z.array(referenceId.zod).max(MAX_STATIONS),
  /** False once the officer may no longer log in anywhere; kept for the audit trail's names. */
  active: z.boolean(),
  /** Server clock. */
  updatedAt: epochMs.zod,
});

export type Officer = z.infer<typeof officerValidator>;

export const officerSchema: RxJsonSchema<Officer> = {
  title: 'officers',
  description: 'Officers allowed to log in, with password hashes for offline login; reference data',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: referenceId.json,
    name: name.json,
    username: username.json,
    badgeNumber: badgeNumber.json,
    role: role.json,
    passwordHash: passwordHash.json,
    mustChangePassword: { type: 'boolean' },
    stationIds: { type: 'array', items: referenceId.json, maxItems: MAX_STATIONS },
    active: { type: 'boolean' },
    updatedAt: epochMs.json,
  },
  required: ['id', 'name', 'username', 'badgeNumber', 'role', 'passwordHash', 'mustChangePassword', 'stationIds', 'active', 'updatedAt'],
  indexes: ['username'],
};

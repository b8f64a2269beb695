import type { RxJsonSchema } from 'rxdb';

/**
 * The officers collection as stations stored it at schema version 0, frozen: the
 * migration to version 1 (migrations/officers-1.ts) is tested against it. Written out in
 * full rather than built from fields.ts, so that a later change there cannot alter it.
 */
export interface OfficerV0 {
  id: string;
  name: string;
  username: string;
  role: 'officer' | 'supervisor' | 'admin';
  passwordHash: string;
  stationIds: string[];
  active: boolean;
  updatedAt: number;
}

const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u001F\\u007F]*$';
const REFERENCE_ID = { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' } as const;

export const officerSchemaV0: RxJsonSchema<OfficerV0> = {
  title: 'officers',
  description: 'Officers allowed to log in, with password hashes for offline login; reference data',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: REFERENCE_ID,
    name: { type: 'string', maxLength: 100, pattern: NO_CONTROL_CHARACTERS, minLength: 1 },
    username: { type: 'string', maxLength: 64, pattern: '^[a-z0-9][a-z0-9._@-]{0,63}$' },
    role: { type: 'string', enum: ['officer', 'supervisor', 'admin'], maxLength: 10 },
    passwordHash: { type: 'string', maxLength: 512, pattern: NO_CONTROL_CHARACTERS, minLength: 1 },
    stationIds: { type: 'array', items: REFERENCE_ID, maxItems: 500 },
    active: { type: 'boolean' },
    updatedAt: { type: 'integer', minimum: 0, maximum: 4_102_444_800_000, multipleOf: 1 },
  },
  required: ['id', 'name', 'username', 'role', 'passwordHash', 'stationIds', 'active', 'updatedAt'],
  indexes: ['username'],
};

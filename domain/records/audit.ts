import type { RxJsonSchema } from 'rxdb';
import { z } from 'zod';
import {
  STATION_RECORD_REQUIRED,
  anyRecordIdOrNone,
  final,
  oneOf,
  patterned,
  sha256Hex,
  stationRecordProperties,
  stationRecordShape,
  text,
  wholeNumber,
} from './fields';

/**
 * Who did what to which record, and when: append-only, and hash-chained per station
 * (audit-chain.ts) so that a removed or altered entry shows. createdAt is the moment of
 * the action. Every field but receivedAt is final.
 */

/**
 * The officer of an entry whose actor is not known: a failed login with a username no
 * officer has. The sync server takes it in audit entries only.
 */
export const UNKNOWN_OFFICER = 'unknown';

/**
 * The officer of an entry about what the station did by itself, with no officer acting: a
 * retention purge. The sync server takes it in audit entries only, as UNKNOWN_OFFICER.
 */
export const SYSTEM_OFFICER = 'system';

const sequence = wholeNumber(1, Number.MAX_SAFE_INTEGER);
/** 'login', 'registration.create', 'crossing.view', 'sync.push' ... */
const action = patterned('^[a-z][a-zA-Z]*(?:\\.[a-z][a-zA-Z-]*)*$', 64);
/** The kind of record acted on; '' for actions on none (login, sync). */
const recordType = oneOf(['', 'registration', 'crossing', 'biometric', 'auditEntry', 'alert', 'officer', 'station', 'codeListEntry']);

const DETAIL_NAME = '^[a-zA-Z][a-zA-Z0-9]{0,31}$';
const detailValue = text(200);
const MAX_DETAILS = 16;

export const auditEntryValidator = z.strictObject({
  ...stationRecordShape,
  /** 1, 2, 3 ... per station, with no gaps: a gap is a missing entry. */
  sequence: sequence.zod,
  action: action.zod,
  recordType: recordType.zod,
  recordId: anyRecordIdOrNone.zod,
  /**
   * What else the entry needs to be understood ({ fields: 'address,period' },
   * { result: 'wrong-password' }). Never personal data: no names, numbers or dates
   * of a person; point at the record instead.
   */
  details: z
    .record(z.string().regex(new RegExp(DETAIL_NAME, 'u')), detailValue.zod)
    .refine((details) => Object.keys(details).length <= MAX_DETAILS, `at most ${MAX_DETAILS} details`),
  /** The hash of the station's entry sequence - 1; AUDIT_GENESIS_HASH for sequence 1. */
  previousHash: sha256Hex.zod,
  /** SHA-256 of auditHashInput(entry), lower-case hex. */
  hash: sha256Hex.zod,
});

export type AuditEntry = z.infer<typeof auditEntryValidator>;

export const auditEntrySchema: RxJsonSchema<AuditEntry> = {
  title: 'audit',
  description: 'Append-only log of who did what to which record, hash-chained per station',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...stationRecordProperties,
    sequence: final(sequence.json),
    action: final(action.json),
    recordType: final(recordType.json),
    recordId: final(anyRecordIdOrNone.json),
    details: final({
      type: 'object',
      additionalProperties: false,
      maxProperties: MAX_DETAILS,
      patternProperties: { [DETAIL_NAME]: detailValue.json },
    }),
    previousHash: final(sha256Hex.json),
    hash: final(sha256Hex.json),
  },
  required: [...STATION_RECORD_REQUIRED, 'sequence', 'action', 'recordType', 'recordId', 'details', 'previousHash', 'hash'],
  indexes: [['stationId', 'sequence'], ['recordId', 'createdAt'], 'createdAt', 'receivedAt'],
};

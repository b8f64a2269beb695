import { z } from 'zod';

/**
 * Every error the sync server returns carries one of these codes and a human message.
 * Stations act on the code (retry, re-authenticate, upgrade), so codes never change meaning.
 */
export const serverErrorCodes = [
  'INVALID_REQUEST',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'STATION_NOT_AUTHENTICATED',
  'STATION_NOT_AUTHORISED',
  'STATION_UNKNOWN',
  'ADMIN_NOT_AUTHENTICATED',
  'COLLECTION_UNKNOWN',
  'COLLECTION_NOT_PUSHABLE',
  'BATCH_TOO_LARGE',
  'RECORD_INVALID',
  'RECORD_OF_OTHER_STATION',
  'RECORD_OFFICER_UNKNOWN',
  'RECORD_IMMUTABLE',
  'RECORD_DELETE_REFUSED',
  'RECORD_NOT_FOUND',
  'IMPORT_INVALID',
  'OFFICER_INVALID',
  'OFFICER_EXISTS',
  'OFFICER_UNKNOWN',
  'OFFICER_REQUIRED',
  'OFFICER_NOT_OF_STATION',
  'OFFICER_INACTIVE',
  'ROLE_REFUSED',
  'PASSWORD_NOT_OWN',
  'PASSWORD_WRONG',
  'PASSWORD_WEAK',
  'PASSWORD_ATTEMPTS',
  'PASSWORD_RESET_NEEDED',
  'RELEASE_NOT_FOUND',
  'RELEASE_FILE_MISSING',
  'NOT_READY',
  /** 503: the database could not be reached or did not answer in time; try again later. */
  'DATABASE_UNAVAILABLE',
  'SCHEMA_TOO_OLD',
  'SHUTTING_DOWN',
  'INTERNAL',
] as const;

export type ServerErrorCode = (typeof serverErrorCodes)[number];

export const serverErrorBody = z.object({
  code: z.enum(serverErrorCodes),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** For a refused push: the position of the first row refused, and its record id. */
  row: z.number().int().optional(),
  recordId: z.string().optional(),
});

export type ServerErrorBody = z.infer<typeof serverErrorBody>;

export class ServerError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ServerErrorCode,
    message: string,
    /** More of the body: which row of a push, which fields. */
    readonly details: Pick<ServerErrorBody, 'issues' | 'row' | 'recordId'> = {},
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

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
  'SCHEMA_TOO_OLD',
  'SHUTTING_DOWN',
  'INTERNAL',
] as const;

export type ServerErrorCode = (typeof serverErrorCodes)[number];

export const serverErrorBody = z.object({
  code: z.enum(serverErrorCodes),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export type ServerErrorBody = z.infer<typeof serverErrorBody>;

export class ServerError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ServerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

export type RecordErrorCode = 'REGISTRATION_CANCELLED';

/** Raised for an edit the record's rules forbid, with a message the officer can act on. */
export class RecordError extends Error {
  readonly code: RecordErrorCode;

  constructor(code: RecordErrorCode, message: string) {
    super(message);
    this.name = 'RecordError';
    this.code = code;
  }
}

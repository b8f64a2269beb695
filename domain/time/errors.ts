/**
 * Raised when a date or instant given to a rule cannot be read. Rules never guess a
 * date: a wrong day would silently shift a deadline or a 90/180 count.
 */
export type TimeErrorCode = 'INVALID_DATE' | 'INVALID_INSTANT' | 'INVALID_PARTIAL_DATE';

export class TimeError extends Error {
  readonly code: TimeErrorCode;

  constructor(code: TimeErrorCode, message: string) {
    super(message);
    this.name = 'TimeError';
    this.code = code;
  }
}

export type StayErrorCode = 'DEPARTURE_BEFORE_ENTRY' | 'INVALID_STAY_LENGTH';

/** Raised for inputs no officer could have meant (a departure before the entry). */
export class StayError extends Error {
  readonly code: StayErrorCode;

  constructor(code: StayErrorCode, message: string) {
    super(message);
    this.name = 'StayError';
    this.code = code;
  }
}

/**
 * Errors of the station store, with codes that the app turns into messages IT staff can
 * act on. They cross the worker boundary as { code, message } and are rebuilt here.
 */
export const storeErrorCodes = [
  'STORE_KEY_WRONG',
  'STORE_KEY_MISSING',
  'STORE_KEY_INVALID',
  'STORE_CLOSED',
  'STORE_WORKER_FAILED',
  'STORE_FILE_UNUSABLE',
  'ATTACHMENT_NOT_FOUND',
  'STORE_INTERNAL',
] as const;

export type StoreErrorCode = (typeof storeErrorCodes)[number];

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function isStoreErrorCode(code: unknown): code is StoreErrorCode {
  return typeof code === 'string' && (storeErrorCodes as readonly string[]).includes(code);
}

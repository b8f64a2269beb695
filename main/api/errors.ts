import { z } from 'zod';

/**
 * Every error that crosses the renderer <-> main boundary carries one of these codes.
 * The codes are stable: the renderer maps them to officer-facing messages and tests
 * assert on them, so rename one only together with every place that reads it.
 */
export const apiErrorCodes = [
  'INVALID_INPUT',
  'UNKNOWN_REQUEST',
  'UNKNOWN_SUBSCRIPTION',
  /** Nobody is logged in on this window: log in first. */
  'NOT_AUTHENTICATED',
  /** The screen is locked (inactivity, or the officer locked it): unlock with the password. */
  'SESSION_LOCKED',
  /** The officer's role does not allow this request. */
  'ROLE_REFUSED',
  /** A one-time password is in use: only a password change (or logging out) is allowed. */
  'PASSWORD_CHANGE_REQUIRED',
  /** Wrong username or password (which of the two is not said). */
  'LOGIN_FAILED',
  /** Too many wrong passwords: the account is locked for a while, at this station. */
  'ACCOUNT_LOCKED',
  /** The password is right, but the account may not log in here (deactivated, another station's). */
  'ACCOUNT_NOT_ALLOWED',
  /** The current password given for a change is wrong. */
  'PASSWORD_WRONG',
  /** The new password does not meet the password rules (issues say which). */
  'PASSWORD_WEAK',
  /** The station's store is not open (still opening, or it cannot be used: see app.status). */
  'STORE_UNAVAILABLE',
  /** A reader or scanner could not do what was asked (no finger, unplugged, timed out): the message says which. */
  'DEVICE_FAILED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'TRANSPORT_CLOSED',
  /** Needs the central server, which cannot be reached (or sync is not set up). */
  'SERVER_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ApiErrorCode = (typeof apiErrorCodes)[number];

export const apiErrorSchema = z.object({
  code: z.enum(apiErrorCodes),
  message: z.string(),
  /** Field-level problems for INVALID_INPUT, so a form can mark the right field. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export type ApiErrorValue = z.infer<typeof apiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorValue };

/**
 * Thrown inside handlers to end a request with a specific code. It never leaves main:
 * the dispatcher turns it into `{ ok: false, error }`.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: ApiErrorValue['issues'];

  constructor(code: ApiErrorCode, message: string, issues?: ApiErrorValue['issues']) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }

  toValue(): ApiErrorValue {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failure(code: ApiErrorCode, message: string, issues?: ApiErrorValue['issues']): { ok: false; error: ApiErrorValue } {
  return { ok: false, error: issues ? { code, message, issues } : { code, message } };
}

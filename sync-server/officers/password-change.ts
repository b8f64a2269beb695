import type { Officer } from '../../domain/records';
import { PasswordHashError, passwordProblems, verifyPassword } from '../../domain/identity';
import type { WireDocument } from '../../domain/sync';
import { hashPassword, scryptDerive } from '../auth/passwords';
import { ServerError } from '../errors';
import type { SyncRepository } from '../store/repository';
import { officerForStation } from '../sync/pull';
import { CENTRAL_WRITER } from '../sync/writers';
import { officerFromDocument } from './officers';

/**
 * Wrong current passwords per officer, so that a station (or someone at it) cannot try
 * passwords against the server without end: after `limit` wrong ones within `windowMs`,
 * further attempts are refused until the oldest falls out of the window. Kept in memory,
 * per server node: enough to make guessing slow, and a restart forgets nothing that
 * matters (the station counts wrong passwords too, and locks the account there).
 */
export class PasswordAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** How long the officer must wait before the next attempt; 0 when it may be made now. */
  waitMs(officerId: string, now: number): number {
    const recent = this.recent(officerId, now);
    return recent.length < this.limit ? 0 : recent[0]! + this.windowMs - now;
  }

  failed(officerId: string, now: number): void {
    this.failures.set(officerId, [...this.recent(officerId, now), now]);
  }

  succeeded(officerId: string): void {
    this.failures.delete(officerId);
  }

  private recent(officerId: string, now: number): number[] {
    const recent = (this.failures.get(officerId) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length === 0) this.failures.delete(officerId);
    return recent;
  }
}

export interface PasswordChange {
  /** The officer changing their own password, as the acting-officer check found them. */
  officer: Officer;
  /** The station the request came from: the answer is the officer as that station pulls it. */
  stationId: string;
  currentPassword: string;
  newPassword: string;
  now: number;
}

/** What the new password breaks, in the officer's words (domain/identity's policy, and not the old one again). */
function problemsWith(change: PasswordChange): string[] {
  const problems = passwordProblems(change.newPassword, change.officer.username);
  if (change.newPassword === change.currentPassword) problems.push('The new password must differ from the current one.');
  return problems;
}

async function currentPasswordMatches(officer: Officer, password: string): Promise<boolean> {
  try {
    return await verifyPassword(officer.passwordHash, password, scryptDerive);
  } catch (error) {
    if (!(error instanceof PasswordHashError)) throw error;
    throw new ServerError(409, 'PASSWORD_RESET_NEEDED', 'The server holds no usable password for this officer: an administrator must reset it (officer-reset-password).');
  }
}

/**
 * An officer replaces their password (the one-time password of a first login, or their
 * own), knowing the current one. Written as the server's own change, with
 * mustChangePassword cleared; the answer is the officer's document as the station pulls
 * it, so that the station can store it at once and the next login, offline too, takes
 * the new password.
 */
export async function changeOwnPassword(repository: SyncRepository, attempts: PasswordAttempts, change: PasswordChange): Promise<WireDocument> {
  const { officer, now } = change;
  const waitMs = attempts.waitMs(officer.id, now);
  if (waitMs > 0) {
    throw new ServerError(429, 'PASSWORD_ATTEMPTS', `Too many wrong current passwords: try again in ${Math.ceil(waitMs / 60_000)} minute(s).`);
  }
  const problems = problemsWith(change);
  if (problems.length > 0) {
    throw new ServerError(422, 'PASSWORD_WEAK', `The new password does not meet the rules: ${problems.join(' ')}`, { issues: problems.map((message) => ({ path: '/newPassword', message })) });
  }
  if (!(await currentPasswordMatches(officer, change.currentPassword))) {
    attempts.failed(officer.id, now);
    throw new ServerError(403, 'PASSWORD_WRONG', 'The current password is wrong.');
  }
  const passwordHash = await hashPassword(change.newPassword);
  const written = await repository.transaction(async (tx) => {
    const stored = (await tx.current('officers', [officer.id])).get(officer.id);
    // Reset or changed elsewhere since it was checked: the password given is no longer the current one.
    if (!stored || stored.document._deleted || stored.document.passwordHash !== officer.passwordHash) {
      throw new ServerError(403, 'PASSWORD_WRONG', 'The password was changed or reset meanwhile: the current password given is no longer the current one.');
    }
    const changed: Officer = { ...officerFromDocument(stored.document), passwordHash, mustChangePassword: false, updatedAt: now };
    const [record] = await tx.write([{ collection: 'officers', id: officer.id, stationId: null, document: { ...changed, _deleted: false }, writtenBy: CENTRAL_WRITER }], now);
    return record!.document;
  });
  attempts.succeeded(officer.id);
  return officerForStation(written, change.stationId);
}

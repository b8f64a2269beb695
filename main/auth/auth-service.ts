import type { Logger } from 'pino';
import { PASSWORD_HASH_PARAMETERS, formatPasswordHash } from '../../domain/identity';
import { UNKNOWN_OFFICER, type Officer } from '../../domain/records';
import type { SessionView } from '../api/contract';
import { ApiError, type ApiErrorCode } from '../api/errors';
import type { ApiSession, SignedInOfficer } from '../api/types';
import type { StationDatabase } from '../services/station-store';
import { OfficerSession } from './session';

/** How strict the station is with logins. */
export interface AuthSettings {
  /** Wrong passwords in a row that lock the account at this station. */
  maxFailures: number;
  /** How long such a lock lasts. */
  lockoutMs: number;
  /** Inactivity after which the screen locks (counter PCs are shared). */
  idleLockMs: number;
}

export const defaultAuthSettings: AuthSettings = { maxFailures: 5, lockoutMs: 15 * 60_000, idleLockMs: 5 * 60_000 };

/** One entry for the audit trail (main/audit): who did what. Never personal data in details. */
export interface AuditEvent {
  officerId: string;
  action: string;
  recordType?: 'officer';
  recordId?: string;
  details?: Record<string, string>;
}

export interface AuditRecorder {
  record(event: AuditEvent): Promise<unknown>;
}


export interface PasswordChecker {
  /** Whether `password` matches the stored hash; false for a hash this station cannot check (withheld). */
  verify(storedHash: string, password: string): Promise<boolean>;
  /** The password rules a new password breaks, in words an officer understands; empty when none. */
  problems(password: string, username: string): string[];
}

/** Changes the password on the central server, then in the local officers collection. */
export type ServerPasswordChange = (officerId: string, currentPassword: string, newPassword: string) => Promise<void>;

export interface AuthDeps {
  stationId: string | null;
  database(): StationDatabase | null;
  audit(): AuditRecorder | null;
  passwords: PasswordChecker;
  changePasswordOnServer: ServerPasswordChange;
  log: Logger;
  settings?: AuthSettings;
  now?: () => number;
}

/** Wrong passwords in a row for one officer at this station, kept in the encrypted store so that a restart does not reset them. */
interface FailureRecord {
  count: number;
  lockedUntil: number;
}

const failureKey = (officerId: string): string => `login-failures:${officerId}`;

/**
 * Logins at this station, against the officers and password hashes pulled from the
 * server: no network needed. Every login, failure, lock and refusal is audited.
 */
export class AuthService {
  private readonly settings: AuthSettings;
  private readonly now: () => number;
  private readonly sessions = new Set<OfficerSession>();
  /** Logins, unlocks and password checks run one at a time: failure counts are read and written without races. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AuthDeps) {
    this.settings = deps.settings ?? defaultAuthSettings;
    this.now = deps.now ?? Date.now;
  }

  open(): OfficerSession {
    const session = new OfficerSession(this.settings.idleLockMs, this.now, (idle) => {
      if (idle.officer) this.auditInBackground(idle.officer.id, 'session.lock', { reason: 'inactivity' });
    });
    this.sessions.add(session);
    return session;
  }

  close(session: ApiSession): void {
    const own = this.own(session);
    if (own.officer) this.auditInBackground(own.officer.id, 'logout', { reason: 'window-closed' });
    own.signOut();
    own.dispose();
    this.sessions.delete(own);
  }

  /** A call refused for the session's role or state: the trail shows who tried what. */
  refused(session: ApiSession, request: string, code: ApiErrorCode): void {
    const officer = session.officer;
    if (code === 'ROLE_REFUSED' && officer) this.auditInBackground(officer.id, 'access.refused', { request, role: officer.role });
  }

  view(session: ApiSession): SessionView {
    return { state: session.state(), officer: session.officer, idleLockSeconds: Math.round(this.settings.idleLockMs / 1000) };
  }

  onChange(session: ApiSession, listener: () => void): () => void {
    return this.own(session).onChange(listener);
  }

  login(session: ApiSession, username: string, password: string): Promise<SessionView> {
    return this.serially(async () => {
      const own = this.own(session);
      const database = this.database();
      const found = await database.officers.findOne({ selector: { username } }).exec();
      const officer = found?.toJSON() as Officer | undefined;
      if (!officer) {
        // As long as a wrong password would take: the answer does not tell whether the username exists.
        await this.deps.passwords.verify(decoyHash, password);
        await this.audit(UNKNOWN_OFFICER, 'login.failed', { reason: 'unknown-username' });
        throw loginFailed();
      }
      await this.checkNotLockedOut(officer, 'login');
      if (!(await this.passwordMatches(officer, password, 'login'))) throw loginFailed();
      const refusal = this.whyNotHere(officer);
      if (refusal) {
        await this.audit(officer.id, 'login.refused', { reason: refusal });
        throw new ApiError('ACCOUNT_NOT_ALLOWED', refusal === 'inactive' ? 'This account has been deactivated. Ask your administrator.' : 'This account may not log in at this station. Ask your administrator.');
      }
      if (own.officer && own.officer.id !== officer.id) await this.audit(own.officer.id, 'logout', { reason: 'another-officer-logged-in' });
      await this.audit(officer.id, 'login', officer.mustChangePassword ? { passwordChange: 'required' } : {});
      own.signIn(signedIn(officer), officer.mustChangePassword);
      return this.view(own);
    });
  }

  async logout(session: ApiSession): Promise<SessionView> {
    const own = this.own(session);
    if (own.officer) await this.audit(own.officer.id, 'logout', { reason: 'officer' });
    own.signOut();
    return this.view(own);
  }

  async lock(session: ApiSession): Promise<SessionView> {
    const own = this.own(session);
    if (own.officer && own.state() !== 'locked') {
      await this.audit(own.officer.id, 'session.lock', { reason: 'officer' });
      own.lock();
    }
    return this.view(own);
  }

  unlock(session: ApiSession, password: string): Promise<SessionView> {
    return this.serially(async () => {
      const own = this.own(session);
      if (!own.officer) throw new ApiError('NOT_AUTHENTICATED', 'Nobody is logged in on this window: log in.');
      if (own.state() !== 'locked') return this.view(own);
      const officer = await this.currentOfficer(own.officer.id);
      await this.checkNotLockedOut(officer, 'unlock');
      if (!(await this.passwordMatches(officer, password, 'unlock'))) {
        // A locked-out account is also logged out: the next person logs in afresh.
        if ((await this.failures(officer.id)).lockedUntil > this.now()) own.signOut();
        throw new ApiError('LOGIN_FAILED', 'Wrong password.');
      }
      const refusal = this.whyNotHere(officer);
      if (refusal) {
        await this.audit(officer.id, 'login.refused', { reason: refusal });
        own.signOut();
        throw new ApiError('ACCOUNT_NOT_ALLOWED', 'This account may no longer log in at this station. Ask your administrator.');
      }
      await this.audit(officer.id, 'session.unlock');
      own.unlock();
      return this.view(own);
    });
  }

  changePassword(session: ApiSession, currentPassword: string, newPassword: string): Promise<SessionView> {
    return this.serially(async () => {
      const own = this.own(session);
      const officerId = own.officer?.id;
      if (!officerId) throw new ApiError('NOT_AUTHENTICATED', 'Log in first.');
      const officer = await this.currentOfficer(officerId);
      const problems = this.deps.passwords.problems(newPassword, officer.username);
      if (problems.length > 0) throw new ApiError('PASSWORD_WEAK', `The new password does not meet the rules: ${problems.join('; ')}`, problems.map((message) => ({ path: 'newPassword', message })));
      if (newPassword === currentPassword) throw new ApiError('PASSWORD_WEAK', 'The new password must differ from the current one.', [{ path: 'newPassword', message: 'the same as the current password' }]);
      await this.checkNotLockedOut(officer, 'password-change');
      if (!(await this.passwordMatches(officer, currentPassword, 'password-change'))) {
        if ((await this.failures(officer.id)).lockedUntil > this.now()) own.signOut();
        throw new ApiError('PASSWORD_WRONG', 'The current password is wrong.', [{ path: 'currentPassword', message: 'wrong password' }]);
      }
      try {
        await this.deps.changePasswordOnServer(officer.id, currentPassword, newPassword);
      } catch (error) {
        await this.audit(officer.id, 'password.change.failed', { reason: error instanceof ApiError ? error.code : 'server' });
        throw error;
      }
      await this.audit(officer.id, 'password.change');
      own.passwordChanged();
      own.touch();
      return this.view(own);
    });
  }

  /** Ends every session, their logouts written before the store closes (the app stops). */
  async closeAll(): Promise<void> {
    for (const session of [...this.sessions]) {
      if (session.officer) await this.audit(session.officer.id, 'logout', { reason: 'app-stopped' }).catch(() => undefined);
      session.signOut();
      session.dispose();
      this.sessions.delete(session);
    }
  }

  private own(session: ApiSession): OfficerSession {
    if (!(session instanceof OfficerSession) || !this.sessions.has(session)) throw new Error('This session was not opened by this auth service.');
    return session;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private database(): StationDatabase {
    const database = this.deps.database();
    if (!database) throw new ApiError('STORE_UNAVAILABLE', 'The station store is not open yet, so nobody can log in. See the status screen.');
    return database;
  }

  private async currentOfficer(officerId: string): Promise<Officer> {
    const found = await this.database().officers.findOne(officerId).exec();
    if (!found) throw new ApiError('ACCOUNT_NOT_ALLOWED', 'This account is no longer known at this station. Ask your administrator.');
    return found.toJSON() as Officer;
  }

  /** 'inactive' or 'not-of-station' when the officer may not work here; null when they may. */
  private whyNotHere(officer: Officer): string | null {
    if (!officer.active) return 'inactive';
    if (this.deps.stationId === null || !officer.stationIds.includes(this.deps.stationId)) return 'not-of-station';
    return null;
  }

  private async failures(officerId: string): Promise<FailureRecord> {
    const local = await this.database().getLocal<FailureRecord>(failureKey(officerId));
    return local ? { count: local.get('count') as number, lockedUntil: local.get('lockedUntil') as number } : { count: 0, lockedUntil: 0 };
  }

  private async checkNotLockedOut(officer: Officer, attempt: string): Promise<void> {
    const { lockedUntil } = await this.failures(officer.id);
    const left = lockedUntil - this.now();
    if (left <= 0) return;
    await this.audit(officer.id, 'login.refused', { reason: 'account-locked', attempt });
    throw new ApiError('ACCOUNT_LOCKED', `Too many wrong passwords: this account is locked at this station for ${Math.ceil(left / 60_000)} more minute(s).`);
  }

  /** Checks the password; a wrong one counts towards the lock-out, a right one clears the count. */
  private async passwordMatches(officer: Officer, password: string, attempt: string): Promise<boolean> {
    const database = this.database();
    if (await this.deps.passwords.verify(officer.passwordHash, password)) {
      if ((await this.failures(officer.id)).count > 0) await database.upsertLocal<FailureRecord>(failureKey(officer.id), { count: 0, lockedUntil: 0 });
      return true;
    }
    const count = (await this.failures(officer.id)).count + 1;
    const locks = count >= this.settings.maxFailures;
    await database.upsertLocal<FailureRecord>(failureKey(officer.id), locks ? { count: 0, lockedUntil: this.now() + this.settings.lockoutMs } : { count, lockedUntil: 0 });
    await this.audit(officer.id, 'login.failed', { reason: 'wrong-password', attempt, failures: String(count) });
    if (locks) {
      await this.audit(officer.id, 'account.locked', { failures: String(count), minutes: String(Math.round(this.settings.lockoutMs / 60_000)) });
      this.deps.log.warn({ officerId: officer.id }, 'account locked after wrong passwords');
      throw new ApiError('ACCOUNT_LOCKED', `${count} wrong passwords in a row: this account is now locked at this station for ${Math.round(this.settings.lockoutMs / 60_000)} minutes.`);
    }
    return false;
  }

  /** For what happens outside a request (a timer, a closed window): a failure is logged, there is nobody to tell. */
  private auditInBackground(officerId: string, action: string, details: Record<string, string>): void {
    this.audit(officerId, action, details).catch((error: unknown) => {
      this.deps.log.error({ action, errorName: (error as Error).name }, 'an audit entry could not be written');
    });
  }

  /** Appends to the audit trail; without one (no station id, store closed) the action cannot be traced, so it does not happen. */
  private async audit(officerId: string, action: string, details: Record<string, string> = {}): Promise<void> {
    const trail = this.deps.audit();
    if (!trail) throw new ApiError('STORE_UNAVAILABLE', 'The audit trail cannot be written (the store is not open, or the station has no id), so the login cannot go on.');
    await trail.record({ officerId, action, recordType: 'officer', recordId: officerId === UNKNOWN_OFFICER ? '' : officerId, details });
  }
}

function loginFailed(): ApiError {
  return new ApiError('LOGIN_FAILED', 'Wrong username or password.');
}

function signedIn(officer: Officer): SignedInOfficer {
  return { id: officer.id, name: officer.name, badgeNumber: officer.badgeNumber, role: officer.role };
}

/** A well-formed hash of no one's password, as costly to check as a real one: checked against for an unknown username. */
const decoyHash = formatPasswordHash({
  logN: PASSWORD_HASH_PARAMETERS.logN,
  r: PASSWORD_HASH_PARAMETERS.r,
  p: PASSWORD_HASH_PARAMETERS.p,
  salt: new Uint8Array(PASSWORD_HASH_PARAMETERS.saltBytes),
  key: new Uint8Array(PASSWORD_HASH_PARAMETERS.keyBytes),
});

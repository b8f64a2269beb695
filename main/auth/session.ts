import type { ApiSession, SessionState, SignedInOfficer } from '../api/types';

/**
 * One connection's login. The inactivity lock is a deadline, not only a timer: state()
 * compares the clock with the last activity, so a timer that fires late (a busy or
 * suspended machine) never leaves an idle session open; the timer is there so that the
 * lock is noticed (audited, shown) when nobody asks.
 */
export class OfficerSession implements ApiSession {
  private signedIn: SignedInOfficer | null = null;
  private mustChangePassword = false;
  private locked = false;
  private lastActivityAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly idleLockMs: number,
    private readonly now: () => number,
    /** Called once when an active session passes its inactivity deadline. */
    private readonly onIdle: (session: OfficerSession) => void,
  ) {}

  get officer(): SignedInOfficer | null {
    return this.signedIn;
  }

  state(): SessionState {
    if (!this.signedIn) return 'signed-out';
    this.lockIfIdle();
    if (this.locked) return 'locked';
    return this.mustChangePassword ? 'password-change-required' : 'active';
  }

  touch(): void {
    const state = this.state();
    if (state !== 'active' && state !== 'password-change-required') return;
    this.lastActivityAt = this.now();
    this.schedule();
  }

  signIn(officer: SignedInOfficer, mustChangePassword: boolean): void {
    this.signedIn = officer;
    this.mustChangePassword = mustChangePassword;
    this.locked = false;
    this.lastActivityAt = this.now();
    this.schedule();
    this.changed();
  }

  /** The officer locks the screen. */
  lock(): void {
    if (!this.signedIn) return;
    this.locked = true;
    this.cancelTimer();
    this.changed();
  }

  unlock(): void {
    if (!this.signedIn) return;
    this.locked = false;
    this.lastActivityAt = this.now();
    this.schedule();
    this.changed();
  }

  passwordChanged(): void {
    this.mustChangePassword = false;
    this.changed();
  }

  signOut(): void {
    if (!this.signedIn) return;
    this.signedIn = null;
    this.mustChangePassword = false;
    this.locked = false;
    this.cancelTimer();
    this.changed();
  }

  /** Calls `listener` on every change of officer or state; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The connection is gone: nothing is called any more. */
  dispose(): void {
    this.cancelTimer();
    this.listeners.clear();
  }

  private schedule(): void {
    this.cancelTimer();
    const due = this.lastActivityAt + this.idleLockMs - this.now();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lockIfIdle();
      if (this.signedIn && !this.locked) this.schedule();
    }, Math.max(due, 0));
    this.timer.unref();
  }

  /** An active session past its deadline locks, once, whoever notices first (its timer or a call). */
  private lockIfIdle(): void {
    if (!this.signedIn || this.locked || this.now() - this.lastActivityAt < this.idleLockMs) return;
    this.locked = true;
    this.cancelTimer();
    this.onIdle(this);
    this.changed();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

import { MS_PER_MINUTE, instantMs, type IsoInstant } from '../time';

export type DeadlineStatus = 'pending' | 'overdue' | 'done-on-time' | 'done-late';

export interface DeadlineJudgement {
  status: DeadlineStatus;
  /** Minutes past the deadline, rounded up (a registration 30 s late is 1 minute late); 0 when on time. */
  minutesLate: number;
}

/**
 * Judges a deadline: against the moment the duty was done when it was, otherwise
 * against `now` when given. A duty done exactly at the deadline is on time.
 */
export function judgeDeadline(dueMs: number, doneAt: IsoInstant | undefined, now: IsoInstant | undefined): DeadlineJudgement {
  if (doneAt !== undefined) {
    const late = instantMs(doneAt) - dueMs;
    return late > 0
      ? { status: 'done-late', minutesLate: Math.ceil(late / MS_PER_MINUTE) }
      : { status: 'done-on-time', minutesLate: 0 };
  }
  if (now !== undefined) {
    const late = instantMs(now) - dueMs;
    if (late > 0) return { status: 'overdue', minutesLate: Math.ceil(late / MS_PER_MINUTE) };
  }
  return { status: 'pending', minutesLate: 0 };
}

/** "1 h 5 min", "2 days 3 h" — how late, in words an officer reads at a glance. */
export function describeDuration(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} ${days === 1 ? 'day' : 'days'}`);
  if (hours > 0) parts.push(`${hours} h`);
  if (mins > 0 || parts.length === 0) parts.push(`${mins} min`);
  return parts.join(' ');
}

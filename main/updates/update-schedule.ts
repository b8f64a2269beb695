/**
 * When a station asks its server for an update: once when it starts, then every night at
 * a set hour (local time, 02:00 by default), each station at its own minute within a
 * window (30 minutes by default), so that a country's stations do not all download a new
 * installer in the same second.
 */

export interface UpdateScheduleOptions {
  /** Looks for an update (the Electron updater's check, which downloads in the background). */
  check: () => Promise<void>;
  /** The local hour of the nightly check, 0-23. */
  nightlyHour?: number;
  /** The nightly check is at a random moment within this window after the hour. */
  jitterMs?: number;
  /** Wait after start before the first check, so that it does not compete with opening the store. */
  startDelayMs?: number;
  /** Called with a failed check's error (the next one is tried at its time anyway). */
  failed?: (error: unknown) => void;
  now?: () => number;
  random?: () => number;
}

/** The next nightly check after `now`: today's `hour` (local time) plus `jitterMs`, or tomorrow's when that has passed. */
export function nextNightlyCheck(now: Date, hour: number, jitterMs: number): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`The nightly update hour must be 0-23: ${hour}`);
  const candidate = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hour, 0, 0, 0);
  let next = new Date(candidate.getTime() + jitterMs);
  if (next.getTime() <= now.getTime()) {
    // The next calendar day's hour, by the calendar (a day is 23 or 25 hours across a clock change).
    next = new Date(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, hour, 0, 0, 0).getTime() + jitterMs);
  }
  return next;
}

export class UpdateSchedule {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly jitter: number;

  constructor(private readonly options: UpdateScheduleOptions) {
    // One jitter per station run: the same minute every night until the next start.
    this.jitter = Math.floor((options.random ?? Math.random)() * (options.jitterMs ?? 30 * 60_000));
  }

  start(): void {
    this.at(this.now() + (this.options.startDelayMs ?? 60_000));
  }

  /** When the next check is due (ms since the epoch), or null when stopped. */
  next: number | null = null;

  stop(): void {
    this.stopped = true;
    this.next = null;
    if (this.timer) clearTimeout(this.timer);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private at(when: number): void {
    if (this.stopped) return;
    this.next = when;
    this.timer = setTimeout(() => void this.run(), Math.max(0, when - this.now()));
    // A pending check never keeps the process alive.
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      await this.options.check();
    } catch (error) {
      this.options.failed?.(error);
    }
    this.at(nextNightlyCheck(new Date(this.now()), this.options.nightlyHour ?? 2, this.jitter).getTime());
  }
}

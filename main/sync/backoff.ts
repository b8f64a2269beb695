/**
 * Exponential backoff with jitter: 1 s, 2 s, 4 s … up to a minute by default, each
 * pause a random part of the step so that two hundred stations coming back after an
 * outage do not all knock at the same moment.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly baseMs = 1_000,
    private readonly maxMs = 60_000,
  ) {}

  /** The pause before the next attempt; every call counts one more failure. */
  next(): number {
    const step = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.failures, 16));
    this.failures++;
    return Math.round(step / 2 + (Math.random() * step) / 2);
  }

  reset(): void {
    this.failures = 0;
  }

  /** Waits the next pause, or less if the signal aborts. */
  wait(signal: AbortSignal): Promise<void> {
    const pause = this.next();
    return new Promise((resolve) => {
      const timer = setTimeout(done, pause);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

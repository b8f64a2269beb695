import type { FastifyBaseLogger } from 'fastify';
import type { Rules } from '../../domain/rules';
import type { SyncMetrics } from '../metrics';
import type { SyncRepository } from '../store/repository';
import { runRetentionPurge, type RetentionRunResult } from './purge';

export interface RetentionScheduleOptions {
  repository: SyncRepository;
  /** The rules in force at a moment (their retention periods). */
  rules: (now: number) => Promise<Pick<Rules, 'retention'>>;
  metrics: SyncMetrics;
  log: FastifyBaseLogger;
  now?: () => number;
  /** Between the starts of two runs; default 24 h. */
  everyMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * The serving server's retention: a run at start, then one a day. A run still going when
 * the next is due is not doubled; stop() ends a run between pages and waits for it, so
 * that the database closes after it. The timer keeps no process alive.
 */
export class RetentionSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly options: RetentionScheduleOptions) {}

  start(): void {
    if (this.timer || this.stopping.signal.aborted) return;
    this.timer = setInterval(() => this.runOnce(), this.options.everyMs ?? DAY_MS);
    this.timer.unref();
    this.runOnce();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running;
  }

  private runOnce(): void {
    if (this.running || this.stopping.signal.aborted) return;
    const { repository, rules, metrics, log } = this.options;
    const now = (this.options.now ?? Date.now)();
    this.running = rules(now)
      .then((inForce) => runRetentionPurge(repository, { now, rules: inForce, signal: this.stopping.signal }))
      .then(
        (result: RetentionRunResult) => {
          for (const [collection, count] of Object.entries(result.purged)) metrics.retentionPurged.inc({ collection }, count);
          // Counts only: what went is nobody's business in a log.
          log.info({ runId: result.runId, purged: result.purged, completed: result.completed }, 'retention purge');
        },
        (error: unknown) => {
          log.error({ err: { name: (error as Error).name, code: (error as { code?: unknown }).code } }, 'retention purge failed; the next run tries again');
        },
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}

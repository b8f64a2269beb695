import type { Logger } from 'pino';
import type { RxCollection } from 'rxdb';
import type { Officer } from '../../domain/records';
import { referenceCollections, stationCollections, type StationCollection, type SyncedCollection } from '../../domain/sync';
import type { StationDatabase } from '../services/station-store';
import { ReferencePuller } from './reference-pull';
import { replicateStationCollection, type StationReplication } from './station-replication';
import { SyncClient, SyncRequestError, type ServerConflict } from './sync-client';

export interface SyncFailure {
  collection: SyncedCollection;
  /** The server's error code, or NETWORK / TIMEOUT / BAD_RESPONSE. */
  code: string;
  message: string;
  /** The record the server refused, when it named one. */
  recordId: string | null;
  at: string;
}

export interface CollectionSyncStatus {
  collection: SyncedCollection;
  direction: 'push-pull' | 'pull';
  /** Records saved on the station and not yet confirmed by the server (receivedAt 0). */
  pending: number;
  /** Progress since the app started: documents sent to the server and received from it. */
  sent: number;
  received: number;
  lastSuccessAt: string | null;
  lastFailure: SyncFailure | null;
}

export interface SyncStatus {
  state: 'not-configured' | 'idle' | 'syncing' | 'failing';
  /** Why sync cannot run at all (no server, no credential), in words IT staff can act on. */
  problem: string | null;
  collections: CollectionSyncStatus[];
  lastSuccessAt: string | null;
  /** Recent failures, newest first (at most 20). */
  failures: SyncFailure[];
  /** Conflicts the server reported for this station since the app started. */
  conflicts: number;
}

export interface SyncSettings {
  serverUrl: string;
  stationId: string;
  /** The station credential (mis1.<stationId>.<secret>). */
  token: string;
  requestTimeoutMs?: number;
}

/**
 * The station's sync: its own records (registrations, crossings, biometrics, audit) go
 * through RxDB's replication, both ways; reference data is pulled. Keeps the status that
 * the supervisor's screen shows: what is still to send, what went wrong and why.
 */
export class SyncService {
  private readonly replications: StationReplication[] = [];
  private readonly pullers: ReferencePuller[] = [];
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  private readonly lastSuccess = new Map<SyncedCollection, string>();
  private readonly lastFailure = new Map<SyncedCollection, SyncFailure>();
  private readonly failures: SyncFailure[] = [];
  private readonly pending = new Map<SyncedCollection, number>();
  private readonly sent = new Map<SyncedCollection, number>();
  private readonly received = new Map<SyncedCollection, number>();
  private readonly subscriptions: { unsubscribe(): void }[] = [];
  private conflicts = 0;
  private running = 0;
  private started = false;
  private client: SyncClient | undefined;

  constructor(
    private readonly database: StationDatabase,
    private readonly settings: SyncSettings | { problem: string },
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.started || 'problem' in this.settings) return;
    this.started = true;
    const { serverUrl, stationId, token } = this.settings;
    const client = new SyncClient({ serverUrl, token, ...(this.settings.requestTimeoutMs ? { timeoutMs: this.settings.requestTimeoutMs } : {}) });
    this.client = client;
    for (const name of stationCollections) {
      const collection = this.database.collections[name] as unknown as RxCollection;
      this.replications.push(
        replicateStationCollection(collection, name, client, stationId, serverUrl, {
          succeeded: (c) => this.succeeded(c),
          moved: (c, direction, count) => this.moved(c, direction, count),
          failed: (c, error) => this.failed(c, error),
          refused: (c, error) => this.failed(c, error),
          conflicted: (c, count) => {
            this.conflicts += count;
            this.log.warn({ collection: c, count }, 'the server kept its version of records changed centrally; see the conflict log');
            this.emit();
          },
        }),
      );
      this.watchPending(name, collection);
    }
    for (const name of referenceCollections) {
      const puller = new ReferencePuller(this.database as never, name, client, serverUrl, {
        succeeded: (c, pulled) => {
          this.moved(c, 'received', pulled);
          this.succeeded(c);
        },
        failed: (c, error) => this.failed(c, error),
      });
      this.pullers.push(puller);
      puller.start();
    }
  }

  /** Counts the station's unconfirmed records live, from the receivedAt index. */
  private watchPending(name: StationCollection, collection: RxCollection): void {
    const subscription = collection.count({ selector: { receivedAt: 0 } }).$.subscribe((count) => {
      this.pending.set(name, count);
      this.emit();
    });
    this.subscriptions.push(subscription);
  }

  /**
   * "Sync now": pushes everything pending and pulls everything new, then answers with the
   * status: what is still pending and, when something failed, why. It waits at most
   * `timeoutMs` (sync goes on in the background after that); it never throws, since the
   * status is the answer either way.
   */
  async syncNow(timeoutMs = 60_000): Promise<SyncStatus> {
    if ('problem' in this.settings) return this.status();
    this.running++;
    this.emit();
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = Promise.allSettled([
        ...this.replications.map((replication) => {
          replication.resync();
          return replication.awaitInSync();
        }),
        ...this.pullers.map((puller) => puller.pull()),
      ]);
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      this.running--;
      this.emit();
    }
    return this.status();
  }

  /** The client, or why there is none: what needs the server cannot go without it. */
  private connectedClient(): SyncClient {
    if (!this.client) throw new SyncRequestError('NOT_CONFIGURED', 'problem' in this.settings ? this.settings.problem : 'Sync has not started yet.');
    return this.client;
  }

  /**
   * The station's conflict log as the server keeps it: records the station had changed
   * while the centre corrected them, with both versions, for the supervisor to review.
   * Needs the server (the log lives there), which checks that `officerId` is a supervisor
   * of this station; throws SyncRequestError when it refuses or cannot be reached.
   */
  async conflictLog(officerId: string): Promise<ServerConflict[]> {
    return this.connectedClient().conflicts(officerId);
  }

  /**
   * Changes the officer's password on the server (which checks the current one), then
   * stores the officer's new document at once rather than at the next pull: the next
   * login, offline too, takes the new password. Officers are pulled, never pushed, so
   * this write goes nowhere; the pull brings the same document again and leaves it be.
   * Throws SyncRequestError with the server's code, or NETWORK when it cannot be reached.
   */
  async changePassword(officerId: string, currentPassword: string, newPassword: string): Promise<void> {
    const { _deleted: _pulledOnly, ...officer } = await this.connectedClient().changePassword(officerId, currentPassword, newPassword);
    await this.database.collections.officers.upsert(officer as unknown as Officer);
  }

  /** The server became reachable again: do not wait for the next retry. */
  reconnected(): void {
    for (const replication of this.replications) replication.resync();
    for (const puller of this.pullers) void puller.pull().catch(() => undefined);
  }

  status(): SyncStatus {
    if ('problem' in this.settings) {
      return { state: 'not-configured', problem: this.settings.problem, collections: [], lastSuccessAt: null, failures: [], conflicts: 0 };
    }
    const names: SyncedCollection[] = [...stationCollections, ...referenceCollections];
    const collections = names.map((collection): CollectionSyncStatus => ({
      collection,
      direction: (referenceCollections as readonly string[]).includes(collection) ? 'pull' : 'push-pull',
      pending: this.pending.get(collection) ?? 0,
      sent: this.sent.get(collection) ?? 0,
      received: this.received.get(collection) ?? 0,
      lastSuccessAt: this.lastSuccess.get(collection) ?? null,
      lastFailure: this.lastFailure.get(collection) ?? null,
    }));
    const successes = [...this.lastSuccess.values()].sort();
    const failing = collections.some((collection) => collection.lastFailure !== null);
    return {
      state: this.running > 0 ? 'syncing' : failing ? 'failing' : 'idle',
      problem: null,
      collections,
      lastSuccessAt: successes[successes.length - 1] ?? null,
      failures: [...this.failures],
      conflicts: this.conflicts,
    };
  }

  onChange(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private moved(collection: SyncedCollection, direction: 'sent' | 'received', count: number): void {
    const counts = direction === 'sent' ? this.sent : this.received;
    counts.set(collection, (counts.get(collection) ?? 0) + count);
  }

  private succeeded(collection: SyncedCollection): void {
    this.lastSuccess.set(collection, new Date().toISOString());
    this.lastFailure.delete(collection);
    this.emit();
  }

  private failed(collection: SyncedCollection, error: Error): void {
    const failure: SyncFailure = {
      collection,
      code: error instanceof SyncRequestError ? error.code : 'INTERNAL',
      message: error.message,
      recordId: error instanceof SyncRequestError ? (error.recordId ?? null) : null,
      at: new Date().toISOString(),
    };
    this.lastFailure.set(collection, failure);
    this.failures.unshift(failure);
    this.failures.length = Math.min(this.failures.length, 20);
    // Codes and collection names only: messages may quote a record id, never personal data,
    // but the log has no need of them.
    const transient = !(error instanceof SyncRequestError) || error.transient;
    this.log.warn(
      { collection, code: failure.code, recordId: failure.recordId },
      transient ? 'sync failed; it will be tried again' : 'the server refused a record; it is kept here, set aside, and shown to the supervisor',
    );
    this.emit();
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    for (const puller of this.pullers) puller.stop();
    await Promise.all(this.replications.map((replication) => replication.cancel()));
  }
}

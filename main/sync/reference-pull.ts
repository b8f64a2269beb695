import { createRevision, now, type BulkWriteRow, type RxCollection, type RxDatabase, type RxDocumentData } from 'rxdb';
import type { PullResponse, ReferenceCollection, WireDocument } from '../../domain/sync';
import { Backoff } from './backoff';
import { keepLiveStream } from './live-stream';
import type { SyncClient } from './sync-client';

export interface ReferencePullEvents {
  succeeded(collection: ReferenceCollection, pulled: number): void;
  failed(collection: ReferenceCollection, error: Error): void;
}

/** The stored document has these fields and deletion state already. */
function sameContent(stored: RxDocumentData<unknown>, incoming: WireDocument): boolean {
  const { _meta: _m, _rev: _r, _attachments: _a, ...fields } = stored as Record<string, unknown>;
  return JSON.stringify(canonical(fields)) === JSON.stringify(canonical(incoming));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
}

/** Pages this big keep a million-alert first pull to a few hundred requests. */
const PAGE = 5_000;

/**
 * Pulls one collection of reference data (alerts, officers, stations, code lists) into
 * the station: page after page from the local checkpoint, each page written before the
 * checkpoint moves past it, so that a pull cut off anywhere resumes where it stopped and
 * never skips anything (writing a page twice changes nothing).
 *
 * Reference data is never written on the station, so it needs none of the conflict
 * bookkeeping of RxDB's replication, which stores a second copy of every document as its
 * "assumed master state": for a million-entry watchlist that would double the first pull.
 */
export class ReferencePuller {
  private running: Promise<void> | undefined;
  private again = false;
  private readonly backoff = new Backoff();
  private stream: { close(): void } | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly database: RxDatabase,
    private readonly name: ReferenceCollection,
    private readonly client: SyncClient,
    private readonly serverUrl: string,
    private readonly events: ReferencePullEvents,
    /** Documents per pull request (tests use small pages to cross page boundaries). */
    private readonly pageSize = PAGE,
  ) {}

  private get collection(): RxCollection {
    return this.database.collections[this.name] as RxCollection;
  }

  /** Where the checkpoint is kept: per server, so that a station moved to a new server starts over. */
  private get checkpointId(): string {
    return `sync-checkpoint:${this.name}:${this.serverUrl}`;
  }

  /** Follows the live stream: every RESYNC pulls what is new. */
  start(): void {
    this.stream = keepLiveStream(this.client, this.name, () => void this.pull().catch(() => undefined), (error) => this.events.failed(this.name, error));
  }

  async checkpoint(): Promise<number> {
    const local = await this.database.getLocal<{ sequence: number }>(this.checkpointId);
    return local?.get('sequence') ?? 0;
  }

  /**
   * Pulls everything new. Calls made while a pull runs are served by one more round after
   * it. A failure is reported, and the pull is tried again after a growing pause.
   */
  pull(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pullUntilCaughtUp();
        } while (this.again && !this.stopped);
        this.backoff.reset();
      } catch (error) {
        this.events.failed(this.name, error as Error);
        if (!this.stopped) {
          clearTimeout(this.retry);
          this.retry = setTimeout(() => void this.pull().catch(() => undefined), this.backoff.next());
          this.retry.unref();
        }
        throw error;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async pullUntilCaughtUp(): Promise<void> {
    const checkpoint = await this.checkpoint();
    let next: Promise<{ page: PullResponse; text: string }> = this.client.pullWithText(this.name, checkpoint, this.pageSize);
    let bulkLoad = false;
    /** The page being written while the next one is prepared, and its checkpoint. */
    let writing: { done: Promise<void>; sequence: number } | undefined;
    const finishWriting = async (): Promise<void> => {
      if (!writing) return;
      const { done, sequence } = writing;
      writing = undefined;
      await done;
      await this.database.upsertLocal(this.checkpointId, { sequence });
    };
    try {
      for (;;) {
        const { page, text } = await next;
        const full = page.documents.length >= this.pageSize;
        // The next page is fetched while this one is written.
        if (full) next = this.client.pullWithText(this.name, page.checkpoint.sequence, this.pageSize);
        if (full && !bulkLoad && checkpoint === 0 && (await this.collection.count().exec()) === 0) {
          // A new station's first pull of a big collection: indexes are built once at the end.
          bulkLoad = true;
          await this.storage.deferIndexes?.(true);
        }
        if (page.documents.length > 0) {
          // In a bulk load the store writes one page while the next is prepared; the
          // checkpoint only ever moves past pages that are written.
          const done = bulkLoad ? this.importPage(text, page.documents) : this.write(page.documents);
          if (!bulkLoad) await done;
          await finishWriting();
          writing = { done, sequence: page.checkpoint.sequence };
          if (!bulkLoad) await finishWriting();
        }
        this.events.succeeded(this.name, page.documents.length);
        if (!full || this.stopped) {
          await finishWriting();
          // A page fetched ahead and not used must not reject unhandled.
          next.catch(() => undefined);
          return;
        }
      }
    } finally {
      // Also after a failure: queries must not go without their indexes until the next pull.
      await writing?.done.catch(() => undefined);
      if (bulkLoad) await this.storage.deferIndexes?.(false);
    }
  }

  /** The collection's storage itself (our SQLite storage; its bulk-load calls are optional). */
  private get storage(): RxCollection['storageInstance'] & {
    deferIndexes?: (deferred: boolean) => Promise<unknown>;
    importPage?: (json: string, documents: WireDocument[], rev: string) => Promise<boolean>;
  } {
    return (this.collection as unknown as { internalStorageInstance: RxCollection['storageInstance'] }).internalStorageInstance;
  }

  /**
   * A bulk load's page: the store parses and inserts the server's JSON itself. Documents
   * that exist already (a record changed twice during the load) make it fall back to the
   * ordinary write, which looks each one up.
   */
  private async importPage(text: string, documents: WireDocument[]): Promise<void> {
    const imported = await this.storage.importPage?.(text, documents, createRevision(this.database.token));
    if (!imported) await this.write(documents);
  }

  /**
   * Writes a page through the collection's storage, as RxDB's own replication does: one
   * bulk write with each document's new revision, withdrawn records as deletions, records
   * that did not change left alone. RxDB's collection sees the writes in its change stream,
   * so queries and documents on screen follow.
   */
  private async write(documents: WireDocument[]): Promise<void> {
    const storage = this.collection.storageInstance;
    const previous = new Map<string, RxDocumentData<unknown>>();
    for (const doc of await storage.findDocumentsById(documents.map((document) => document.id), true)) previous.set((doc as { id: string }).id, doc);
    const token = this.database.token;
    const rows: BulkWriteRow<unknown>[] = [];
    for (const document of documents) {
      const before = previous.get(document.id);
      if (!before && document._deleted) continue;
      if (before && sameContent(before, document)) continue;
      const written = { ...document, _attachments: {}, _meta: { lwt: now() }, _rev: createRevision(token, before) } as RxDocumentData<unknown>;
      rows.push(before ? { previous: before, document: written } : { document: written });
    }
    if (rows.length === 0) return;
    const { error } = await storage.bulkWrite(rows, 'mis-reference-pull');
    if (error.length === 0) return;
    // A conflict means another write came between the read and this one: the page is
    // pulled again (its checkpoint has not moved).
    throw new Error(`${error.length} ${this.name} records from the server could not be stored (first: ${error[0]!.status}); the page will be pulled again.`);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.stream?.close();
  }
}

import type { Logger } from 'pino';
import {
  createRevision,
  getAllCollectionDocuments,
  getComposedPrimaryKeyOfDocumentData,
  now as rxdbNow,
  type BulkWriteRow,
  type RxCollection,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageInstance,
} from 'rxdb';
import { SYSTEM_OFFICER, type Biometric, type Crossing, type Registration } from '../../domain/records';
import {
  earliestCutoff,
  isOverstayCrossing,
  orphanBiometricCutoff,
  orphanBiometricRetainedUntil,
  overstayers,
  personKey,
  retainedCollections,
  retainedUntil,
  type RetainedCollection,
} from '../../domain/retention';
import { defaultRules, type Rules } from '../../domain/rules';
import type { AuditRecorder } from '../auth/auth-service';
import type { StationDatabase } from '../services/station-store';

/**
 * The station's retention: registrations, crossings and their fingerprint captures go
 * from the station's store once their time is up, decided record by record by the
 * domain's retainedUntil, the function the server applies to its own copies. A person is
 * an overstayer when the station holds an overstay exit of the same travel document.
 *
 * Nothing that has not reached the server is purged: a record with receivedAt 0 stays
 * (however old) and goes at the first run after the server confirmed it. The server keeps
 * its copy until its own purge: a station's purge is never sent (station-replication.ts
 * drops deletions from pushes).
 *
 * How a record goes, so that its personal data is not left anywhere in the file:
 * 1. RxDB's replication keeps the last state the server confirmed of every record (its
 *    "assumed master state", a full copy) in a meta collection of its own: those
 *    documents are removed first, for every replication the collection ever had.
 * 2. The record becomes a tombstone that holds its id and nothing else (no indexed field,
 *    no attachment), written through the collection's storage so that RxDB's collection
 *    and queries see it go.
 * 3. Tombstones are removed from the file (cleanup); the meta documents the replication
 *    wrote for them meanwhile are removed again; the WAL is folded into the file and
 *    truncated. The store zeroes what it deletes (secure_delete).
 * Each run appends an audit entry per collection it purged from, by SYSTEM_OFFICER: counts
 * and the date bound, never ids of people. Without an audit trail nothing is purged.
 */

export interface StationPurgeResult {
  /** The moment the run decided for (ms). */
  at: number;
  /** Records purged per collection. */
  purged: Record<RetainedCollection, number>;
  /** Records past their time that stay because the server has not confirmed them yet. */
  unsynced: number;
}

export interface RetentionServiceOptions {
  database: StationDatabase;
  /** The station's audit trail; null when there is none (no station id), and then nothing is purged. */
  audit: () => AuditRecorder | null;
  log: Logger;
  /** The rules in force, for their retention periods (the station's, from its rules code list); the defaults otherwise. */
  rules?: () => Pick<Rules, 'retention'>;
  now?: () => number;
  /** Between the starts of two runs; default 24 h. */
  everyMs?: number;
  /** Candidates read at a time; default 500. */
  pageSize?: number;
}

export class RetentionError extends Error {
  readonly code = 'RETENTION_NOT_AUDITED';

  constructor(message: string) {
    super(message);
    this.name = 'RetentionError';
  }
}

const DAY_MS = 86_400_000;
/** The write context of purges, as the store and RxDB's events carry it. */
export const RETENTION_PURGE_CONTEXT = 'retention-purge';
/** RxDB's replications keep their meta collections under this prefix (rxdb/plugins/replication). */
const REPLICATION_META_PREFIX = 'rx-replication-meta-';

type StationDoc = { id: string; receivedAt: number } & Record<string, unknown>;
type MetaInstance = RxStorageInstance<unknown, unknown, unknown>;

const zeroCounts = (): Record<RetainedCollection, number> => ({ registrations: 0, crossings: 0, biometrics: 0 });

/** The date field a collection's candidates are read by, through its index. */
const dateField: Record<RetainedCollection, 'arrivalAt' | 'occurredAt' | 'createdAt'> = { registrations: 'arrivalAt', crossings: 'occurredAt', biometrics: 'createdAt' };

export class RetentionService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private readonly rules: () => Pick<Rules, 'retention'>;
  private readonly now: () => number;
  private readonly pageSize: number;

  constructor(private readonly options: RetentionServiceOptions) {
    this.rules = options.rules ?? (() => defaultRules);
    this.now = options.now ?? Date.now;
    this.pageSize = options.pageSize ?? 500;
  }

  /** A run now, then one every day; the timer keeps no process alive. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.scheduled(), this.options.everyMs ?? DAY_MS);
    this.timer.unref();
    this.scheduled();
  }

  /** No new run starts; a run in progress ends after its page, and is waited for. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private scheduled(): void {
    if (this.running || this.stopped) return;
    this.running = this.run()
      .then(
        (result) => this.options.log.info({ purged: result.purged, unsynced: result.unsynced }, 'retention purge'),
        (error: unknown) => this.options.log.error({ code: (error as { code?: unknown }).code, errorName: (error as Error).name }, 'retention purge failed; the next run tries again'),
      )
      .finally(() => {
        this.running = undefined;
      });
  }

  /** One run, for the moment `now()` says. Throws RETENTION_NOT_AUDITED, having purged nothing, when there is no audit trail. */
  async run(): Promise<StationPurgeResult> {
    const audit = this.options.audit();
    if (!audit) throw new RetentionError('Records past their retention period are not purged: the station has no audit trail to record it in (no station id).');
    const at = this.now();
    const rules = this.rules();
    const cutoffs: Record<RetainedCollection, number> = {
      registrations: earliestCutoff(at, rules),
      crossings: earliestCutoff(at, rules),
      biometrics: orphanBiometricCutoff(at, rules),
    };
    const run = new StationRun(this.options.database, rules, at, cutoffs, this.pageSize, () => this.stopped);
    try {
      await run.purgeRecords('registration');
      await run.purgeRecords('crossing');
      await run.purgeOrphans();
    } finally {
      // Whatever the run got to is removed from the file and audited, also when it was
      // stopped or failed halfway.
      try {
        await run.removeFromFile();
      } finally {
        for (const collection of retainedCollections) {
          const count = run.purged[collection].size;
          if (count === 0) continue;
          await audit.record({
            officerId: SYSTEM_OFFICER,
            action: 'retention.purge',
            details: { collection, count: String(count), cutoff: new Date(cutoffs[collection]).toISOString().slice(0, 10) },
          });
        }
      }
    }
    const purged = zeroCounts();
    for (const collection of retainedCollections) purged[collection] = run.purged[collection].size;
    return { at, purged, unsynced: run.unsynced };
  }
}

/** The work of one run: what it decided, tombstoned and must remove from the file. */
class StationRun {
  /** Ids purged per collection (ids are not personal data; they point at nothing once gone). */
  readonly purged: Record<RetainedCollection, Set<string>> = { registrations: new Set(), crossings: new Set(), biometrics: new Set() };
  unsynced = 0;
  /** The people whose overstay exit this run purged: later pages must still know them. */
  private readonly overstayedThisRun = new Set<string>();
  private readonly metaInstances = new Map<RetainedCollection, Promise<MetaInstance[]>>();

  constructor(
    private readonly database: StationDatabase,
    private readonly rules: Pick<Rules, 'retention'>,
    private readonly at: number,
    private readonly cutoffs: Record<RetainedCollection, number>,
    private readonly pageSize: number,
    private readonly stopped: () => boolean,
  ) {}

  private collection(name: RetainedCollection): RxCollection {
    return this.database.collections[name] as unknown as RxCollection;
  }

  /** Goes through the candidates of a collection a page at a time, in (date, id) order, through the date's index. */
  private async eachPage(name: RetainedCollection, handle: (page: StationDoc[]) => Promise<void>): Promise<void> {
    const field = dateField[name];
    const below = { [field]: { $lt: this.cutoffs[name] } };
    let after: { at: number; id: string } | null = null;
    while (!this.stopped()) {
      // The lower bound lets the store start the page where the last one ended, rather than
      // walk the index from the oldest candidate to it, page after page.
      const selector: Record<string, unknown> = after
        ? { [field]: { $lt: this.cutoffs[name], $gte: after.at }, $or: [{ [field]: { $gt: after.at } }, { [field]: after.at, id: { $gt: after.id } }] }
        : below;
      const page = (await this.collection(name).find({ selector, sort: [{ [field]: 'asc' }, { id: 'asc' }], limit: this.pageSize }).exec()).map((document) => document.toJSON() as StationDoc);
      if (page.length === 0) return;
      const last = page.at(-1)!;
      after = { at: last[field] as number, id: last.id };
      await handle(page);
    }
  }

  /** Registrations or crossings past their time, with their captures: synced ones go, unsynced ones are counted. */
  async purgeRecords(kind: 'registration' | 'crossing'): Promise<void> {
    const name = kind === 'registration' ? 'registrations' : 'crossings';
    await this.eachPage(name, async (page) => {
      const overstayed = await this.overstayersAmong(page);
      const due = page.filter((document) => {
        const person = personKey((document as unknown as Registration | Crossing).document);
        const overstayer = overstayed.has(person) || this.overstayedThisRun.has(person);
        const retained = kind === 'registration' ? { kind, record: document as unknown as Registration } : { kind, record: document as unknown as Crossing };
        return this.at >= retainedUntil(retained, overstayer, this.rules);
      });
      const synced = due.filter((document) => this.isSynced(document));
      if (kind === 'crossing') {
        for (const crossing of synced as unknown as Crossing[]) if (isOverstayCrossing(crossing)) this.overstayedThisRun.add(personKey(crossing.document));
      }
      const gone = await this.purge(name, synced.map((document) => document.id));
      if (gone.length === 0) return;
      const captures = (await this.collection('biometrics').find({ selector: { recordId: { $in: gone } } }).exec()).map((capture) => capture.toJSON() as unknown as Biometric & StationDoc);
      await this.purge('biometrics', captures.filter((capture) => capture.recordType === kind && this.isSynced(capture)).map((capture) => capture.id));
    });
  }

  /** Captures whose record the station does not hold, past their own time. */
  async purgeOrphans(): Promise<void> {
    await this.eachPage('biometrics', async (page) => {
      const captures = page as unknown as (Biometric & StationDoc)[];
      const held = new Set<string>();
      for (const [kind, name] of [['registration', 'registrations'], ['crossing', 'crossings']] as const) {
        const ids = captures.filter((capture) => capture.recordType === kind).map((capture) => capture.recordId);
        if (ids.length > 0) for (const id of (await this.collection(name).findByIds(ids).exec()).keys()) held.add(id);
      }
      const due = captures.filter((capture) => !held.has(capture.recordId) && this.at >= orphanBiometricRetainedUntil(capture, this.rules));
      await this.purge('biometrics', due.filter((capture) => this.isSynced(capture)).map((capture) => capture.id));
    });
  }

  /** Removes the tombstones of this run (and of any earlier run that stopped halfway) and what the replication kept of them, then folds the WAL. */
  async removeFromFile(): Promise<void> {
    for (const name of retainedCollections) {
      const storage = this.collection(name).storageInstance;
      while (!(await storage.cleanup(0))) {
        // Tombstones go a batch at a time; the next batch follows.
      }
      // The replication may have written its meta document for a tombstone since step 1.
      await this.forgetReplicationStates(name, [...this.purged[name]]);
    }
    for (const instances of this.metaInstances.values()) await Promise.all((await instances).map((instance) => instance.close()));
    const storage = (this.collection('registrations') as unknown as { internalStorageInstance: { foldWal?: () => Promise<unknown> } }).internalStorageInstance;
    await storage.foldWal?.();
  }

  private isSynced(document: StationDoc): boolean {
    if (document.receivedAt !== 0) return true;
    this.unsynced += 1;
    return false;
  }

  /** The people among a page's travellers who overstayed, by the crossings the station holds. */
  private async overstayersAmong(page: StationDoc[]): Promise<Set<string>> {
    const documents = new Map<string, { documentNumber: string; issuingState: string }>();
    for (const record of page as unknown as (Registration | Crossing)[]) documents.set(personKey(record.document), record.document);
    const crossings: Crossing[] = [];
    for (const { documentNumber, issuingState } of documents.values()) {
      // One query per document, on the crossings' (number, issuing state) index.
      const found = await this.collection('crossings').find({ selector: { 'document.documentNumber': documentNumber, 'document.issuingState': issuingState } }).exec();
      crossings.push(...found.map((crossing) => crossing.toJSON() as unknown as Crossing));
    }
    return overstayers(crossings);
  }

  /**
   * Steps 1 and 2 (see the top of this file) for these ids; returns the ids purged. A
   * record changed since it was read (amended, so unsynced again) is left for a later run.
   */
  private async purge(name: RetainedCollection, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    await this.forgetReplicationStates(name, ids);
    const storage = this.collection(name).storageInstance;
    const current = (await storage.findDocumentsById(ids, false)) as RxDocumentData<StationDoc>[];
    const rows = current
      .filter((previous) => previous.receivedAt !== 0)
      .map(
        (previous): BulkWriteRow<unknown> => ({
          previous,
          // Nothing but the id: no field of the record, no indexed value, no attachment.
          document: { id: previous.id, _deleted: true, _rev: createRevision(this.database.token, previous), _meta: { lwt: rxdbNow() }, _attachments: {} } as unknown as RxDocumentData<unknown>,
        }),
      );
    if (rows.length === 0) return [];
    const { error } = await storage.bulkWrite(rows, RETENTION_PURGE_CONTEXT);
    const refused = new Set(error.map((failure) => failure.documentId));
    const gone = rows.map((row) => (row.previous as RxDocumentData<StationDoc>).id).filter((id) => !refused.has(id));
    for (const id of gone) this.purged[name].add(id);
    return gone;
  }

  /**
   * Removes the replication's meta documents of these records (their assumed master
   * states) from every replication the collection has had (another server, another
   * station id), as RxDB lists them with the collection.
   */
  private async forgetReplicationStates(name: RetainedCollection, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const meta of await this.metaInstancesOf(name)) {
      for (let start = 0; start < ids.length; start += this.pageSize) {
        const metaIds = ids.slice(start, start + this.pageSize).map((id) => getComposedPrimaryKeyOfDocumentData(meta.schema, { itemId: id, isCheckpoint: '0' } as never));
        const found = (await meta.findDocumentsById(metaIds, false)) as RxDocumentData<{ id: string; itemId: string }>[];
        if (found.length === 0) continue;
        const rows = found.map(
          (previous): BulkWriteRow<unknown> => ({
            previous,
            document: { id: previous.id, itemId: previous.itemId, isCheckpoint: '0', _deleted: true, _rev: createRevision(this.database.token, previous), _meta: { lwt: rxdbNow() }, _attachments: {} } as unknown as RxDocumentData<unknown>,
          }),
        );
        // A meta document the replication rewrote meanwhile holds the state of a tombstone
        // (an id), and goes at the end of the run.
        await meta.bulkWrite(rows, RETENTION_PURGE_CONTEXT);
      }
      while (!(await meta.cleanup(0))) {
        // As for the collections: a batch at a time.
      }
    }
  }

  /** The meta collections of the replications of a collection, opened once per run. */
  private metaInstancesOf(name: RetainedCollection): Promise<MetaInstance[]> {
    let opened = this.metaInstances.get(name);
    if (!opened) {
      opened = this.openMetaInstances(name);
      this.metaInstances.set(name, opened);
    }
    return opened;
  }

  private async openMetaInstances(name: RetainedCollection): Promise<MetaInstance[]> {
    const { database } = this;
    const described = (await getAllCollectionDocuments(database.internalStore)).filter((document) => document.data.name === name);
    const connected = described.flatMap((document) => document.data.connectedStorages ?? []).filter((storage) => storage.collectionName.startsWith(REPLICATION_META_PREFIX));
    return Promise.all(
      connected.map(({ collectionName, schema }) =>
        database.storage.createStorageInstance({
          databaseName: database.name,
          collectionName,
          databaseInstanceToken: database.token,
          multiInstance: database.multiInstance,
          options: {},
          schema: schema as RxJsonSchema<RxDocumentData<unknown>>,
          devMode: false,
        }) as Promise<MetaInstance>,
      ),
    );
  }
}

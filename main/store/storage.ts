import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { ensureRxStorageInstanceParamsAreCorrect, RXDB_VERSION, type RxDocumentData, type RxStorage, type RxStorageInstanceCreationParams } from 'rxdb';
import { documentCacheFor, fileClosed, fileOpening, forgetFile } from './document-cache';
import { SqliteStorageInstance, type CollectionState, type SqliteInstanceOptions, type SqliteInternals } from './instance';
import { StoreWorkerClient } from './worker-client';

export interface SqliteStorageOptions {
  /** The folder of the database files: one file per RxDB database. */
  directory: string;
  /** The 256-bit database key as 64 hex characters; null only for an unencrypted store. */
  key: string | null;
  /** The bundled worker file, in the Electron build; omitted when running from sources. */
  workerFile?: string;
  /** How long the worker stays after the last instance closes (default 5 s). */
  workerIdleMs?: number;
  /** How many documents of each collection are kept on the main thread (default 20,000; 0 turns the cache off). */
  documentCacheSize?: number;
}

interface OpenDatabase {
  handle: number;
  users: number;
}

/** A database name becomes a file name: letters, digits, dot, dash and underscore only. */
export function databaseFileName(databaseName: string): string {
  const safe = databaseName.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.codePointAt(0)!.toString(16)}`);
  return `${safe}.sqlite`;
}

/**
 * The change streams of the collections open in this process, by file, collection and
 * schema version: shared by every storage object, so that two instances of one collection
 * see each other's writes even when they come from different storage objects.
 */
const collectionStates = new Map<string, CollectionState>();

export class SqliteStorage implements RxStorage<SqliteInternals, SqliteInstanceOptions> {
  readonly name = 'mis-sqlite';
  readonly rxdbVersion = RXDB_VERSION;
  private client: StoreWorkerClient | undefined;
  /** Instances being created or open: the worker stops a while after this falls to zero. */
  private users = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly databases = new Map<string, Promise<OpenDatabase>>();

  constructor(readonly settings: SqliteStorageOptions) {}

  async createStorageInstance<T>(params: RxStorageInstanceCreationParams<T, SqliteInstanceOptions>): Promise<SqliteStorageInstance<T>> {
    // Key compression, field encryption and attachment compression are RxDB wrappers'
    // work: a schema that asks for them without the wrapper is refused, never half-served.
    ensureRxStorageInstanceParamsAreCorrect(params);
    clearTimeout(this.idleTimer);
    const client = (this.client ??= new StoreWorkerClient(this.settings.workerFile));
    this.users++;
    const file = join(this.settings.directory, databaseFileName(params.databaseName));
    let collection: number;
    let database: OpenDatabase;
    try {
      database = await this.acquireDatabase(client, file);
      try {
        ({ collection } = await client.call('openCollection', { database: database.handle, collectionName: params.collectionName, schema: params.schema as never }));
      } catch (error) {
        await this.releaseDatabase(client, file);
        throw error;
      }
    } catch (error) {
      await this.releaseUser(client);
      throw error;
    }
    const stateKey = `${file}\n${params.collectionName}\n${params.schema.version}`;
    let state = collectionStates.get(stateKey);
    if (!state) collectionStates.set(stateKey, (state = { changes: new Subject(), instances: 0 }));
    state.instances++;
    const sharedState = state;
    const cache = documentCacheFor<RxDocumentData<unknown>>(file, `${params.collectionName}\n${params.schema.version}`, this.settings.documentCacheSize ?? 20_000);

    const release = async (dropped: boolean): Promise<void> => {
      let databaseEmpty = false;
      if (dropped) {
        cache.clear();
        ({ databaseEmpty } = await client.call('dropCollection', { collection }));
      } else {
        await client.call('closeCollection', { collection });
      }
      if (--sharedState.instances === 0) {
        sharedState.changes.complete();
        collectionStates.delete(stateKey);
      }
      const closed = await this.releaseDatabase(client, file);
      if (dropped && databaseEmpty && closed) {
        for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
        forgetFile(file);
      }
      await this.releaseUser(client);
    };

    return new SqliteStorageInstance<T>(params.databaseName, params.collectionName, params.schema, { file }, params.options, {
      client,
      database: database.handle,
      collection,
      cache,
      state: sharedState,
      release,
    });
  }

  /**
   * The worker (and the memory it holds) goes away a few seconds after the last instance
   * closes; a database reopened meanwhile (RxDB does that around migrations) keeps it.
   */
  private async releaseUser(client: StoreWorkerClient): Promise<void> {
    if (--this.users > 0 || this.client !== client) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.users > 0 || this.client !== client) return;
      this.client = undefined;
      void client.terminate();
    }, this.settings.workerIdleMs ?? 5_000);
    this.idleTimer.unref();
  }

  private acquireDatabase(client: StoreWorkerClient, file: string): Promise<OpenDatabase> {
    let opening = this.databases.get(file);
    if (!opening) {
      mkdirSync(this.settings.directory, { recursive: true });
      fileOpening(file);
      opening = client.call('openDatabase', { file, key: this.settings.key }).then(({ database }) => ({ handle: database, users: 0 }));
      this.databases.set(file, opening);
      opening.catch(() => this.databases.delete(file));
    }
    return opening.then((database) => {
      database.users++;
      return database;
    });
  }

  /** True when this was the last user and the database file is now closed. */
  private async releaseDatabase(client: StoreWorkerClient, file: string): Promise<boolean> {
    const database = await this.databases.get(file);
    if (!database || --database.users > 0) return false;
    this.databases.delete(file);
    await client.call('closeDatabase', { database: database.handle });
    fileClosed(file);
    return true;
  }
}

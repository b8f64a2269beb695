import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { collectionDefinitions, type CollectionDocuments } from '../../domain/records';
import { loadOrCreateDatabaseKey, type KeyVault } from '../store/database-key';
import { getRxStorageSqlite } from '../store';
import { stationStoreFiles } from '../store/station-files';
import { acquireStationLock } from '../store/station-lock';

export type StationCollections = { [Name in keyof CollectionDocuments]: RxCollection<CollectionDocuments[Name]> };
export type StationDatabase = RxDatabase<StationCollections>;

export interface StationStore {
  database: StationDatabase;
  databaseFile: string;
  close(): Promise<void>;
}

let pluginsAdded = false;

function addPlugins(): void {
  if (pluginsAdded) return;
  addRxPlugin(RxDBMigrationSchemaPlugin);
  // Fingerprint images are attachments of the biometrics collection.
  addRxPlugin(RxDBAttachmentsPlugin);
  // Sync keeps its checkpoints of reference data as local documents of the database.
  addRxPlugin(RxDBLocalDocumentsPlugin);
  pluginsAdded = true;
}

/**
 * Opens the station's local store: takes the station lock, gets (or on first run makes)
 * the database key, opens the encrypted SQLite database through RxDB and adds every
 * collection, running schema migrations where the app is newer than the data.
 */
export async function openStationStore(dataDir: string, vault: KeyVault, workerFile?: string): Promise<StationStore> {
  const files = stationStoreFiles(dataDir);
  const releaseLock = acquireStationLock(files.lockFile);
  try {
    addPlugins();
    const key = await loadOrCreateDatabaseKey(vault, files.databaseFile);
    const storage = getRxStorageSqlite({ directory: files.directory, key, ...(workerFile ? { workerFile } : {}) });
    const database = await createRxDatabase<StationCollections>({ name: files.databaseName, storage, multiInstance: false, eventReduce: true, localDocuments: true });
    try {
      await database.addCollections(collectionDefinitions as never);
    } catch (error) {
      await database.close();
      throw error;
    }
    return {
      database,
      databaseFile: files.databaseFile,
      async close() {
        await database.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * Test support only (it loads RxDB at run time, which product code in domain/ never
 * does): RxDB databases as strict as RxDB can make them. Dev-mode checks every schema,
 * query and write; ajv validates every document against its schema; the memory
 * storage keeps the data in the process, where a closed database can be reopened.
 */
import { addRxPlugin, createRxDatabase, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { collectionDefinitions } from './collections';

disableWarnings();
addRxPlugin(RxDBDevModePlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);
// Biometrics keep the finger image as an attachment.
addRxPlugin(RxDBAttachmentsPlugin);

export function validatingMemoryStorage(): RxStorage<unknown, unknown> {
  return wrappedValidateAjvStorage({ storage: getRxStorageMemory() });
}

let databases = 0;

/** A name no other database in this process has, so tests never share data by accident. */
export function uniqueDatabaseName(purpose: string): string {
  databases += 1;
  return `${purpose}${databases}t${Date.now().toString(36)}`;
}

/** A fresh database holding every collection of collectionDefinitions. */
export async function openRecordsDatabase(): Promise<RxDatabase> {
  const database = await createRxDatabase({ name: uniqueDatabaseName('records'), storage: validatingMemoryStorage(), multiInstance: false });
  await database.addCollections(collectionDefinitions);
  return database;
}

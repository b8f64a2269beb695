import { getRxStorageSqlite } from '../../main/store';
import { openInstance, stored, testKey, traveller } from '../../main/store/storage-test-support';

/**
 * Another process writing the store: `<directory> <databaseName> <id> <surname>` replaces
 * the document's surname (the document must exist), as a second program on the same file
 * would.
 */
const [directory, databaseName, id, surname] = process.argv.slice(2);
if (!directory || !databaseName || !id || !surname) throw new Error('usage: store-writer-process.ts <directory> <databaseName> <id> <surname>');
const instance = await openInstance(getRxStorageSqlite({ directory, key: testKey }), undefined, databaseName);
const [current] = await instance.findDocumentsById([id], true);
if (!current) throw new Error(`no document ${id}`);
const result = await instance.bulkWrite([{ previous: current, document: stored(traveller({ ...current, surname }), current) }], 'other-process');
if (result.error.length > 0) throw new Error('the write conflicted');
await instance.close();

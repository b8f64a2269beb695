import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBlob, type RxAttachmentWriteData, type RxDocumentData } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { getRxStorageSqlite } from './index';
import type { SqliteStorageInstance } from './instance';
import { databaseFileName } from './storage';
import { openInstance, prepared, stored, tempStoreDirectory, traveller, travellerSchema, type Traveller } from './storage-test-support';

/**
 * What a purge leaves on disk: a document replaced by a tombstone of its id alone, then
 * cleaned up, must not be readable in the file any more, neither its fields, nor the keys
 * of its indexes, nor its attachment. The store zeroes what it deletes (secure_delete) and
 * can fold its WAL away (foldWal). Checked on an unencrypted file, whose bytes a test can
 * read: the encrypted station file holds the same pages, enciphered.
 */

const PURGED = 'ZZPURGEDSURNAME';
const KEPT = 'ZZKEPTSURNAME';
const FINGERPRINT = 'ZZFINGERPRINTIMAGEBYTES';

function attachment(content: string): RxAttachmentWriteData {
  const bytes = new TextEncoder().encode(content);
  return { length: bytes.length, type: 'image/x-wsq', digest: `sha256-${createHash('sha256').update(bytes).digest('hex')}`, data: createBlob(bytes as never, 'image/x-wsq') };
}

/** Whether the file holds the text, as UTF-8 (JSON) or as UTF-16BE (index keys). */
function fileHolds(file: string, text: string): boolean {
  const bytes = readFileSync(file);
  return bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text, 'utf16le').swap16());
}

describe('a purged document on disk', () => {
  const opened: SqliteStorageInstance<Traveller>[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((instance) => instance.close()));
  });

  it('is gone from the file, fields, index keys and attachment, once tombstoned, cleaned up and the WAL folded', async () => {
    const directory = tempStoreDirectory();
    const file = join(directory, databaseFileName('station'));
    const instance = (await openInstance(getRxStorageSqlite({ directory, key: null }))) as SqliteStorageInstance<Traveller>;
    opened.push(instance);
    const purged = stored(traveller({ surname: PURGED, documentNumber: 'ZZ0000001' }));
    // Large enough to overflow its row's page, as fingerprint images do.
    (purged._attachments as Record<string, unknown>).image = attachment(FINGERPRINT.repeat(400));
    const kept = stored(traveller({ surname: KEPT }));
    await instance.bulkWrite([{ document: purged }, { document: kept }], 'test');
    await instance.foldWal();
    expect([fileHolds(file, PURGED), fileHolds(file, 'ZZ0000001'), fileHolds(file, FINGERPRINT)]).toEqual([true, true, true]);

    // The tombstone of a purge: the id and nothing else, no indexed field, no attachment.
    const [current] = await instance.findDocumentsById([purged.id], false);
    const tombstone = { id: purged.id, _deleted: true, _attachments: {}, _meta: { lwt: current!._meta.lwt + 1 }, _rev: `2-${current!._rev.split('-')[1]}` } as unknown as RxDocumentData<Traveller>;
    expect((await instance.bulkWrite([{ previous: current!, document: tombstone }], 'retention-purge')).error).toEqual([]);
    // Queries still work over a row whose indexed columns are empty.
    expect((await instance.query(prepared(travellerSchema, { selector: { age: { $gte: 0 } } }))).documents.map((document) => document.surname)).toEqual([KEPT]);
    expect(await instance.cleanup(0)).toBe(true);
    expect(await instance.findDocumentsById([purged.id], true)).toEqual([]);
    await instance.foldWal();

    expect(fileHolds(file, KEPT)).toBe(true);
    expect([fileHolds(file, PURGED), fileHolds(file, 'ZZ0000001'), fileHolds(file, FINGERPRINT)]).toEqual([false, false, false]);
    expect(readFileSync(`${file}-wal`).length).toBe(0);
  });
});

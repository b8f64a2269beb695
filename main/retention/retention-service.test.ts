import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlob } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticBiometric, syntheticCrossing, syntheticRegistration, syntheticSource, type AuditEntry } from '../../domain/records';
import { AuditTrail } from '../audit/audit-trail';
import { silentLogger } from '../log';
import { openStationStore, type StationStore } from '../services/station-store';
import { fileKeyVault } from '../store/database-key';
import { stationStoreFiles } from '../store/station-files';
import { RetentionService } from './retention-service';

const STATION = 'BIH-RU-01';
/** Records of March 2019 are past 3 years at this moment; those of October 2022 are not. */
const NOW = Date.UTC(2023, 0, 10);
/** When the server confirmed the records that have reached it. */
const CONFIRMED = Date.UTC(2019, 5, 1);

describe('the station retention service', () => {
  let store: StationStore;

  beforeEach(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mis-retention-'));
    store = await openStationStore(dataDir, fileKeyVault(stationStoreFiles(dataDir).keyFile));
  });
  afterEach(async () => {
    await store.close();
  });

  it('purges confirmed records past their time with their captures, captures without a record by their own date, and audits each collection', async () => {
    const { collections } = store.database;
    const old = syntheticSource(31, { from: Date.UTC(2019, 2, 1), stationId: STATION });
    const recent = syntheticSource(32, { from: Date.UTC(2022, 9, 1), stationId: STATION });
    const oldRegistration = { ...syntheticRegistration(old), receivedAt: CONFIRMED };
    const oldCrossing = { ...syntheticCrossing(old), receivedAt: CONFIRMED };
    const capture = { ...syntheticBiometric(old, { recordType: 'crossing', recordId: oldCrossing.id }), receivedAt: CONFIRMED };
    const orphan = { ...syntheticBiometric(old, { recordType: 'registration', recordId: syntheticRegistration(old).id }), receivedAt: CONFIRMED };
    // Not confirmed by the server: it stays, and so does its capture (its record is here).
    const unsentCrossing = syntheticCrossing(old);
    const captureOfUnsent = { ...syntheticBiometric(old, { recordType: 'crossing', recordId: unsentCrossing.id }), receivedAt: CONFIRMED };
    const recentCrossing = { ...syntheticCrossing(recent), receivedAt: Date.UTC(2022, 9, 2) };
    await collections.registrations.insert(oldRegistration);
    await collections.crossings.bulkInsert([oldCrossing, unsentCrossing, recentCrossing]);
    await collections.biometrics.bulkInsert([capture, orphan, captureOfUnsent]);
    const image = new TextEncoder().encode('a fingerprint image');
    await (await collections.biometrics.findOne(capture.id).exec())!.putAttachment({ id: 'image', data: createBlob(image as never, 'image/x-wsq'), type: 'image/x-wsq' });

    const trail = new AuditTrail(collections.audit, STATION, () => NOW);
    const retention = new RetentionService({ database: store.database, audit: () => trail, log: silentLogger, now: () => NOW, pageSize: 2 });
    expect(await retention.run()).toEqual({ at: NOW, purged: { registrations: 1, crossings: 1, biometrics: 2 }, unsynced: 1 });

    expect(await collections.registrations.count().exec()).toBe(0);
    expect((await collections.crossings.find().exec()).map((crossing) => crossing.id).sort()).toEqual([unsentCrossing.id, recentCrossing.id].sort());
    expect((await collections.biometrics.find().exec()).map((kept) => kept.id)).toEqual([captureOfUnsent.id]);
    // Gone from the storage itself, tombstones included.
    expect(await collections.biometrics.storageInstance.findDocumentsById([capture.id, orphan.id], true)).toEqual([]);

    const entries: AuditEntry[] = (await collections.audit.find({ sort: [{ sequence: 'asc' }] }).exec()).map((entry) => entry.toJSON() as AuditEntry);
    expect(entries.map((entry) => [entry.officerId, entry.action, entry.recordType, entry.recordId, entry.details])).toEqual([
      ['system', 'retention.purge', '', '', { collection: 'registrations', count: '1', cutoff: '2020-01-10' }],
      ['system', 'retention.purge', '', '', { collection: 'crossings', count: '1', cutoff: '2020-01-10' }],
      ['system', 'retention.purge', '', '', { collection: 'biometrics', count: '2', cutoff: '2020-01-10' }],
    ]);
    expect(await trail.verify()).toMatchObject({ ok: true, entries: 3 });

    // A second run finds nothing more, and records nothing.
    expect((await retention.run()).purged).toEqual({ registrations: 0, crossings: 0, biometrics: 0 });
    expect(await collections.audit.count().exec()).toBe(3);
  });

  it('purges a record once the server has confirmed it', async () => {
    const { collections } = store.database;
    const registration = syntheticRegistration(syntheticSource(33, { from: Date.UTC(2019, 2, 1), stationId: STATION }));
    await collections.registrations.insert(registration);
    const trail = new AuditTrail(collections.audit, STATION, () => NOW);
    const retention = new RetentionService({ database: store.database, audit: () => trail, log: silentLogger, now: () => NOW });
    expect(await retention.run()).toMatchObject({ purged: { registrations: 0 }, unsynced: 1 });
    await (await collections.registrations.findOne(registration.id).exec())!.incrementalPatch({ receivedAt: CONFIRMED });
    expect(await retention.run()).toMatchObject({ purged: { registrations: 1 }, unsynced: 0 });
  });

  it('purges nothing without an audit trail to record it in', async () => {
    const registration = { ...syntheticRegistration(syntheticSource(34, { from: Date.UTC(2019, 2, 1), stationId: STATION })), receivedAt: CONFIRMED };
    await store.database.collections.registrations.insert(registration);
    const retention = new RetentionService({ database: store.database, audit: () => null, log: silentLogger, now: () => NOW });
    await expect(retention.run()).rejects.toMatchObject({ code: 'RETENTION_NOT_AUDITED' });
    expect(await store.database.collections.registrations.findOne(registration.id).exec()).not.toBeNull();
  });

  it('runs as soon as it starts, and stops', async () => {
    const registration = { ...syntheticRegistration(syntheticSource(35, { from: Date.UTC(2019, 2, 1), stationId: STATION })), receivedAt: CONFIRMED };
    await store.database.collections.registrations.insert(registration);
    const trail = new AuditTrail(store.database.collections.audit, STATION, () => NOW);
    const retention = new RetentionService({ database: store.database, audit: () => trail, log: silentLogger, now: () => NOW });
    retention.start();
    await expect.poll(async () => store.database.collections.audit.count().exec(), { timeout: 20_000 }).toBe(1);
    await retention.stop();
    expect(await store.database.collections.registrations.count().exec()).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amendRegistration, syntheticCrossing, syntheticRegistration, syntheticSource, type Registration } from '../../domain/records';
import { referenceCollections, stationCollections, type SyncedCollection } from '../../domain/sync';
import { WITHHELD_PASSWORD_HASH } from '../../sync-server/sync/pull';
import type { SyncRepository } from '../../sync-server/store/repository';
import { eventually, seedServer, startServer, startStation, type RunningServer, type RunningStation, type SeededStation } from '../support/sync-rig';

/** The station's documents of a collection, as plain JSON, by id. */
async function stationDocuments(station: RunningStation, collection: SyncedCollection): Promise<Map<string, Record<string, unknown>>> {
  const docs = await station.store.database.collections[collection].find().exec();
  return new Map(docs.map((doc) => [doc.primary, doc.toJSON() as Record<string, unknown>]));
}

/** What the server holds for a station: its own records, or the reference data. */
async function serverDocuments(repository: SyncRepository, collection: SyncedCollection, stationId: string): Promise<Map<string, Record<string, unknown>>> {
  const scope = (referenceCollections as readonly string[]).includes(collection) ? { kind: 'all' as const } : { kind: 'station' as const, stationId };
  const { records } = await repository.pull(collection, scope, 0, 100_000);
  return new Map(records.filter((record) => !record.document._deleted).map((record) => {
    const { _deleted: _ignored, ...fields } = record.document;
    return [record.id, fields];
  }));
}

/** Every station collection on the station equals the server's, record for record, receivedAt included. */
async function expectConverged(repository: SyncRepository, station: RunningStation): Promise<void> {
  for (const collection of stationCollections) {
    expect(await stationDocuments(station, collection)).toEqual(await serverDocuments(repository, collection, station.stationId));
  }
  for (const collection of ['alerts', 'codeLists', 'stations'] as const) {
    expect([...(await stationDocuments(station, collection)).keys()].sort()).toEqual([...(await serverDocuments(repository, collection, station.stationId)).keys()].sort());
  }
}

async function saveRegistrations(station: RunningStation, seed: number, count: number): Promise<Registration[]> {
  const source = syntheticSource(seed, { stationId: station.stationId, officerIds: station.officers.map((officer) => officer.id) });
  const registrations = Array.from({ length: count }, () => syntheticRegistration(source));
  await station.store.database.collections.registrations.bulkInsert(registrations);
  await station.store.database.collections.crossings.bulkInsert(Array.from({ length: count }, () => syntheticCrossing(source)));
  return registrations;
}

/**
 * Several stations, each with its own store files, against one real server: records made
 * offline reach the server exactly once, come back stamped, and amendments and central
 * corrections converge by the conflict rule, with the conflict logged.
 */
export function describeConvergence(name: string, openRepository: () => Promise<SyncRepository>): void {
  describe(`stations converging with a server on ${name}`, () => {
    let repository: SyncRepository;
    let server: RunningServer;
    let seeded: SeededStation[];
    const stations: RunningStation[] = [];

    beforeEach(async () => {
      repository = await openRepository();
      server = await startServer(repository);
      seeded = await seedServer(repository, ['BIH-T-01', 'BIH-T-02']);
    });

    afterEach(async () => {
      for (const station of stations.splice(0)) await station.close();
      await server.app.close();
      await repository.close();
    });

    it('sends what stations saved offline exactly once, and brings reference data and the server stamp back', async () => {
      // RxDB's open-source edition holds at most 16 collections per process: the stations
      // take turns here (the fault tests run stations in processes of their own).
      const dataDirs: string[] = [];
      for (const [index, seededStation] of seeded.entries()) {
        // Saved before sync starts: the station was offline.
        const station = await startStation(seededStation, server.url, { start: false });
        stations.push(station);
        dataDirs.push(station.dataDir);
        await saveRegistrations(station, 11 + index, 30 - index * 10);
        station.sync.start();
        const status = await station.sync.syncNow();
        expect(status.failures).toEqual([]);
        await eventually(async () => (await station.store.database.collections.registrations.count({ selector: { receivedAt: 0 } }).exec()) === 0, 'every registration carries the server stamp');
        await stations.pop()!.close();
      }
      expect(await repository.count('registrations', 'BIH-T-01')).toBe(30);
      expect(await repository.count('registrations', 'BIH-T-02')).toBe(20);
      expect(await repository.count('crossings')).toBe(50);
      for (const [index, seededStation] of seeded.entries()) {
        const station = await startStation(seededStation, server.url, { dataDir: dataDirs[index]! });
        stations.push(station);
        await station.sync.syncNow();
        await expectConverged(repository, station);
        expect(station.sync.status().collections.filter((collection) => collection.pending > 0)).toEqual([]);
        // Officers reach every station, their password hashes only their own.
        const officers = await stationDocuments(station, 'officers');
        const other = seeded[1 - index]!.stationId;
        expect(officers.get(`officer-${seededStation.stationId}-0`)?.passwordHash).not.toBe(WITHHELD_PASSWORD_HASH);
        expect(officers.get(`officer-${other}-0`)?.passwordHash).toBe(WITHHELD_PASSWORD_HASH);
        await stations.pop()!.close();
      }
    });

    it('takes amendments made offline, and keeps the central version of a record corrected meanwhile, logging both', async () => {
      let station = await startStation(seeded[0]!, server.url);
      stations.push(station);
      const [kept, corrected] = await saveRegistrations(station, 21, 2);
      await station.sync.syncNow();
      await eventually(async () => (await station.store.database.collections.registrations.count({ selector: { receivedAt: 0 } }).exec()) === 0, 'the first push is confirmed');

      // Offline: the station amends both; meanwhile the centre corrects one of them.
      const dataDir = station.dataDir;
      await stations.pop()!.close();
      const serverCopy = (await repository.pull('registrations', { kind: 'station', stationId: 'BIH-T-01' }, 0, 100)).records.find((record) => record.id === corrected!.id)!;
      const { _deleted: _ignored, ...fields } = serverCopy.document;
      const correction = amendRegistration(fields as unknown as Registration, { purposeCode: 'business' }, { officerId: 'officer-central', at: Date.now() });
      const answer = await server.app.inject({ method: 'PUT', url: `/admin/registrations/${corrected!.id}`, headers: { authorization: `Bearer ${await adminToken(repository)}` }, payload: correction });
      expect(answer.statusCode).toBe(200);

      station = await startStation(seeded[0]!, server.url, { dataDir, start: false });
      stations.push(station);
      const registrations = station.store.database.collections.registrations;
      for (const id of [kept!.id, corrected!.id]) {
        const doc = await registrations.findOne(id).exec();
        const amended = amendRegistration(doc!.toMutableJSON() as Registration, { purposeCode: 'family' }, { officerId: station.officers[0]!.id, at: Date.now() });
        await doc!.incrementalPatch(amended);
      }
      station.sync.start();
      await station.sync.syncNow();
      await eventually(async () => (await registrations.count({ selector: { receivedAt: 0 } }).exec()) === 0, 'the amendments are settled');

      const onServer = await serverDocuments(repository, 'registrations', 'BIH-T-01');
      expect(onServer.get(kept!.id)?.purposeCode).toBe('family');
      // The centre's correction stands, on the server and on the station.
      expect(onServer.get(corrected!.id)?.purposeCode).toBe('business');
      expect((await registrations.findOne(corrected!.id).exec())?.purposeCode).toBe('business');
      const conflicts = await repository.conflicts({ stationId: 'BIH-T-01' });
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ recordId: corrected!.id, rule: 'server-version-kept', kept: { purposeCode: 'business' }, setAside: { purposeCode: 'family' } });
      expect(station.sync.status().conflicts).toBe(1);
      // The supervisor sees both versions, from the server's log.
      expect(await station.sync.conflictLog(station.officers[0]!.id)).toMatchObject([{ recordId: corrected!.id, kept: { purposeCode: 'business' }, setAside: { purposeCode: 'family' } }]);
      // No version is lost: the server's history has the station's first version and the correction.
      expect((await repository.history('registrations', corrected!.id)).map((version) => version.document.purposeCode)).toContain('business');
      await expectConverged(repository, station);
    });
  });
}

async function adminToken(repository: SyncRepository): Promise<string> {
  const { issueCredential, ADMIN_PRINCIPAL } = await import('../../sync-server/auth/credentials');
  return (await issueCredential(repository, ADMIN_PRINCIPAL)).token;
}

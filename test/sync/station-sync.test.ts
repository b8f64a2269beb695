import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticAlert, syntheticRegistration, syntheticSource } from '../../domain/records';
import { importReference } from '../../sync-server/reference/import';
import { openRepository } from '../../sync-server/store/open';
import type { SyncRepository } from '../../sync-server/store/repository';
import { eventually, seedServer, startServer, startStation, type RunningServer, type RunningStation, type SeededStation } from '../support/sync-rig';

describe('a station syncing', () => {
  let repository: SyncRepository;
  let server: RunningServer;
  let seeded: SeededStation[];
  let station: RunningStation | undefined;

  beforeEach(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-station-sync-')) });
    server = await startServer(repository);
    seeded = await seedServer(repository, ['BIH-S-01', 'BIH-S-02'], { alerts: 10 });
  });
  afterEach(async () => {
    await station?.close();
    station = undefined;
    await server.app.close();
    await repository.close();
  });

  it('sets a refused record aside with the reason, and sends the rest of its batch', async () => {
    station = await startStation(seeded[0]!, server.url, { start: false });
    const source = syntheticSource(3, { stationId: 'BIH-S-01', officerIds: [station.officers[0]!.id] });
    const good = [syntheticRegistration(source), syntheticRegistration(source)];
    // Saved under an officer of another station: the server must refuse it.
    const forged = syntheticRegistration(source, { officerId: seeded[1]!.officers[0]!.id });
    await station.store.database.collections.registrations.bulkInsert([good[0]!, forged, good[1]!]);
    station.sync.start();
    await station.sync.syncNow();

    expect(await repository.count('registrations', 'BIH-S-01')).toBe(2);
    expect(station.sync.status().collections.find((collection) => collection.collection === 'registrations')?.sent).toBeGreaterThanOrEqual(2);
    const status = station.sync.status();
    expect(status.failures).toContainEqual(expect.objectContaining({ collection: 'registrations', code: 'RECORD_OFFICER_UNKNOWN', recordId: forged.id }));
    // Not lost: still on the station, counted as not sent.
    await eventually(() => station!.sync.status().collections.find((collection) => collection.collection === 'registrations')?.pending === 1, 'one registration is pending');
    expect(await station.store.database.collections.registrations.findOne(forged.id).exec()).not.toBeNull();
  });

  it('follows the watchlist live: new alerts arrive, withdrawn ones go', async () => {
    station = await startStation(seeded[0]!, server.url);
    await station.sync.syncNow();
    const alerts = station.store.database.collections.alerts;
    expect(await alerts.count().exec()).toBe(10);
    // The supervisor's screen shows the progress.
    expect(station.sync.status().collections.find((collection) => collection.collection === 'alerts')).toMatchObject({ direction: 'pull', received: 10, lastFailure: null });

    // The centre replaces the watchlist: two new alerts, all but three old ones withdrawn.
    const { records } = await repository.pull('alerts', { kind: 'all' }, 0, 100);
    const kept = records.slice(0, 3).map(({ document }) => {
      const { _deleted: _ignored, nameKey: _key, ...fields } = document;
      return fields;
    });
    const added = [syntheticAlert(syntheticSource(77)), syntheticAlert(syntheticSource(78))];
    const result = await importReference(repository, 'alerts', [...kept, ...added], { replace: true });
    expect(result).toMatchObject({ written: 2, unchanged: 3, withdrawn: 7 });

    // No "sync now": the live stream tells the station.
    await eventually(async () => (await alerts.count().exec()) === 5, 'the station holds the new watchlist');
    expect((await alerts.find().exec()).map((alert) => alert.primary).sort()).toEqual([...kept.map((alert) => alert.id as string), ...added.map((alert) => alert.id)].sort());
  });

  it('says why it cannot sync when its credential is refused', async () => {
    await repository.revokeCredentials('BIH-S-01', Date.now());
    station = await startStation(seeded[0]!, server.url);
    const status = await station.sync.syncNow(3_000);
    expect(status.failures[0]).toMatchObject({ code: 'STATION_NOT_AUTHENTICATED' });
    expect(status.state).toBe('failing');
  });

  it('says the server cannot be reached, collection by collection, when it is down', async () => {
    station = await startStation(seeded[0]!, server.url, { start: false });
    const source = syntheticSource(3, { stationId: 'BIH-S-01', officerIds: [station.officers[0]!.id] });
    await station.store.database.collections.registrations.insert(syntheticRegistration(source));
    await server.app.close();
    station.sync.start();
    await eventually(() => station!.sync.status().collections.find((collection) => collection.collection === 'registrations')?.lastFailure !== null, 'the push fails');
    // The push handler's own error, not RxDB's wrapper around it (which would read INTERNAL).
    expect(station.sync.status().collections.find((collection) => collection.collection === 'registrations')?.lastFailure).toMatchObject({ code: 'NETWORK' });
  });
});

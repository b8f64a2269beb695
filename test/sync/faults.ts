import { expect } from 'vitest';
import { amendRegistration, syntheticCrossing, syntheticRegistration, syntheticSource, type Registration } from '../../domain/records';
import { stationCollections } from '../../domain/sync';
import { documentHash } from '../../sync-server/store/document-hash';
import type { SyncRepository } from '../../sync-server/store/repository';
import type { FaultProxy } from '../support/fault-proxy';
import { eventually, type RunningStation } from '../support/sync-rig';

/**
 * What the fault tests count at the end. Lost: a record the station holds that the server
 * lacks, or holds in another state. Duplicated: a second row for one record, or a version
 * the server wrote twice (the same content twice in a record's history: a replayed push
 * that was taken again), or more versions than the station ever made.
 */
export interface FaultTally {
  records: number;
  lost: number;
  duplicated: number;
  versions: number;
}

export async function tally(repository: SyncRepository, station: RunningStation, versionsMade: Map<string, number>): Promise<FaultTally> {
  const result: FaultTally = { records: 0, lost: 0, duplicated: 0, versions: 0 };
  for (const collection of stationCollections) {
    const onStation = await station.store.database.collections[collection].find().exec();
    const { records } = await repository.pull(collection, { kind: 'station', stationId: station.stationId }, 0, 1_000_000);
    const onServer = new Map(records.map((record) => [record.id, record]));
    result.records += onStation.length;
    for (const doc of onStation) {
      const stored = onServer.get(doc.primary);
      const { _deleted: _ignored, ...fields } = stored?.document ?? { _deleted: true };
      if (!stored || documentHash({ ...fields, _deleted: false } as never) !== documentHash({ ...(doc.toJSON() as object), _deleted: false } as never)) result.lost++;
    }
    result.duplicated += records.length - onServer.size;
  }
  for (const [id, made] of versionsMade) {
    const hashes = (await repository.history('registrations', id)).map((version) => documentHash(version.document));
    result.versions += hashes.length;
    result.duplicated += hashes.length - new Set(hashes).size;
    // Amendments made between two pushes reach the server as one version: fewer is fine.
    if (hashes.length > made) result.duplicated += hashes.length - made;
  }
  return result;
}

/**
 * An officer's shift under a bad network: registrations and crossings saved in small
 * bursts, some registrations amended, while sync runs. Returns how many versions of each
 * registration the station made.
 */
export async function workAShift(station: RunningStation, seed: number, bursts: number, between?: (burst: number) => Promise<void>): Promise<Map<string, number>> {
  const source = syntheticSource(seed, { stationId: station.stationId, officerIds: station.officers.map((officer) => officer.id) });
  const registrations = station.store.database.collections.registrations;
  const versions = new Map<string, number>();
  for (let burst = 0; burst < bursts; burst++) {
    const made = Array.from({ length: 8 }, () => syntheticRegistration(source));
    await registrations.bulkInsert(made);
    for (const registration of made) versions.set(registration.id, 1);
    await station.store.database.collections.crossings.bulkInsert(Array.from({ length: 5 }, () => syntheticCrossing(source)));
    // Amend one of an earlier burst: it may be on its way to the server right now.
    const earlier = [...versions.keys()][source.integer(0, versions.size - 1)]!;
    const doc = await registrations.findOne(earlier).exec();
    if (doc && doc.status !== 'cancelled') {
      await doc.incrementalModify((current) => amendRegistration(current as Registration, { purposeCode: `p${burst}` }, { officerId: station.officers[0]!.id, at: Date.now() }));
      versions.set(earlier, versions.get(earlier)! + 1);
    }
    await between?.(burst);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  return versions;
}

/** With the faults lifted, sync settles: nothing left to send. */
export async function settle(station: RunningStation, proxy: FaultProxy): Promise<void> {
  proxy.setPlan({});
  proxy.setDown(false);
  await eventually(async () => {
    await station.sync.syncNow(20_000).catch(() => undefined);
    const pending = station.sync.status().collections.reduce((sum, collection) => sum + collection.pending, 0);
    return pending === 0;
  }, 'the station has nothing left to send', 90_000);
}

export function expectExactlyOnce(result: FaultTally): void {
  expect(result.records).toBeGreaterThan(0);
  expect({ lost: result.lost, duplicated: result.duplicated }).toEqual({ lost: 0, duplicated: 0 });
}

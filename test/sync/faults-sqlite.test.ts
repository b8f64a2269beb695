import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRepository } from '../../sync-server/store/open';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { seedServer, startStation, type RunningStation } from '../support/sync-rig';
import { expectExactlyOnce, settle, tally, workAShift } from './faults';

describe('sync through a bad network and a server killed mid-push (SQLite)', () => {
  let server: ServerProcess | undefined;
  let proxy: FaultProxy | undefined;
  let station: RunningStation | undefined;

  afterEach(async () => {
    await station?.close();
    await proxy?.close();
    await server?.kill();
  });

  it('gets every record to the server exactly once, and the reference data to the station', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mis-faults-server-'));
    const seeding = await openRepository({ dataDir });
    const [seeded] = await seedServer(seeding, ['BIH-F-01'], { alerts: 300 });
    await seeding.close();

    server = await startServerProcess({ MIS_SERVER_DATA: dataDir });
    // Delays, resets mid-request, silently dropped connections, and requests delivered twice.
    proxy = await startFaultProxy(server.port, { delayMs: { min: 0, max: 15 }, resetProbability: 0.15, dropProbability: 0.05, duplicateProbability: 0.3, seed: 7 });
    station = await startStation(seeded!, proxy.url, { requestTimeoutMs: 2_000 });

    const versions = await workAShift(station, 31, 12, async (burst) => {
      if (burst === 4) {
        // Killed the hard way while the station keeps pushing, then started on the same data.
        await server!.kill('SIGKILL');
        server = await startServerProcess({ MIS_SERVER_DATA: dataDir });
        proxy!.setTarget(server.port);
      }
      if (burst === 7) proxy!.setDown(true);
      if (burst === 9) proxy!.setDown(false);
    });
    await settle(station, proxy);
    await server.kill('SIGTERM');
    server = undefined;

    const repository = await openRepository({ dataDir });
    try {
      const result = await tally(repository, station, versions);
      expectExactlyOnce(result);
      expect(await station.store.database.collections.alerts.count().exec()).toBe(await repository.count('alerts'));
      expect(proxy.stats.resets + proxy.stats.drops + proxy.stats.duplicates).toBeGreaterThan(0);
      console.info(`faults (SQLite): ${result.records} records, ${result.versions} registration versions, lost ${result.lost}, duplicated ${result.duplicated}; proxy ${JSON.stringify(proxy.stats)}`);
    } finally {
      await repository.close();
    }
  }, 180_000);
});

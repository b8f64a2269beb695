import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresRepository } from '../../sync-server/store/postgres-repository';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { seedServer, startStation, type RunningStation } from '../support/sync-rig';
import { expectExactlyOnce, settle, tally, workAShift } from './faults';

describe('sync through a bad network, two server nodes, a node killed and PostgreSQL restarted', () => {
  let postgres: TestPostgres;
  const nodes: ServerProcess[] = [];
  let proxy: FaultProxy | undefined;
  let station: RunningStation | undefined;

  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  afterAll(() => postgres.stop());
  afterEach(async () => {
    await station?.close();
    await proxy?.close();
    for (const node of nodes.splice(0)) await node.kill();
  });

  it('gets every record to the server exactly once, and the reference data to the station', async () => {
    const url = await postgres.createDatabase('faults');
    const seeding = await openPostgresRepository(url);
    await seeding.migrate();
    const [seeded] = await seedServer(seeding, ['BIH-F-02'], { alerts: 300 });
    await seeding.close();

    // Two stateless nodes on one database; the station talks to one through the proxy.
    nodes.push(await startServerProcess({ DATABASE_URL: url }), await startServerProcess({ DATABASE_URL: url }));
    proxy = await startFaultProxy(nodes[0]!.port, { delayMs: { min: 0, max: 15 }, resetProbability: 0.25, dropProbability: 0.05, duplicateProbability: 0.3, seed: 12 });
    station = await startStation(seeded!, proxy.url, { requestTimeoutMs: 2_000 });

    const versions = await workAShift(station, 41, 12, async (burst) => {
      if (burst === 3) {
        // The node dies mid-push; the station is moved to the other one (a load balancer's job).
        await nodes[0]!.kill('SIGKILL');
        proxy!.setTarget(nodes[1]!.port);
      }
      if (burst === 6) await postgres.restart();
    });
    await settle(station, proxy);

    const repository = await openPostgresRepository(url);
    try {
      const result = await tally(repository, station, versions);
      expectExactlyOnce(result);
      expect(await station.store.database.collections.alerts.count().exec()).toBe(await repository.count('alerts'));
      console.info(`faults (PostgreSQL): ${result.records} records, ${result.versions} registration versions, lost ${result.lost}, duplicated ${result.duplicated}; proxy ${JSON.stringify(proxy.stats)}`);
    } finally {
      await repository.close();
    }
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticAlert, syntheticSource } from '../../domain/records';
import { SyncClient } from '../../main/sync/sync-client';
import { importReference } from '../../sync-server/reference/import';
import { openPostgresRepository } from '../../sync-server/store/postgres-repository';
import type { SyncRepository } from '../../sync-server/store/repository';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { eventually, seedServer, startServer, type RunningServer } from '../support/sync-rig';

describe('two stateless server nodes on one PostgreSQL', () => {
  let postgres: TestPostgres;
  const repositories: SyncRepository[] = [];
  const nodes: RunningServer[] = [];

  beforeAll(async () => {
    postgres = await startPostgres();
    const url = await postgres.createDatabase('scale_out');
    for (let node = 0; node < 2; node++) {
      const repository = await openPostgresRepository(url);
      await repository.migrate();
      repositories.push(repository);
      nodes.push(await startServer(repository));
    }
  }, 60_000);
  afterAll(async () => {
    for (const node of nodes) await node.app.close();
    for (const repository of repositories) await repository.close();
    await postgres.stop();
  });

  it("tells a station on one node about a change written on the other (LISTEN/NOTIFY), and serves the same data", async () => {
    // What node B's change feed has passed on (each change once, when it becomes pullable).
    let newestOnB = 0;
    const stopWatching = repositories[1]!.onChange((change) => {
      newestOnB = Math.max(newestOnB, change.sequence);
    });
    const [station] = await seedServer(repositories[0]!, ['BIH-N-01'], { alerts: 5 });
    // The seed's changes reach node B through NOTIFY a moment after they were written on
    // node A; one that arrived after the stream opened would add a RESYNC of its own, and
    // the change below would then not be the only one to be heard of. So the stream opens
    // once node B has passed on all of them.
    const seeded = await repositories[0]!.lastSequence();
    await eventually(() => newestOnB >= seeded, 'node B has heard of the seed written through node A', 30_000);
    stopWatching();

    const client = new SyncClient({ serverUrl: nodes[1]!.url, token: station!.token });
    let resyncs = 0;
    const controller = new AbortController();
    // A stream that fails says so at once, rather than as a wait that runs out.
    let streamError: unknown = null;
    const streaming = client.stream('alerts', () => resyncs++, controller.signal).catch((error: unknown) => {
      streamError = error;
    });
    const streamed = (enough: (resyncs: number) => boolean) => () => {
      if (streamError) throw streamError;
      return enough(resyncs);
    };
    // The first RESYNC comes as the stream opens, and nothing since the seed is news to it.
    await eventually(streamed((count) => count >= 1), 'the stream on node B is open', 30_000);
    expect(resyncs).toBe(1);

    await importReference(repositories[0]!, 'alerts', [syntheticAlert(syntheticSource(99))]);
    await eventually(streamed((count) => count >= 2), 'node B passes on the change written through node A', 30_000);
    controller.abort();
    await streaming;
    expect(streamError).toBeNull();

    const fromA = await new SyncClient({ serverUrl: nodes[0]!.url, token: station!.token }).pull('alerts', 0, 100);
    const fromB = await client.pull('alerts', 0, 100);
    expect(fromB).toEqual(fromA);
    expect(fromB.documents).toHaveLength(6);
  }, 120_000);
});

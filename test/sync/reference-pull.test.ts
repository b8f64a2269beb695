import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticAlert, syntheticSource, type Alert } from '../../domain/records';
import { openStationStore, type StationStore } from '../../main/services/station-store';
import { fileKeyVault } from '../../main/store/database-key';
import type { SqliteStorageInstance } from '../../main/store/instance';
import { stationStoreFiles } from '../../main/store/station-files';
import { ReferencePuller } from '../../main/sync/reference-pull';
import { SyncClient } from '../../main/sync/sync-client';
import { importReference } from '../../sync-server/reference/import';
import { openRepository } from '../../sync-server/store/open';
import type { SyncRepository } from '../../sync-server/store/repository';
import { seedServer, startServer, type RunningServer } from '../support/sync-rig';

describe("a new station's first pull of reference data", () => {
  let repository: SyncRepository;
  let server: RunningServer;
  let store: StationStore;

  beforeEach(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-reference-')) });
    server = await startServer(repository);
    const dataDir = mkdtempSync(join(tmpdir(), 'mis-reference-station-'));
    store = await openStationStore(dataDir, fileKeyVault(stationStoreFiles(dataDir).keyFile));
  });
  afterEach(async () => {
    await store.close();
    await server.app.close();
    await repository.close();
  });

  it('loads in bulk, page by page, with records in their newest state, and ends with its indexes', async () => {
    const [station] = await seedServer(repository, ['BIH-R-01'], { alerts: 0 });
    const source = syntheticSource(5);
    const alerts = Array.from({ length: 120 }, () => syntheticAlert(source));
    await importReference(repository, 'alerts', alerts);
    // Changed after it was first imported: it comes once, in its newest state, with the newest sequence.
    const changed: Alert = { ...alerts[3]!, issuingAuthority: 'Interpol NCB Sarajevo (amended)' };
    const { nameKey: _key, ...draft } = changed;
    await importReference(repository, 'alerts', [draft]);

    const client = new SyncClient({ serverUrl: server.url, token: station!.token });
    const pages: number[] = [];
    const puller = new ReferencePuller(store.database as never, 'alerts', client, server.url, { succeeded: (_c, count) => pages.push(count), failed: (_c, error) => { throw error; } }, 50);
    await puller.pull();

    expect(pages).toEqual([50, 50, 20]);
    const local = store.database.collections.alerts;
    expect(await local.count().exec()).toBe(120);
    expect((await local.findOne(changed.id).exec())?.issuingAuthority).toBe('Interpol NCB Sarajevo (amended)');
    expect(await puller.checkpoint()).toBe(await repository.lastSequence());
    // The indexes dropped for the load are back: the lookup by document number uses one.
    const storage = (local as unknown as { internalStorageInstance: SqliteStorageInstance<Alert> }).internalStorageInstance;
    const plan = await storage.explain(local.find({ selector: { documentNumber: alerts[7]!.documentNumber, issuingState: alerts[7]!.issuingState } }).getPreparedQuery() as never);
    expect(plan.join(' ')).toMatch(/USING (COVERING )?INDEX .*documentNumber/);
    // Nothing new: a second pull writes nothing and asks once.
    pages.length = 0;
    await puller.pull();
    expect(pages).toEqual([0]);
  });
});

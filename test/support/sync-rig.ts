import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { syntheticAlert, syntheticCodeListEntry, syntheticOfficer, syntheticSource, type Officer } from '../../domain/records';
import { silentLogger } from '../../main/log';
import { openStationStore, type StationStore } from '../../main/services/station-store';
import { fileKeyVault } from '../../main/store/database-key';
import { stationStoreFiles } from '../../main/store/station-files';
import { SyncService } from '../../main/sync/sync-service';
import { buildSyncServer } from '../../sync-server/app';
import { importReference } from '../../sync-server/reference/import';
import { addStation } from '../../sync-server/reference/stations';
import type { SyncRepository } from '../../sync-server/store/repository';

/**
 * Real stations against a real sync server, for the sync tests: the server on an
 * ephemeral port of 127.0.0.1 with the repository the test chose; each station with
 * its own encrypted store files in a temporary folder.
 */

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  port: number;
}

export async function startServer(repository: SyncRepository, port = 0): Promise<RunningServer> {
  const app = await buildSyncServer({ repository, logger: false, liveStreams: { coalesceMs: 10 } });
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('The sync server has no TCP address.');
  return { app, url: `http://127.0.0.1:${address.port}`, port: address.port };
}

export interface SeededStation {
  stationId: string;
  token: string;
  officers: Officer[];
}

/** Adds stations with two active officers each (the first a supervisor, the second an officer), plus some alerts and code list entries. */
export async function seedServer(repository: SyncRepository, stationIds: string[], options: { alerts?: number; seed?: number } = {}): Promise<SeededStation[]> {
  const source = syntheticSource(options.seed ?? 1);
  const seeded: SeededStation[] = [];
  for (const stationId of stationIds) {
    const { token } = await addStation(repository, { id: stationId, name: `Station ${stationId}`, kind: 'police-station', municipality: 'Sarajevo' }, Date.now());
    const officers = [0, 1].map((n) =>
      syntheticOfficer(source, { id: `officer-${stationId}-${n}`, username: `officer.${stationId.toLowerCase()}.${n}`, role: n === 0 ? 'supervisor' : 'officer', active: true, stationIds: [stationId] }),
    );
    seeded.push({ stationId, token, officers });
  }
  await importReference(repository, 'officers', seeded.flatMap((station) => station.officers));
  await importReference(repository, 'alerts', Array.from({ length: options.alerts ?? 25 }, () => syntheticAlert(source)));
  await importReference(repository, 'codeLists', ['BIH', 'HRV', 'SRB'].map((code) => syntheticCodeListEntry(source, 'countries', code)));
  return seeded;
}

export interface RunningStation {
  stationId: string;
  dataDir: string;
  store: StationStore;
  sync: SyncService;
  officers: Officer[];
  close(): Promise<void>;
}

/** A station with its own store, syncing with `serverUrl` (which may be a fault proxy). */
export async function startStation(seeded: SeededStation, serverUrl: string, options: { dataDir?: string; start?: boolean; requestTimeoutMs?: number } = {}): Promise<RunningStation> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `mis-station-${seeded.stationId}-`));
  const files = stationStoreFiles(dataDir);
  writeFileSync(files.credentialFile, `${seeded.token}\n`, { mode: 0o600 });
  const store = await openStationStore(dataDir, fileKeyVault(files.keyFile));
  const sync = new SyncService(store.database, { serverUrl, stationId: seeded.stationId, token: seeded.token, requestTimeoutMs: options.requestTimeoutMs ?? 5_000 }, silentLogger);
  if (options.start ?? true) sync.start();
  return {
    stationId: seeded.stationId,
    dataDir,
    store,
    sync,
    officers: seeded.officers,
    async close() {
      await sync.stop();
      await store.close();
    },
  };
}

/** Waits until `check` holds, polling; fails with `what` after the timeout. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting until ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

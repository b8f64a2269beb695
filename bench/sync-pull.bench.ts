import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticAlert, syntheticRegistration, syntheticSource } from '../domain/records';
import type { WireDocument } from '../domain/sync';
import { silentLogger } from '../main/log';
import { openStationStore } from '../main/services/station-store';
import { fileKeyVault } from '../main/store/database-key';
import { stationStoreFiles } from '../main/store/station-files';
import { ReferencePuller } from '../main/sync/reference-pull';
import { SyncClient } from '../main/sync/sync-client';
import { SyncService } from '../main/sync/sync-service';
import { openRepository } from '../sync-server/store/open';
import { CENTRAL_WRITER } from '../sync-server/sync/writers';
import { startServerProcess } from '../test/support/server-process';
import { seedServer } from '../test/support/sync-rig';

const ALERTS = Number(process.env.BENCH_PULL_ALERTS ?? 1_000_000);
const OFFLINE_RECORDS = Number(process.env.BENCH_PUSH_RECORDS ?? 10_000);

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Loads the alerts straight into the server's database (an import would check each one first). */
async function seedAlerts(dataDir: string): Promise<{ stationId: string; token: string; officerIds: string[] }> {
  const repository = await openRepository({ dataDir });
  try {
    const [station] = await seedServer(repository, ['BIH-B-01'], { alerts: 0 });
    const source = syntheticSource(3);
    for (let done = 0; done < ALERTS; done += 5_000) {
      const batch = Array.from({ length: Math.min(5_000, ALERTS - done) }, () => ({ ...syntheticAlert(source), _deleted: false }) as WireDocument);
      await repository.transaction((tx) => tx.write(batch.map((document) => ({ collection: 'alerts', id: document.id, stationId: null, document, writtenBy: CENTRAL_WRITER })), Date.now()));
    }
    return { stationId: station!.stationId, token: station!.token, officerIds: station!.officers.map((officer) => officer.id) };
  } finally {
    await repository.close();
  }
}

/**
 * A new station's first pull of a million-alert watchlist (documents per second, from the
 * first request to the indexes built), then a push of records saved during a long
 * offline period, through a real server process on SQLite.
 */
export async function benchSyncPull(): Promise<void> {
  const serverData = mkdtempSync(join(tmpdir(), 'mis-bench-pull-server-'));
  const seedStarted = performance.now();
  const station = await seedAlerts(serverData);
  console.log(`  server seeded with ${ALERTS.toLocaleString('en')} alerts in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);
  const server = await startServerProcess({ MIS_SERVER_DATA: serverData });
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-bench-pull-station-'));
  const files = stationStoreFiles(dataDir);
  writeFileSync(files.credentialFile, station.token, { mode: 0o600 });
  const store = await openStationStore(dataDir, fileKeyVault(files.keyFile));
  try {
    const client = new SyncClient({ serverUrl: server.url, token: station.token, timeoutMs: 120_000 });
    let pulled = 0;
    const puller = new ReferencePuller(store.database as never, 'alerts', client, server.url, { succeeded: (_c, count) => (pulled += count), failed: () => undefined });
    const serverCpuBefore = cpuSecondsOf(server.child.pid!);
    const stationCpuBefore = process.cpuUsage();
    const started = performance.now();
    await puller.pull();
    const seconds = (performance.now() - started) / 1000;
    const stationCpu = process.cpuUsage(stationCpuBefore);
    const serverCpu = cpuSecondsOf(server.child.pid!) - serverCpuBefore;
    const count = await store.database.collections.alerts.count().exec();
    console.log(`  initial pull: ${count.toLocaleString('en')} alerts in ${seconds.toFixed(1)} s = ${Math.round(count / seconds).toLocaleString('en')} documents/s (pulled ${pulled.toLocaleString('en')}, indexes built at the end); CPU: station ${((stationCpu.user + stationCpu.system) / 1e6).toFixed(1)} s (main thread and store worker), server ${serverCpu.toFixed(1)} s`);

    // A long offline period: records saved with no server, then sync starts.
    const source = syntheticSource(8, { stationId: station.stationId, officerIds: station.officerIds });
    for (let done = 0; done < OFFLINE_RECORDS; done += 1_000) {
      await store.database.collections.registrations.bulkInsert(Array.from({ length: Math.min(1_000, OFFLINE_RECORDS - done) }, () => syntheticRegistration(source)));
    }
    const sync = new SyncService(store.database, { serverUrl: server.url, stationId: station.stationId, token: station.token, requestTimeoutMs: 60_000 }, silentLogger);
    const pushStarted = performance.now();
    sync.start();
    await sync.syncNow(600_000);
    while ((await store.database.collections.registrations.count({ selector: { receivedAt: 0 } }).exec()) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const pushSeconds = (performance.now() - pushStarted) / 1000;
    console.log(`  push after a long offline period: ${OFFLINE_RECORDS.toLocaleString('en')} registrations confirmed by the server in ${pushSeconds.toFixed(1)} s = ${Math.round(OFFLINE_RECORDS / pushSeconds).toLocaleString('en')} records/s`);
    await sync.stop();
  } finally {
    await store.close();
    await server.kill('SIGTERM');
  }
}

import { setMaxListeners } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticOfficer, syntheticRegistration, syntheticSource } from '../domain/records';
import type { PushRow, WireDocument } from '../domain/sync';
import { SyncClient } from '../main/sync/sync-client';
import { importReference } from '../sync-server/reference/import';
import { addStation } from '../sync-server/reference/stations';
import { openRepository } from '../sync-server/store/open';
import type { SyncRepository } from '../sync-server/store/repository';
import { startPostgres } from '../test/support/postgres';
import { startServerProcess } from '../test/support/server-process';
import { percentile } from './stats';

const STATIONS = Number(process.env.BENCH_SYNC_STATIONS ?? 200);
const SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 20);
/** Each station pushes once a second: 200 stations, 200 batches a second in all. */
const BATCH_ROWS = 5;

interface StationLoad {
  client: SyncClient;
  /** The batch of the warm-up second. */
  warmUp: PushRow[];
  batches: PushRow[][];
}

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
function processUsage(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds: ticks / 100, rssMb: Number(rss?.[1] ?? 0) / 1024 };
}

async function seedStations(repository: SyncRepository): Promise<{ stationId: string; token: string; officerId: string }[]> {
  const source = syntheticSource(5);
  const stations: { stationId: string; token: string; officerId: string }[] = [];
  for (let n = 0; n < STATIONS; n++) {
    const stationId = `BIH-L-${String(n).padStart(3, '0')}`;
    const { token } = await addStation(repository, { id: stationId, name: stationId, kind: 'police-station', municipality: 'Tuzla' }, Date.now());
    stations.push({ stationId, token, officerId: `officer-l-${n}` });
  }
  await importReference(repository, 'officers', stations.map((station, n) => syntheticOfficer(source, { id: station.officerId, username: `l.${n}`, stationIds: [station.stationId] })));
  return stations;
}

async function run(kind: 'SQLite' | 'PostgreSQL', env: { MIS_SERVER_DATA?: string; DATABASE_URL?: string }, repository: SyncRepository): Promise<void> {
  const seeded = await seedStations(repository);
  await repository.close();
  const server = await startServerProcess({ ...env });
  try {
    // Every batch is made before the clock starts: the load generator shares the two cores.
    const loads: StationLoad[] = seeded.map(({ stationId, token, officerId }, n) => {
      const source = syntheticSource(1_000 + n, { stationId, officerIds: [officerId] });
      const batch = (): PushRow[] => Array.from({ length: BATCH_ROWS }, (): PushRow => ({ newDocumentState: { ...syntheticRegistration(source), _deleted: false } as WireDocument }));
      return { client: new SyncClient({ serverUrl: server.url, token, timeoutMs: 30_000 }), warmUp: batch(), batches: Array.from({ length: SECONDS }, batch) };
    });
    const streams = new AbortController();
    // One signal ends all the stations' streams: hundreds of listeners on it are expected.
    setMaxListeners(0, streams.signal);
    let resyncs = 0;
    for (const load of loads) void load.client.stream('registrations', () => resyncs++, streams.signal).catch(() => undefined);
    while (resyncs < loads.length) await new Promise((resolve) => setTimeout(resolve, 50));

    // A warm-up second, measured apart: every station pushes once, spread over the second
    // as in the run, while the server process is new (code not yet optimised, connections
    // not yet opened). The run then measures the server as stations meet it once it runs.
    const warmUp: number[] = [];
    let warmUpFailures = 0;
    const warmUpStarted = performance.now();
    await Promise.all(
      loads.map(async (load, n) => {
        await new Promise((resolve) => setTimeout(resolve, (n * 1000) / loads.length));
        const sent = performance.now();
        try {
          await load.client.push('registrations', load.warmUp);
          warmUp.push(performance.now() - sent);
        } catch {
          warmUpFailures++;
        }
      }),
    );
    const warmUpSeconds = (performance.now() - warmUpStarted) / 1000;

    const latencies: number[] = [];
    let failures = 0;
    const before = processUsage(server.child.pid!);
    let peakRss = before.rssMb;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, processUsage(server.child.pid!).rssMb)), 500);
    const started = performance.now();
    await Promise.all(
      loads.map(async (load, n) => {
        // Spread over the second, then once a second each.
        await new Promise((resolve) => setTimeout(resolve, (n * 1000) / loads.length));
        for (const [second, batch] of load.batches.entries()) {
          const due = started + (n * 1000) / loads.length + second * 1000;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const sent = performance.now();
          try {
            await load.client.push('registrations', batch);
            latencies.push(performance.now() - sent);
          } catch {
            failures++;
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const after = processUsage(server.child.pid!);
    streams.abort();
    const ms = (value: number): string => `${value.toFixed(1)} ms`;
    console.log(
      `  ${kind.padEnd(10)} warm-up: every station's first push to the new server process, ${warmUp.length} in ${warmUpSeconds.toFixed(1)} s, failed ${warmUpFailures}: ` +
        `p50 ${ms(percentile(warmUp, 50))}, p95 ${ms(percentile(warmUp, 95))}, max ${ms(Math.max(...warmUp))}; ` +
        `warm-up and run together: p95 ${ms(percentile([...warmUp, ...latencies], 95))}`,
    );
    console.log(
      `  ${kind.padEnd(10)} ${loads.length} stations with live streams, ${latencies.length} pushes of ${BATCH_ROWS} in ${elapsed.toFixed(1)} s ` +
        `(${(latencies.length / elapsed).toFixed(0)} batches/s), failed ${failures}: push p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}; ` +
        `server CPU ${(((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100).toFixed(0)}% of one core, memory ${after.rssMb.toFixed(0)} MB (peak ${peakRss.toFixed(0)} MB)`,
    );
  } finally {
    await server.kill('SIGTERM');
  }
}

/** 200 simulated stations holding live streams and pushing 200 batches a second, on SQLite and PostgreSQL. */
export async function benchSyncLoad(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-bench-load-'));
  await run('SQLite', { MIS_SERVER_DATA: dataDir }, await openRepository({ dataDir }));
  const postgres = await startPostgres({ durable: true });
  try {
    const url = await postgres.createDatabase('bench_load');
    await run('PostgreSQL', { DATABASE_URL: url }, await openRepository({ databaseUrl: url }));
  } finally {
    await postgres.stop();
  }
}

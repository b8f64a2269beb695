import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { runPerformanceTests } from 'rxdb/plugins/test-utils';
import { getRxStorageSqlite } from '../main/store';

const runs = Number(process.env.BENCH_RXDB_RUNS ?? 10);

/** RxDB's own performance suite, on our storage and on RxDB's memory storage, in one run. */
export async function benchRxdbSuite(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'mis-bench-rxdb-'));
  const options = { runs, log: false, waitBetweenTests: 20 };
  const memory = (await runPerformanceTests(getRxStorageMemory(), 'memory', options)) as Record<string, number | string>;
  const sqlite = (await runPerformanceTests(getRxStorageSqlite({ directory, key: 'a1'.repeat(32) }), 'mis-sqlite', options)) as Record<string, number | string>;
  console.log(`rxdb suite (${runs} runs each, averages in ms): line, memory, mis-sqlite (encrypted), ratio`);
  for (const [line, value] of Object.entries(memory)) {
    if (typeof value !== 'number' || typeof sqlite[line] !== 'number' || line === 'collectionsAmount' || line === 'docsAmount') continue;
    const ours = sqlite[line] as number;
    console.log(`  ${line.padEnd(26)} ${value.toFixed(2).padStart(8)} ${ours.toFixed(2).padStart(8)} ${(ours / value).toFixed(2).padStart(7)}x`);
  }
  rmSync(directory, { recursive: true, force: true });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { runPerformanceTests } from 'rxdb/plugins/test-utils';
import { getRxStorageSqlite } from '../main/store';

const runs = Number(process.env.BENCH_RXDB_RUNS ?? 10);

/** The most each line may take as a multiple of the memory storage's time (issue 5). */
const ratioLimits: Record<string, number> = {
  'insert-documents-500': 8,
  'find-by-ids-3000': 3,
  'find-by-query': 3,
  'find-by-query-parallel-4': 3,
  '4x-count': 2,
};

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
    const limit = ratioLimits[line];
    const verdict = limit === undefined ? '' : ours / value <= limit ? `  within ${limit}x` : `  over ${limit}x`;
    console.log(`  ${line.padEnd(26)} ${value.toFixed(2).padStart(8)} ${ours.toFixed(2).padStart(8)} ${(ours / value).toFixed(2).padStart(7)}x${verdict}`);
  }
  rmSync(directory, { recursive: true, force: true });
}

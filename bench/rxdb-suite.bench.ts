import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, randomToken, type RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { averageSchema, averageSchemaData, runPerformanceTests } from 'rxdb/plugins/test-utils';
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
  const counts = { memory: await uncachedCounts(getRxStorageMemory()), ours: await uncachedCounts(getRxStorageSqlite({ directory, key: 'a1'.repeat(32) })) };
  console.log(
    `  4x-count, nothing listed before      ${counts.memory.toFixed(2).padStart(8)} ${counts.ours.toFixed(2).padStart(8)} ${(counts.ours / counts.memory).toFixed(2).padStart(7)}x` +
      '  (the suite counts the selectors it has just listed, which our document cache then answers; here each count goes to the worker)',
  );
  rmSync(directory, { recursive: true, force: true });
}

/**
 * The suite's 4x-count without the queries before it: 3,000 documents inserted as the suite
 * does, the database closed and opened again, then four counts in a row (ms, averaged
 * over the runs).
 */
async function uncachedCounts(storage: RxStorage<unknown, unknown>): Promise<number> {
  const name = `mis-bench-count-${randomToken(8)}`;
  let total = 0;
  for (let run = 0; run < runs; run++) {
    // The same schema for both opens (averageSchema makes a new one each call).
    const schema = averageSchema();
    const open = async () => {
      const db = await createRxDatabase({ name, storage, multiInstance: false, eventReduce: true });
      const { docs } = await db.addCollections({ docs: { schema } });
      return { db, docs: docs! };
    };
    const first = await open();
    for (let batch = 0; batch < 6; batch++) await first.docs.bulkInsert(Array.from({ length: 500 }, (_, n) => averageSchemaData({ var1: `${n % 2}`, var2: n % 4 })));
    await first.db.close();
    const { db, docs } = await open();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const start = performance.now();
    for (let value = 0; value < 4; value++) await docs.count({ selector: { var2: { $eq: value } } }).exec();
    total += performance.now() - start;
    await db.remove();
  }
  return total / runs;
}

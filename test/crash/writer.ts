import { getRxStorageSqlite } from '../../main/store';
import { journaledBulkMinimum } from '../../main/store/protocol';
import { openInstance, stored, testKey, traveller } from '../../main/store/storage-test-support';

/**
 * The victim of the crash test: writes bulks of registrations forever (small ones written
 * straight into the table, large ones through the journal) and reports each
 * bulk before it starts ("begin") and once the storage has acknowledged it ("ack"). The
 * parent kills it with SIGKILL at a random moment.
 */
const [directory, run] = process.argv.slice(2);
if (!directory || !run) throw new Error('usage: writer.ts <directory> <run>');
const instance = await openInstance(getRxStorageSqlite({ directory, key: testKey }));
process.stdout.write('ready\n');
for (let bulk = 0; ; bulk++) {
  // Every fifth bulk is large enough to be acknowledged from the journal (journaledBulkMinimum).
  const size = bulk % 5 === 4 ? journaledBulkMinimum + 50 : 1 + ((bulk * 7) % 40);
  const ids = Array.from({ length: size }, (_, i) => `r${run}-b${bulk}-${i}`);
  process.stdout.write(`begin ${bulk} ${ids.join(',')}\n`);
  const result = await instance.bulkWrite(ids.map((id) => ({ document: stored(traveller({ id })) })), 'crash-test');
  if (result.error.length > 0) throw new Error(`bulk ${bulk} had ${result.error.length} errors`);
  process.stdout.write(`ack ${bulk}\n`);
}

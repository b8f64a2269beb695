import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getRxStorageSqlite } from '../../main/store';
import type { SqliteStorageInstance } from '../../main/store/instance';
import { openInstance, tempStoreDirectory, testKey, type Traveller } from '../../main/store/storage-test-support';
import { databaseFileName } from '../../main/store/storage';
import { quoteIdentifier } from '../../main/store/sql/table-layout';
import { openDatabase } from '../../main/store/worker/open-database';

/**
 * Crash safety: a writer is killed with SIGKILL at random moments; after each kill every
 * bulk it had been told was written must be there in full, the bulk in flight must be all
 * there or not there at all, and SQLite's integrity check must pass. MIS_CRASH_TRIALS sets
 * the number of kills (100 for the acceptance run; fewer in everyday `npm test`).
 */
const trials = Number(process.env.MIS_CRASH_TRIALS ?? 6);

interface WriterLog {
  begun: Map<number, string[]>;
  acknowledged: Set<number>;
}

function parse(output: string): WriterLog {
  const begun = new Map<number, string[]>();
  const acknowledged = new Set<number>();
  // Only complete lines count: the kill may cut the last one short.
  for (const line of output.split('\n').slice(0, -1)) {
    const [kind, bulk, ids] = line.split(' ');
    if (kind === 'begin') begun.set(Number(bulk), ids!.split(','));
    if (kind === 'ack') acknowledged.add(Number(bulk));
  }
  return { begun, acknowledged };
}

/** Bulks acknowledged but not yet filed into their table when the writer died (see CollectionStore.bulkInsertNew). */
function journaledBulks(directory: string): number {
  const db = openDatabase(join(directory, databaseFileName('station')), testKey, { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'journal:%'").pluck().all() as string[];
    return tables.reduce((sum, table) => sum + (db.prepare(`SELECT count(*) FROM ${quoteIdentifier(table)}`).pluck().get() as number), 0);
  } finally {
    db.close();
  }
}

function runAndKill(directory: string, run: number, delayMs: number): Promise<WriterLog> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/crash/writer.ts', directory, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!armed && output.includes('ack ')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(parse(output));
      else reject(new Error(`the writer stopped by itself: ${errors}`));
    });
  });
}

describe('crash safety under SIGKILL', () => {
  it(`loses no acknowledged write and no bulk half-way, over ${trials} kills`, { timeout: 60_000 + trials * 10_000 }, async () => {
    const directory = tempStoreDirectory();
    let acknowledgedTotal = 0;
    let lost = 0;
    let killsBeforeFiling = 0;
    for (let trial = 0; trial < trials; trial++) {
      // The same database file every time: each writer starts on what the last kill left.
      const log = await runAndKill(directory, trial, Math.floor(Math.random() * 400));
      // A kill between a journaled bulk's answer and its filing leaves it to the next open.
      if (journaledBulks(directory) > 0) killsBeforeFiling++;
      const instance = (await openInstance<Traveller>(getRxStorageSqlite({ directory, key: testKey }))) as SqliteStorageInstance<Traveller>;
      expect(await instance.integrityCheck()).toEqual(['ok']);
      for (const [bulk, ids] of log.begun) {
        const present = (await instance.findDocumentsById(ids, true)).length;
        if (log.acknowledged.has(bulk)) {
          acknowledgedTotal += ids.length;
          lost += ids.length - present;
        } else {
          expect([0, ids.length]).toContain(present);
        }
      }
      await instance.close();
    }
    expect(acknowledgedTotal).toBeGreaterThan(0);
    expect(lost).toBe(0);
    console.log(`crash test: ${trials} SIGKILL trials, ${acknowledgedTotal} acknowledged documents, ${lost} lost; ${killsBeforeFiling} kills left a journaled bulk to file on opening`);
  });
});

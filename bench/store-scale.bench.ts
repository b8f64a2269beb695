import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, constants as perfConstants, monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { PreparedQuery, RxQuery } from 'rxdb';
import { syntheticRegistration, syntheticSource, type Registration } from '../domain/records';
import { openStationStore, type StationStore } from '../main/services/station-store';
import { fileKeyVault } from '../main/store/database-key';
import { stationStoreFiles } from '../main/store/station-files';
import { percentile } from './stats';

/**
 * The station store at scale: N registrations (BENCH_STORE_ROWS, default 1,000,000)
 * imported through RxDB while the main thread's responsiveness is watched, then reopen,
 * lookups by document number, a date-range count, $in queries, file sizes.
 */

const rows = Math.max(1, Math.floor(Number(process.env.BENCH_STORE_ROWS ?? 1_000_000)));
const BATCH = 2_000;
const LOOKUPS = 1_000;
const REPEATS = 5;
/** Resolution of monitorEventLoopDelay: its timer ticks this often, and each tick records the time since the last one. */
const ELD_RESOLUTION_MS = 2;
const TIMER_MS = 5;
/** Registrations are made this many at a time as objects, then kept only as JSON text. */
const GENERATION_CHUNK = 100_000;
/** Registrations per piece of JSON: a batch is parsed piece by piece, yielding between pieces. */
const PIECE = 100;
/** BENCH_STORE_KEEP=1 keeps the temp data dir (and its key file) for a look afterwards. */
const KEEP = process.env.BENCH_STORE_KEEP === '1';

const ms = (value: number, digits = 2) => value.toFixed(digits);
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/**
 * What the main thread's responsiveness looks like while it is being measured: the event
 * loop delay histogram, the gaps between ticks of a 5 ms setInterval, and the GC pauses
 * (which block the main thread too), over one window from start() to stop().
 *
 * One window only: monitorEventLoopDelay records the time between its timer's ticks, and
 * after disable() and enable() its first tick records the whole time it was disabled.
 */
class Responsiveness {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  private readonly gaps: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private measuring = false;
  private measuredMs = 0;
  private windowStart = 0;
  private used = false;
  private readonly gc = { minor: [] as number[], major: [] as number[], other: [] as number[] };
  private readonly observer = new PerformanceObserver((list) => {
    if (!this.measuring) return;
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) this.gc.major.push(entry.duration);
      else if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) this.gc.minor.push(entry.duration);
      else this.gc.other.push(entry.duration);
    }
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  start(): void {
    if (this.used) throw new Error('Responsiveness measures one window only');
    this.used = true;
    this.measuring = true;
    this.windowStart = performance.now();
    this.histogram.enable();
    this.lastTick = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.gaps.push(now - this.lastTick);
      this.lastTick = now;
    }, TIMER_MS);
  }

  stop(): void {
    this.measuring = false;
    this.histogram.disable();
    clearInterval(this.timer);
    this.measuredMs = performance.now() - this.windowStart;
    this.observer.disconnect();
  }

  report(label: string): void {
    const h = this.histogram;
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    const max = (values: number[]) => values.reduce((most, value) => Math.max(most, value), 0);
    console.log(
      `  ${label}: event-loop delay (monitorEventLoopDelay, ${ELD_RESOLUTION_MS} ms resolution, ${h.count} ticks over ${ms(this.measuredMs / 1000, 1)} s) ` +
        `p50 ${ms(h.percentile(50) / 1e6)} ms, p99 ${ms(h.percentile(99) / 1e6)} ms, max ${ms(h.max / 1e6)} ms`,
    );
    console.log(
      `  ${label}: ${TIMER_MS} ms setInterval, gap between ticks (${this.gaps.length} gaps) p50 ${ms(percentile(this.gaps, 50))} ms, ` +
        `p99 ${ms(percentile(this.gaps, 99))} ms, max ${ms(max(this.gaps))} ms; gaps > 50 ms: ${this.gaps.filter((gap) => gap > 50).length}`,
    );
    console.log(
      `  ${label}: main-thread GC pauses: ${this.gc.minor.length} minor (total ${ms(sum(this.gc.minor), 0)} ms, max ${ms(max(this.gc.minor), 1)} ms), ` +
        `${this.gc.major.length} major (total ${ms(sum(this.gc.major), 0)} ms, max ${ms(max(this.gc.major), 1)} ms), ` +
        `${this.gc.other.length} other (total ${ms(sum(this.gc.other), 0)} ms)`,
    );
  }
}

function fileSizes(databaseFile: string): string {
  const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
  const db = size(databaseFile);
  const wal = size(`${databaseFile}-wal`);
  const shm = size(`${databaseFile}-shm`);
  return `${mb(db + wal)} MB (file ${mb(db)} MB + WAL ${mb(wal)} MB; shm ${mb(shm)} MB)`;
}

/** The storage instance under RxDB's wrapper (rx-storage-helper getWrappedStorageInstance), which has explain(). */
function explainer(storageInstance: unknown): { explain(query: PreparedQuery<unknown>): Promise<string[]> } {
  let current = storageInstance as Record<string, unknown> | undefined;
  while (current && typeof current.explain !== 'function') current = current.originalStorageInstance as Record<string, unknown> | undefined;
  if (!current) throw new Error('No storage instance with explain() under the collection');
  return current as unknown as { explain(query: PreparedQuery<unknown>): Promise<string[]> };
}

/** EXPLAIN QUERY PLAN of the exact prepared query RxDB sends to the storage for this RxQuery. */
async function printPlan(store: StationStore, query: RxQuery<Registration, unknown>, note = ''): Promise<void> {
  const plan = await explainer(store.database.registrations.storageInstance).explain(query.getPreparedQuery() as PreparedQuery<unknown>);
  if (note) console.log(`    plan (${note}):`);
  for (const line of plan) console.log(`    plan: ${line}`);
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

function median(samples: number[]): number {
  return percentile(samples, 50);
}

/**
 * What the queries after the import need from the generated data, so that the data itself
 * can go: taken chunk by chunk as the registrations are made. Value sets for $in come from
 * the first chunk; their expected counts from all.
 */
class Samples {
  readonly lookups: { id: string; documentNumber: string; issuingState: string }[] = [];
  readonly birthDateSets: { values: string[]; expected: number }[] = [];
  readonly numberSets: { values: string[]; expected: number }[] = [];
  private readonly arrivals = new Float64Array(rows);
  private seen = 0;
  private readonly pick = syntheticSource(42);

  add(chunk: readonly Registration[]): void {
    const any = () => chunk[this.pick.integer(0, chunk.length - 1)]!;
    if (this.seen === 0) {
      for (let i = 0; i < REPEATS; i++) {
        const dates = new Set<string>();
        for (let tries = 0; dates.size < 5 && tries < 10_000; tries++) {
          const date = any().person.birthDate;
          if (date.length === 10) dates.add(date);
        }
        this.birthDateSets.push({ values: [...dates], expected: 0 });
        const numbers = new Set<string>();
        while (numbers.size < Math.min(20, chunk.length)) numbers.add(any().document.documentNumber);
        this.numberSets.push({ values: [...numbers], expected: 0 });
      }
    }
    this.seen += chunk.length;
    const wantedLookups = this.seen >= rows ? LOOKUPS : Math.round((LOOKUPS * this.seen) / rows);
    while (this.lookups.length < wantedLookups) {
      const registration = any();
      this.lookups.push({ id: registration.id, documentNumber: registration.document.documentNumber, issuingState: registration.document.issuingState });
    }
    let at = this.seen - chunk.length;
    for (const registration of chunk) {
      this.arrivals[at++] = registration.arrivalAt;
      for (const set of this.birthDateSets) if (set.values.includes(registration.person.birthDate)) set.expected++;
      for (const set of this.numberSets) if (set.values.includes(registration.document.documentNumber)) set.expected++;
    }
  }

  /**
   * ~10% of rows: from the 45th to the 55th percentile of arrivalAt. Each repetition moves
   * the upper bound by 1 ms so that RxDB's query cache cannot answer it.
   */
  ranges(): { from: number; to: number; expected: number }[] {
    const sorted = this.arrivals.slice(0, this.seen).sort();
    const from = sorted[Math.floor(sorted.length * 0.45)]!;
    const baseTo = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.55))]!;
    return Array.from({ length: REPEATS }, (_, i) => {
      const to = baseTo + i;
      let expected = 0;
      for (const arrival of sorted) if (arrival >= from && arrival < to) expected++;
      return { from, to, expected };
    });
  }
}

export async function benchStoreScale(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-bench-store-scale-'));
  const vault = fileKeyVault(stationStoreFiles(dataDir).keyFile);
  const source = syntheticSource(20_240_101, { stationId: 'BIH-SA-01' });
  console.log(`store-scale: ${rows.toLocaleString('en')} synthetic registrations, bulkInsert batches of ${BATCH}, data dir ${dataDir}`);

  try {
    // An empty store first: its reopen time is the baseline for the reopen with N rows.
    const [created, createMs] = await timed(() => openStationStore(dataDir, vault));
    await created.close();
    const [reopenedEmpty, reopenEmptyMs] = await timed(() => openStationStore(dataDir, vault));
    let store: StationStore = reopenedEmpty;
    console.log(`  open: new empty store ${ms(createMs, 0)} ms (creates key, file, tables); reopen empty store ${ms(reopenEmptyMs, 0)} ms`);

    const idle = new Responsiveness();
    idle.start();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    idle.stop();
    idle.report('idle main thread, 1 s, store open (baseline)');

    // 1. Import. All data is made before the import, chunk by chunk, and kept as JSON text
    // in Buffers: outside the JS heap, so that the GCs during the import are not slowed by
    // N registrations the benchmark holds (as objects, 1M of them are 1.3 GB of heap, and
    // a major GC of it blocked the main thread for 2.2 s).
    const samples = new Samples();
    const batches: Buffer[][] = [];
    let generationMs = 0;
    for (let made = 0; made < rows; made += GENERATION_CHUNK) {
      const started = performance.now();
      const chunk = Array.from({ length: Math.min(GENERATION_CHUNK, rows - made) }, () => syntheticRegistration(source));
      samples.add(chunk);
      for (let at = 0; at < chunk.length; at += BATCH) {
        const pieces: Buffer[] = [];
        for (let piece = at; piece < Math.min(at + BATCH, chunk.length); piece += PIECE) pieces.push(Buffer.from(JSON.stringify(chunk.slice(piece, Math.min(piece + PIECE, at + BATCH)))));
        batches.push(pieces);
      }
      generationMs += performance.now() - started;
    }
    const memory = process.memoryUsage();
    console.log(
      `  generation: all ${rows.toLocaleString('en')} registrations made before the import in ${ms(generationMs / 1000, 1)} s (syntheticRegistration + JSON.stringify), ` +
        `kept as JSON in Buffers outside the JS heap (external ${mb(memory.external)} MB; heap used ${mb(memory.heapUsed)} MB)`,
    );
    console.log(
      `  measured: one window over the whole import; in it the main thread runs RxDB's bulkInsert and our storage's main-thread side, ` +
        `and, before each batch, JSON.parse of that batch in pieces of ${PIECE} registrations with a yield to the event loop after each piece (its times below)`,
    );

    const responsiveness = new Responsiveness();
    const batchMs: number[] = [];
    const pieceParseMs: number[] = [];
    let importMs = 0;
    let done = 0;
    const progressEvery = Math.max(1, Math.ceil(batches.length / 10));
    responsiveness.start();
    const importStarted = performance.now();
    for (const [index, pieces] of batches.entries()) {
      const batch: Registration[] = [];
      for (const piece of pieces) {
        const started = performance.now();
        for (const registration of JSON.parse(piece.toString('utf8')) as Registration[]) batch.push(registration);
        pieceParseMs.push(performance.now() - started);
        await yieldToEventLoop();
      }
      const started = performance.now();
      const result = await store.database.registrations.bulkInsert(batch);
      const took = performance.now() - started;
      batchMs.push(took);
      importMs += took;
      done += batch.length;
      if (result.error.length > 0) throw new Error(`bulkInsert failed for ${result.error.length} documents: ${JSON.stringify(result.error[0]).slice(0, 500)}`);
      if ((index + 1) % progressEvery === 0 && done < rows) {
        const recent = batchMs.slice(-progressEvery).reduce((sum, value) => sum + value, 0);
        console.log(
          `    ... ${done.toLocaleString('en')} rows, ${ms(importMs / 1000, 1)} s, ${Math.round(done / (importMs / 1000))} docs/s so far, ` +
            `last ${(progressEvery * BATCH).toLocaleString('en')} at ${Math.round((progressEvery * BATCH) / (recent / 1000))} docs/s`,
        );
      }
    }
    const wallMs = performance.now() - importStarted;
    responsiveness.stop();
    batches.length = 0;
    console.log(
      `  import: ${rows.toLocaleString('en')} registrations in ${ms(importMs / 1000, 1)} s (sum of awaited bulkInsert calls) = ${Math.round(rows / (importMs / 1000))} docs/s; ` +
        `per batch of ${BATCH}: p50 ${ms(percentile(batchMs, 50), 1)} ms, p99 ${ms(percentile(batchMs, 99), 1)} ms, max ${ms(Math.max(...batchMs), 1)} ms; ` +
        `wall time of the measured window ${ms(wallMs / 1000, 1)} s`,
    );
    console.log(
      `  import: JSON.parse of the batches inside the window: ${pieceParseMs.length} pieces, total ${ms(pieceParseMs.reduce((sum, value) => sum + value, 0) / 1000, 1)} s, ` +
        `p99 ${ms(percentile(pieceParseMs, 99), 2)} ms, max ${ms(Math.max(...pieceParseMs), 2)} ms per piece`,
    );
    responsiveness.report('main thread during import');
    console.log(`  memory after import: heap used ${mb(process.memoryUsage().heapUsed)} MB, rss ${mb(process.memoryUsage().rss)} MB`);
    console.log(`  size after import (store open): ${fileSizes(store.databaseFile)}`);

    // 2. Close and reopen.
    const [, closeMs] = await timed(() => store.close());
    console.log(`  size after close: ${fileSizes(store.databaseFile)}`);
    const [reopened, reopenMs] = await timed(() => openStationStore(dataDir, vault));
    store = reopened;
    console.log(`  reopen with ${rows.toLocaleString('en')} rows: ${ms(reopenMs, 0)} ms until openStationStore resolved (empty store: ${ms(reopenEmptyMs, 0)} ms; close took ${ms(closeMs, 0)} ms)`);
    console.log(`  size after reopen: ${fileSizes(store.databaseFile)}`);
    const [total, countAllMs] = await timed(() => store.database.registrations.count().exec());
    console.log(`  first query after reopen: count() of all = ${total.toLocaleString('en')} in ${ms(countAllMs, 1)} ms`);

    // 3. Lookups by document number.
    const registrations = store.database.registrations;
    const byNumber = (documentNumber: string, issuingState: string) =>
      registrations.find({ selector: { 'document.documentNumber': documentNumber, 'document.issuingState': issuingState } });
    const lookupMs: number[] = [];
    let misses = 0;
    for (const wanted of samples.lookups) {
      const [found, took] = await timed(() => byNumber(wanted.documentNumber, wanted.issuingState).exec());
      lookupMs.push(took);
      if (!found.some((doc) => doc.id === wanted.id)) misses++;
    }
    console.log(
      `  lookup by document number + issuing state: ${LOOKUPS} random existing numbers, each find().exec() timed: ` +
        `p50 ${ms(percentile(lookupMs, 50), 3)} ms, p95 ${ms(percentile(lookupMs, 95), 3)} ms, p99 ${ms(percentile(lookupMs, 99), 3)} ms, ` +
        `max ${ms(Math.max(...lookupMs), 3)} ms (first, cold: ${ms(lookupMs[0]!, 3)} ms); not found: ${misses}`,
    );
    await printPlan(store, byNumber(samples.lookups[0]!.documentNumber, samples.lookups[0]!.issuingState) as never);

    // 4. Date-range count, ~10% of rows.
    const rangeQuery = (from: number, to: number) => registrations.count({ selector: { arrivalAt: { $gte: from, $lt: to } } });
    const rangeMs: number[] = [];
    const rangeCounts: string[] = [];
    const ranges = samples.ranges();
    for (const { from, to, expected } of ranges) {
      const [count, took] = await timed(() => rangeQuery(from, to).exec());
      rangeMs.push(took);
      rangeCounts.push(count === expected ? `${count}` : `${count} (expected ${expected}!)`);
    }
    console.log(
      `  count arrivalAt in [${new Date(ranges[0]!.from).toISOString()}, ${new Date(ranges[0]!.to).toISOString()}) (~10% of rows): ` +
        `median ${ms(median(rangeMs), 1)} ms over ${REPEATS} runs (each with the upper bound moved by 1 ms, so none is served from RxDB's query cache; ` +
        `times ${rangeMs.map((value) => ms(value, 1)).join(', ')} ms); counts ${rangeCounts.join(', ')} = ${ms((100 * ranges[0]!.expected) / rows, 1)}% of rows`,
    );
    await printPlan(store, rangeQuery(ranges[0]!.from, ranges[0]!.to) as never, "explain() plans the SELECT form with RxDB's default ORDER BY; count() runs SELECT COUNT(*) with the same WHERE and no ORDER BY");

    // 5. $in over indexed fields.
    const birthQuery = (dates: string[]) => registrations.find({ selector: { 'person.birthDate': { $in: dates } } });
    const numberQuery = (numbers: string[]) => registrations.find({ selector: { 'document.documentNumber': { $in: numbers } } });
    // Without a sort, RxDB sorts by the schema's first index (_deleted, documentNumber,
    // issuingState, id); this variant sorts by the field it selects on, for comparison.
    const birthQuerySorted = (dates: string[]) =>
      registrations.find({ selector: { 'person.birthDate': { $in: dates } }, sort: [{ 'person.birthDate': 'asc' }, { id: 'asc' }] });
    for (const [label, sets, query] of [
      ['person.birthDate $in 5 dates', samples.birthDateSets, birthQuery],
      ['person.birthDate $in 5 dates, sort birthDate, id', samples.birthDateSets, birthQuerySorted],
      ['document.documentNumber $in 20 numbers', samples.numberSets, numberQuery],
    ] as const) {
      const times: number[] = [];
      const counts: string[] = [];
      for (const { values, expected } of sets) {
        const [found, took] = await timed(() => query(values).exec());
        times.push(took);
        counts.push(found.length === expected ? `${found.length}` : `${found.length} (expected ${expected}!)`);
      }
      console.log(
        `  find ${label}: median ${ms(median(times), 2)} ms over ${REPEATS} different value sets (times ${times.map((value) => ms(value, 2)).join(', ')} ms); ` +
          `results ${counts.join(', ')}`,
      );
      const sort = (query(sets[0]!.values as string[]).getPreparedQuery().query.sort ?? []).map((part) => Object.entries(part)[0]!.join(' ')).join(', ');
      await printPlan(store, query(sets[0]!.values as string[]) as never, `sort as RxDB sends it: ${sort}`);
    }

    await store.close();
    console.log(`  size at the end (closed): ${fileSizes(stationStoreFiles(dataDir).databaseFile)}`);
  } finally {
    if (KEEP) console.log(`  (BENCH_STORE_KEEP=1: kept ${dataDir})`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

// Run directly: `npx tsx bench/store-scale.bench.ts`.
if (import.meta.url === `file://${process.argv[1]}`) await benchStoreScale();

import {
  type Perturbation,
  type TravellerQuery,
  buildWatchlistIndex,
  generateSyntheticAlerts,
  type NameVariety,
  syntheticStranger,
  syntheticTraveller,
} from '../domain/watchlist';

/**
 * Watchlist matcher at 100k and 1M generated alerts: index build time and memory,
 * query latency (p50/p95/p99) over a mix of queries like a border shift's: mostly
 * travellers on no list, some alert subjects presented with transliterated, swapped or
 * mistyped names, and document numbers. Run with --expose-gc for steadier memory figures.
 */
const SIZES = [100_000, 1_000_000];
const MEASURED_QUERIES = 3_000;
const WARM_UP_QUERIES = 300;
const PERTURBATIONS: readonly Perturbation[] = [
  'exact',
  'transliterated',
  'swapped-names',
  'one-typo',
  'two-typos',
  'birth-date-one-digit',
  'birth-day-month-swapped',
];

const collectGarbage = (globalThis as { gc?: () => void }).gc;

function memory(): { heap: number; buffers: number } {
  collectGarbage?.();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, buffers: usage.arrayBuffers };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(0)} MB`;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

function queryMix(alerts: ReturnType<typeof generateSyntheticAlerts>, count: number, seed: number): { query: TravellerQuery; alertId?: string }[] {
  const queries: { query: TravellerQuery; alertId?: string }[] = [];
  for (let i = 0; i < count; i++) {
    const pickSeed = seed + i;
    if (i % 2 === 0) {
      queries.push({ query: syntheticStranger(pickSeed) });
      continue;
    }
    const alert = alerts[(pickSeed * 7_919) % alerts.length];
    if (!alert) continue;
    const perturbation: Perturbation =
      alert.subject === 'document' ? 'document-number-spacing' : (PERTURBATIONS[i % PERTURBATIONS.length] ?? 'exact');
    queries.push({ query: syntheticTraveller(alert, perturbation, pickSeed), alertId: alert.alertId });
  }
  return queries;
}

/** One size per call, so that nothing of the previous size is still reachable when memory is measured. */
function benchSize(size: number, variety?: NameVariety): void {
  const alerts = generateSyntheticAlerts(size, 2026, variety);
  const before = memory();
  const started = performance.now();
  const index = buildWatchlistIndex(alerts);
  const buildMs = performance.now() - started;
  const after = memory();
  console.log(
    `watchlist ${size} alerts: build ${buildMs.toFixed(0)} ms; memory +${megabytes(after.heap - before.heap)} heap, +${megabytes(after.buffers - before.buffers)} typed arrays (index only, alerts not counted); ${index.distinctNames} distinct names`,
  );

  for (const { query } of queryMix(alerts, WARM_UP_QUERIES, 1)) index.search(query);
  const queries = queryMix(alerts, MEASURED_QUERIES, 100_000);
  const latencies: number[] = [];
  const subjectLatencies: number[] = [];
  let found = 0;
  for (const { query, alertId } of queries) {
    const t0 = performance.now();
    const candidates = index.search(query);
    const elapsed = performance.now() - t0;
    latencies.push(elapsed);
    if (alertId !== undefined) {
      subjectLatencies.push(elapsed);
      if (candidates.some((candidate) => candidate.alert.alertId === alertId)) found++;
    }
  }
  const summary = (times: number[]) => {
    times.sort((a, b) => a - b);
    return `p50 ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms`;
  };
  console.log(`watchlist ${size} alerts: ${queries.length} queries (half on no list, half alert subjects): ${summary(latencies)}`);
  console.log(`watchlist ${size} alerts: alert subjects only: ${summary(subjectLatencies)}; found ${found}/${subjectLatencies.length}`);
}

export async function benchWatchlist(): Promise<void> {
  console.log(`watchlist: gc ${collectGarbage ? 'exposed' : 'not exposed (run node with --expose-gc for steadier memory figures)'}`);
  for (const size of SIZES) benchSize(size);
  // The same million with five times as many distinct names, to see how blocking copes.
  console.log('watchlist: 1,000,000 alerts with 5x the distinct names (one surname in 4 alerts, one given name in 40):');
  benchSize(1_000_000, { surnamesPerAlert: 1 / 4, givenNamesPerAlert: 1 / 40 });
}

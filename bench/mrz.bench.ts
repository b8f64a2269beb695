import { parse as parseWithMrzPackage } from 'mrz';
import { buildMrz, parseMrz, syntheticMrzDocuments } from '../domain/mrz';
import type { MrzFormat } from '../domain/mrz';

/**
 * Throughput of our MRZ parser against the npm `mrz` package on one corpus of
 * synthetic zones in the formats both read (TD1, TD2, TD3), each warmed up
 * first. Prints figures only; timing never fails a build.
 */

const CORPUS_SIZE = 50_000;
const SHARED_FORMATS: readonly MrzFormat[] = ['TD1', 'TD2', 'TD3'];
const TODAY = new Date(2025, 0, 1);
const PASSES = 5;

function corpus(): string[] {
  const zones: string[] = [];
  for (const document of syntheticMrzDocuments(CORPUS_SIZE, 20_250_101, { formats: SHARED_FORMATS, today: TODAY })) {
    const built = buildMrz(document);
    if (built.ok) zones.push(built.lines.join('\n'));
  }
  return zones;
}

type Parse = (zone: string) => unknown;

/** Milliseconds for one pass over the whole corpus. */
function pass(zones: readonly string[], parse: Parse): number {
  let handled = 0;
  const started = performance.now();
  for (const zone of zones) if (parse(zone) !== undefined) handled++;
  const elapsed = performance.now() - started;
  if (handled !== zones.length) console.log(`mrz: only ${handled} of ${zones.length} zones handled`);
  return elapsed;
}

/**
 * Documents per second for each parser: passes alternate between the two so a
 * busy machine slows both alike, and each keeps its best pass after a warm-up.
 */
function documentsPerSecond(zones: readonly string[], ours: Parse, theirs: Parse): { ours: number; theirs: number } {
  pass(zones, ours);
  pass(zones, theirs);
  let bestOurs = Infinity;
  let bestTheirs = Infinity;
  for (let round = 0; round < PASSES; round++) {
    bestOurs = Math.min(bestOurs, pass(zones, ours));
    bestTheirs = Math.min(bestTheirs, pass(zones, theirs));
  }
  return { ours: (zones.length / bestOurs) * 1000, theirs: (zones.length / bestTheirs) * 1000 };
}

function parseOrNull(zone: string): unknown {
  try {
    return parseWithMrzPackage(zone);
  } catch (error) {
    // The package throws on input it cannot place; that still counts as a document handled.
    return error;
  }
}

export async function benchMrz(): Promise<void> {
  const zones = corpus();
  const { ours, theirs } = documentsPerSecond(zones, (zone) => parseMrz(zone, { today: TODAY }), parseOrNull);
  console.log(`mrz: ${zones.length} synthetic TD1/TD2/TD3 zones`);
  console.log(`mrz: ours (domain/mrz) ${Math.round(ours).toLocaleString('en')} documents/s`);
  console.log(`mrz: npm mrz package ${Math.round(theirs).toLocaleString('en')} documents/s`);
  console.log(`mrz: ratio ${(ours / theirs).toFixed(1)}x`);
}

import fc from 'fast-check';
import type { MrzBuildInput } from './build';
import { ALL_FORMATS, generateDocument } from './synthetic';
import type { MrzFormat } from './types';

/**
 * fast-check arbitrary of synthetic documents, driven by the same rules as the
 * seeded generator. Test-only: it is not exported from index.ts, so production
 * code never loads fast-check (a development dependency).
 */
export function mrzDocumentArbitrary(
  formats: readonly MrzFormat[] = ALL_FORMATS,
  today: Date = new Date(),
): fc.Arbitrary<MrzBuildInput> {
  return fc.gen().map((draw) =>
    generateDocument({ integer: (min, max) => draw(fc.integer, { min, max }) }, formats, today),
  );
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMrz } from './build';
import { parseMrz } from './parse';
import { expectedFieldsOf } from './synthetic';
import { mrzDocumentArbitrary } from './synthetic.arbitrary';

const today = new Date(2025, 5, 1);

/** Zone-shaped text: the MRZ alphabet and its look-alikes, at the lengths of real zones. */
const zoneShapedText = fc
  .constantFrom([30, 3], [36, 2], [44, 2])
  .chain(([length, count]) =>
    fc.array(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<OIZSBG'), minLength: length, maxLength: length }), {
      minLength: count,
      maxLength: count,
    }),
  );

function neverThrows(input: unknown): void {
  const result = parseMrz(input, { today });
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    expect(result.document.valid).toBe(result.document.checks.every((c) => c.ok));
  } else {
    expect(result.error.message).not.toBe('');
  }
}

describe('round trip', () => {
  it('reads back every generated document exactly as it was laid out', () => {
    fc.assert(
      fc.property(mrzDocumentArbitrary(undefined, today), (input) => {
        const built = buildMrz(input);
        expect(built.ok).toBe(true);
        if (!built.ok) return;
        const result = parseMrz(built.lines.join('\n'), { today });
        expect(result).toMatchObject({ ok: true, document: { format: input.format, valid: true, corrections: [] } });
        if (result.ok) expect(result.document.fields).toEqual(expectedFieldsOf(input));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('any input whatsoever', () => {
  it('parses any string without throwing', () => {
    fc.assert(fc.property(fc.string(), neverThrows), { numRuns: 2000 });
  });

  it('parses any string of Unicode code points, surrogates included, without throwing', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), neverThrows), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), neverThrows), { numRuns: 500 });
  });

  it('parses any list of lines without throwing', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' })), neverThrows), { numRuns: 1000 });
  });

  it('parses zone-shaped noise without throwing, through every check and correction', () => {
    fc.assert(fc.property(zoneShapedText, neverThrows), { numRuns: 3000 });
  });

  it('parses any JavaScript value without throwing', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true }), neverThrows), {
      numRuns: 1000,
    });
  });
});

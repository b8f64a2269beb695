import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistanceWithin, typosAllowed } from './edit-distance';

/** The textbook table, in full, to check the early-stopping version against. */
function optimalStringAlignment(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = value;
    }
  }
  return at(a.length, b.length);
}

describe('edit distance with a bound', () => {
  it.each([
    ['PETROVIC', 'PETROVIC', 0],
    ['PETROVIC', 'PETROVIK', 1],
    ['PETROVIC', 'PETORVIC', 1],
    ['PETROVIC', 'PETROVICA', 1],
    ['PETROVIC', 'ETROVIC', 1],
    ['PETROVIC', 'PTEROVIK', 2],
    ['PETROVIC', 'MARKOVIC', 4],
    ['', 'ANA', 3],
  ])('%s to %s is %i', (a, b, distance) => {
    expect(editDistanceWithin(a, b, 5)).toBe(distance);
  });

  it('stops at the bound and says so with bound + 1', () => {
    expect(editDistanceWithin('PETROVIC', 'MARKOVIC', 2)).toBe(3);
    expect(editDistanceWithin('A', 'ABCDEFGH', 2)).toBe(3);
  });

  it('agrees with the full table whenever the distance is within the bound', () => {
    const name = fc.string({ unit: fc.constantFrom(...'ABCDE'), maxLength: 9 });
    fc.assert(
      fc.property(name, name, fc.integer({ min: 0, max: 4 }), (a, b, bound) => {
        const full = optimalStringAlignment(a, b);
        expect(editDistanceWithin(a, b, bound)).toBe(full <= bound ? full : bound + 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('is symmetric', () => {
    const name = fc.string({ unit: fc.constantFrom(...'ABC'), maxLength: 8 });
    fc.assert(fc.property(name, name, (a, b) => editDistanceWithin(a, b, 3) === editDistanceWithin(b, a, 3)));
  });

  it.each([
    [3, 0],
    [4, 1],
    [7, 1],
    [8, 2],
    [15, 2],
  ])('allows a name of %i letters %i typos', (length, typos) => {
    expect(typosAllowed(length)).toBe(typos);
  });
});

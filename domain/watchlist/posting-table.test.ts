import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deletionHashes, keyHash } from './key-hash';
import { PostingTableBuilder } from './posting-table';

describe('posting table', () => {
  it('returns exactly the numbers posted under a hash, whatever else shares its bucket', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.nat(1000)), { maxLength: 300 }), (postings) => {
        const builder = new PostingTableBuilder();
        // Few distinct hashes, spread over the 32 bits so that buckets are shared.
        const hashOf = (key: number) => Math.imul(key + 1, 0x9e3779b1) >>> 0;
        for (const [key, number] of postings) builder.add(hashOf(key), number);
        const table = builder.build();
        for (let key = 0; key <= 50; key++) {
          const found: number[] = [];
          table.forEach(hashOf(key), (number) => found.push(number));
          const expected = postings.filter(([k]) => k === key).map(([, number]) => number);
          expect(found.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
        }
      }),
    );
  });
});

describe('deletion hashes', () => {
  it('meet for two names one substitution apart', () => {
    const a: number[] = [];
    const b: number[] = [];
    deletionHashes('PETROVIC', a);
    deletionHashes('PETROVIK', b);
    expect(a.some((hash) => b.includes(hash))).toBe(true);
  });

  it('hash the name without one letter as that shorter name', () => {
    const variants: number[] = [];
    deletionHashes('ANA', variants);
    expect(variants).toEqual([keyHash('ANA', -1), keyHash('NA', -1), keyHash('AA', -1), keyHash('AN', -1)]);
  });

  it('hash a deleted double letter once', () => {
    const variants: number[] = [];
    deletionHashes('ANNA', variants);
    expect(new Set(variants).size).toBe(variants.length);
    expect(variants).toHaveLength(4);
  });
});

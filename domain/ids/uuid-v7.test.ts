import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdError, createIdGenerator, isUuidV7, newId, timestampOfUuidV7 } from './index';

// From 1970 to the last millisecond 48 bits hold (year 10889).
const anyTimestamp = fc.integer({ min: 0, max: 2 ** 48 - 1 });
const thisCentury = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });

function bitsOf(id: string): string {
  return [...id.replaceAll('-', '')].map((hex) => parseInt(hex, 16).toString(2).padStart(4, '0')).join('');
}

describe('newId', () => {
  it('makes RFC 9562 version 7 UUIDs: version 0111 at bit 48, variant 10 at bit 64', () => {
    fc.assert(
      fc.property(anyTimestamp, (now) => {
        const id = createIdGenerator()(now);
        const bits = bitsOf(id);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(bits.slice(48, 52)).toBe('0111');
        expect(bits.slice(64, 66)).toBe('10');
        expect(isUuidV7(id)).toBe(true);
      }),
    );
  });

  it('carries the time it was made in its first 48 bits', () => {
    fc.assert(
      fc.property(anyTimestamp, (now) => {
        const id = createIdGenerator()(now);
        expect(parseInt(bitsOf(id).slice(0, 48), 2)).toBe(now);
        expect(timestampOfUuidV7(id)).toBe(now);
      }),
    );
  });

  it('uses the station clock when no time is given', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(timestampOfUuidV7(id)).toBeGreaterThanOrEqual(before);
    expect(timestampOfUuidV7(id)).toBeLessThanOrEqual(after);
  });

  it('sorts in the order ids were made, within one millisecond and across milliseconds', () => {
    fc.assert(
      fc.property(thisCentury, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 300 }), (start, steps) => {
        const nextId = createIdGenerator();
        let now = start;
        const ids = steps.map((step) => nextId((now += step)));
        expect([...ids].sort()).toEqual(ids);
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });

  it('stays in order when the clock steps back a few seconds, keeping the later time', () => {
    const nextId = createIdGenerator();
    const now = Date.UTC(2025, 5, 1, 12);
    const first = nextId(now);
    const afterStepBack = nextId(now - 3_000);
    expect(afterStepBack > first).toBe(true);
    expect(timestampOfUuidV7(afterStepBack)).toBe(now);
  });

  it('takes the corrected time after a clock is set back by more than ten seconds', () => {
    const nextId = createIdGenerator();
    const wrongClock = Date.UTC(2025, 5, 1, 14);
    nextId(wrongClock);
    const corrected = wrongClock - 2 * 3_600_000;
    expect(timestampOfUuidV7(nextId(corrected))).toBe(corrected);
  });

  it('keeps counting up over a hundred thousand ids made in the same millisecond', () => {
    const nextId = createIdGenerator();
    const now = Date.UTC(2025, 0, 1);
    let previous = nextId(now);
    let outOfOrder = 0;
    for (let i = 0; i < 100_000; i++) {
      const id = nextId(now);
      if (id <= previous) outOfOrder++;
      previous = id;
    }
    expect(outOfOrder).toBe(0);
    expect(timestampOfUuidV7(previous)).toBe(now);
  });

  it('gives different ids on different stations making records in the same millisecond', () => {
    const now = Date.UTC(2025, 0, 1);
    const stations = Array.from({ length: 1000 }, () => createIdGenerator()(now));
    expect(new Set(stations).size).toBe(stations.length);
  });

  it('makes the same ids from the same seeded random source', () => {
    const seeded = () => {
      let state = 7;
      return createIdGenerator((bytes) => {
        for (let i = 0; i < bytes.length; i++) bytes[i] = state = (state * 73 + 41) % 256;
      });
    };
    const first = seeded();
    const second = seeded();
    const at = Date.UTC(2025, 0, 1);
    expect([first(at), first(at), first(at + 1)]).toEqual([second(at), second(at), second(at + 1)]);
  });

  it('refuses a time that is not a whole number of milliseconds within 48 bits', () => {
    for (const now of [-1, 1.5, 2 ** 48, Number.NaN]) expect(() => newId(now)).toThrow(RangeError);
  });
});

describe('isUuidV7', () => {
  it.each([
    ['a version 4 UUID', '3b241101-e2bb-4255-8caf-4136c566a962'],
    ['the wrong variant', '01890a5d-ac96-774b-4cb4-ad8d8cd7bd0e'],
    ['upper case', '01890A5D-AC96-774B-BCB4-AD8D8CD7BD0E'],
    ['no dashes', '01890a5dac96774bbcb4ad8d8cd7bd0e'],
    ['an empty string', ''],
  ])('refuses %s', (_, text) => {
    expect(isUuidV7(text)).toBe(false);
  });

  it('accepts the RFC 9562 appendix A.6 example', () => {
    expect(isUuidV7('017f22e2-79b0-7cc3-98c4-dc0c0c07398f')).toBe(true);
    expect(timestampOfUuidV7('017f22e2-79b0-7cc3-98c4-dc0c0c07398f')).toBe(Date.UTC(2022, 1, 22, 19, 22, 22));
  });
});

describe('timestampOfUuidV7', () => {
  it('refuses what is not a UUIDv7, with a code', () => {
    expect(() => timestampOfUuidV7('3b241101-e2bb-4255-8caf-4136c566a962')).toThrow(IdError);
    expect(() => timestampOfUuidV7('nonsense')).toThrow(expect.objectContaining({ code: 'NOT_A_UUID_V7' }));
  });
});

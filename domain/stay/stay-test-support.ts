import fc from 'fast-check';
import { addDays, daysBetween } from '../time';
import type { Crossing } from './stay-history';

/** A stay as the tests build it: first and last day; last undefined while still in the country. */
export interface TestStay {
  from: string;
  to: string | undefined;
}

/**
 * Histories without gaps in the record: stays in order, each starting on or after the
 * day the previous one ended (a re-entry on the day of exit included), the last one
 * possibly still open.
 */
export const wellFormedStays: fc.Arbitrary<TestStay[]> = fc
  .tuple(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 100 })), { maxLength: 8 }),
    fc.boolean(),
  )
  .map(([gapsAndLengths, lastOpen]) => {
    const stays: TestStay[] = [];
    let day = '2023-09-01';
    gapsAndLengths.forEach(([gap, length], i) => {
      const from = addDays(day, gap);
      const to = addDays(from, length);
      stays.push({ from, to: lastOpen && i === gapsAndLengths.length - 1 ? undefined : to });
      day = to;
    });
    return stays;
  });

export function crossingsOf(stays: readonly TestStay[]): Crossing[] {
  return stays.flatMap((stay) => [
    { direction: 'entry' as const, at: stay.from },
    ...(stay.to === undefined ? [] : [{ direction: 'exit' as const, at: stay.to }]),
  ]);
}

/** The rule read literally: mark every day of presence, then count the marked days in [D-179, D]. */
export function daysUsedByCounting(stays: readonly TestStay[], onDate: string, windowDays = 180): number {
  const present = new Set<string>();
  for (const stay of stays) {
    const last = stay.to ?? onDate;
    for (let day = stay.from; daysBetween(day, last) >= 0; day = addDays(day, 1)) present.add(day);
  }
  let count = 0;
  for (let back = 0; back < windowDays; back++) if (present.has(addDays(onDate, -back))) count++;
  return count;
}

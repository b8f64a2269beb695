import { dayNumberOf, instantMs, isoDate } from '../time';

export type CrossingDirection = 'entry' | 'exit';

/** One recorded border crossing; `at` is a date ('2026-03-01') or a timestamp with offset. */
export interface Crossing {
  direction: CrossingDirection;
  at: string;
}

export type StayAnomalyCode = 'EXIT_WITHOUT_ENTRY' | 'ENTRY_WITHOUT_EXIT';

/** A gap in the record that the count had to bridge; shown to the officer to resolve. */
export interface StayAnomaly {
  code: StayAnomalyCode;
  day: string;
  message: string;
}

/**
 * A person's days in the country as disjoint, sorted ranges of day numbers, with
 * prefix sums so that a 90/180 count is two binary searches, however long the history.
 */
export interface StayHistory {
  /** First and last day of each closed stay, merged where stays touch or overlap. */
  readonly firstDays: Int32Array;
  readonly lastDays: Int32Array;
  /** daysBefore[i] = days in stays 0..i-1. */
  readonly daysBefore: Float64Array;
  /** First day of the stay still going on (entered, not yet exited), or null. */
  readonly openSince: number | null;
  readonly anomalies: readonly StayAnomaly[];
}

interface DatedCrossing {
  direction: CrossingDirection;
  at: string;
  day: number;
  order: number;
}

function date(crossing: Crossing, order: number): DatedCrossing {
  return { direction: crossing.direction, at: crossing.at, day: dayNumberOf(crossing.at), order };
}

/**
 * Crossings in time order. Within one day, timestamps decide when every crossing of
 * that day has one; if any is a bare date, the day keeps the order the caller gave,
 * since a bare date cannot be placed before or after a time.
 */
function chronological(crossings: readonly Crossing[]): DatedCrossing[] {
  const dated = crossings.map(date);
  dated.sort((a, b) => a.day - b.day || a.order - b.order);
  for (let start = 0; start < dated.length; ) {
    let end = start + 1;
    while (end < dated.length && dated[end]?.day === dated[start]?.day) end++;
    // Most days hold one crossing; only days with several need their times read.
    if (end - start > 1) {
      const sameDay = dated.slice(start, end);
      if (sameDay.every((c) => c.at.length > 10)) {
        const ms = new Map(sameDay.map((c) => [c, instantMs(c.at)]));
        sameDay.sort((a, b) => (ms.get(a) ?? 0) - (ms.get(b) ?? 0) || a.order - b.order);
        dated.splice(start, sameDay.length, ...sameDay);
      }
    }
    start = end;
  }
  return dated;
}

/**
 * Pairs entries with exits. A record with gaps is never rejected (the officer at the
 * counter still needs a number) but is bridged the same way every time and reported:
 * - an exit with no entry before it counts its own day only, the one day the record
 *   proves the person was here;
 * - an entry while already inside means an exit was not recorded; the person counts
 *   as present from the first entry, because nothing in the record shows them leaving.
 */
export function buildStayHistory(crossings: readonly Crossing[]): StayHistory {
  const ranges: [number, number][] = [];
  const anomalies: StayAnomaly[] = [];
  let insideSince: number | null = null;

  for (const crossing of chronological(crossings)) {
    if (crossing.direction === 'entry') {
      if (insideSince === null) {
        insideSince = crossing.day;
      } else {
        anomalies.push({
          code: 'ENTRY_WITHOUT_EXIT',
          day: isoDate(crossing.day),
          message: `Entry on ${isoDate(crossing.day)} follows the entry on ${isoDate(insideSince)} with no exit recorded; counted as one stay from ${isoDate(insideSince)}`,
        });
      }
    } else if (insideSince === null) {
      anomalies.push({
        code: 'EXIT_WITHOUT_ENTRY',
        day: isoDate(crossing.day),
        message: `Exit on ${isoDate(crossing.day)} has no entry recorded before it; only the day of exit is counted`,
      });
      ranges.push([crossing.day, crossing.day]);
    } else {
      ranges.push([insideSince, crossing.day]);
      insideSince = null;
    }
  }
  return fromRanges(ranges, insideSince, anomalies);
}

function fromRanges(ranges: [number, number][], openSince: number | null, anomalies: StayAnomaly[]): StayHistory {
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [first, last] of ranges) {
    const previous = merged[merged.length - 1];
    // Touching stays merge too: an exit and a re-entry on one day count that day once.
    if (previous && first <= previous[1] + 1) previous[1] = Math.max(previous[1], last);
    else merged.push([first, last]);
  }
  let open = openSince;
  // A stay still open absorbs the closed stays it touches, so that only one range is open.
  while (open !== null && merged.length > 0 && (merged[merged.length - 1]?.[1] ?? -Infinity) >= open - 1) {
    const swallowed = merged.pop();
    if (swallowed) open = Math.min(open, swallowed[0]);
  }
  const firstDays = new Int32Array(merged.length);
  const lastDays = new Int32Array(merged.length);
  const daysBefore = new Float64Array(merged.length + 1);
  merged.forEach(([first, last], i) => {
    firstDays[i] = first;
    lastDays[i] = last;
    daysBefore[i + 1] = (daysBefore[i] ?? 0) + (last - first + 1);
  });
  return { firstDays, lastDays, daysBefore, openSince: open, anomalies };
}

/** First index whose value is >= target in an ascending array (length when none is). */
function lowerBound(values: Int32Array, target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Days of stay in the history between two day numbers, both included. */
export function daysPresent(history: StayHistory, fromDay: number, toDay: number): number {
  if (toDay < fromDay) return 0;
  const { firstDays, lastDays, daysBefore } = history;
  let total = 0;
  // Closed stays overlapping [fromDay, toDay] are those from i (first ending on or after fromDay) to j-1.
  const i = lowerBound(lastDays, fromDay);
  const j = lowerBound(firstDays, toDay + 1);
  if (i < j) {
    total = (daysBefore[j] ?? 0) - (daysBefore[i] ?? 0);
    total -= Math.max(0, fromDay - (firstDays[i] ?? fromDay));
    total -= Math.max(0, (lastDays[j - 1] ?? toDay) - toDay);
  }
  if (history.openSince !== null && history.openSince <= toDay) {
    total += toDay - Math.max(history.openSince, fromDay) + 1;
  }
  return total;
}

export type StayRecord = StayHistory | readonly Crossing[];

/** Lets callers pass crossings or a history already built from them (to count many dates at once). */
export function asStayHistory(record: StayRecord): StayHistory {
  return Array.isArray(record) ? buildStayHistory(record) : (record as StayHistory);
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../time';
import { daysUsedIn180 } from './days-used';
import { buildStayHistory, type Crossing } from './stay-history';
import { crossingsOf, daysUsedByCounting, wellFormedStays } from './stay-test-support';

const entry = (at: string): Crossing => ({ direction: 'entry', at });
const exit = (at: string): Crossing => ({ direction: 'exit', at });

describe('days used in the 180-day window', () => {
  it.each([
    ['counts both the entry and the exit day', [entry('2026-01-01'), exit('2026-01-10')], '2026-01-10', 10],
    ['counts an entry and exit on the same day as one day', [entry('2026-01-01'), exit('2026-01-01')], '2026-01-01', 1],
    ['counts the day of an exit and re-entry once', [entry('2026-01-01'), exit('2026-01-05'), entry('2026-01-05'), exit('2026-01-10')], '2026-01-10', 10],
    ['counts a stay still going on up to the day checked', [entry('2026-03-01')], '2026-03-10', 10],
    ['counts exactly 90 days for 1 January to 31 March', [entry('2026-01-01'), exit('2026-03-31')], '2026-03-31', 90],
    ['counts the leap day', [entry('2024-02-28'), exit('2024-03-01')], '2024-03-01', 3],
    ['counts a day 179 days back (the window is D-179 to D)', [entry('2026-01-01'), exit('2026-01-01')], '2026-06-29', 1],
    ['drops a day 180 days back', [entry('2026-01-01'), exit('2026-01-01')], '2026-06-30', 0],
    ['reaches back 179 days across a leap day', [entry('2024-01-03'), exit('2024-01-03')], '2024-06-30', 1],
    ['drops the day 180 back across a leap day', [entry('2024-01-02'), exit('2024-01-02')], '2024-06-30', 0],
    ['counts nothing after the day checked', [entry('2026-01-01'), exit('2026-01-20')], '2026-01-10', 10],
    ['counts nothing for a traveller never seen', [], '2026-01-10', 0],
    ['counts a whole window of presence as 180', [entry('2020-01-01')], '2026-01-10', 180],
    ['adds separate stays', [entry('2026-01-01'), exit('2026-01-10'), entry('2026-02-01'), exit('2026-02-05')], '2026-02-05', 15],
  ])('%s', (_rule, crossings, onDate, expected) => {
    expect(daysUsedIn180(crossings, onDate)).toBe(expected);
  });

  it('orders crossings of one day by their times, whatever order they come in', () => {
    const crossings = [exit('2026-03-01T20:00:00+01:00'), entry('2026-03-01T08:00:00+01:00')];
    expect(daysUsedIn180(crossings, '2026-03-01')).toBe(1);
    expect(buildStayHistory(crossings).anomalies).toEqual([]);
  });

  it('counts a crossing at 00:30 local time on its local date', () => {
    expect(daysUsedIn180([entry('2026-03-02T00:30:00+01:00'), exit('2026-03-02T23:00:00+01:00')], '2026-03-01')).toBe(0);
  });

  it('counts only the day of an exit with no entry before it, and reports it', () => {
    const crossings = [exit('2026-01-10'), entry('2026-02-01'), exit('2026-02-03')];
    expect(daysUsedIn180(crossings, '2026-02-03')).toBe(4);
    expect(buildStayHistory(crossings).anomalies.map((a) => [a.code, a.day])).toEqual([['EXIT_WITHOUT_ENTRY', '2026-01-10']]);
  });

  it('counts two entries in a row as one stay from the first, and reports it', () => {
    const crossings = [entry('2026-01-01'), entry('2026-01-20'), exit('2026-01-31')];
    expect(daysUsedIn180(crossings, '2026-01-31')).toBe(31);
    expect(buildStayHistory(crossings).anomalies.map((a) => [a.code, a.day])).toEqual([['ENTRY_WITHOUT_EXIT', '2026-01-20']]);
  });

  it('counts the same for crossings as for a history built from them', () => {
    const crossings = [entry('2026-01-01'), exit('2026-01-10')];
    expect(daysUsedIn180(buildStayHistory(crossings), '2026-01-05')).toBe(daysUsedIn180(crossings, '2026-01-05'));
  });

  it('agrees with counting the days one by one', () => {
    fc.assert(
      fc.property(wellFormedStays, fc.integer({ min: -30, max: 900 }), (stays, offset) => {
        const onDate = addDays('2024-01-01', offset);
        expect(daysUsedIn180(crossingsOf(stays), onDate)).toBe(daysUsedByCounting(stays, onDate));
      }),
      { numRuns: 500 },
    );
  });

  it('never counts more days than the window has', () => {
    fc.assert(
      fc.property(wellFormedStays, fc.integer({ min: 0, max: 900 }), (stays, offset) => {
        const used = daysUsedIn180(crossingsOf(stays), addDays('2024-01-01', offset));
        expect(used).toBeGreaterThanOrEqual(0);
        expect(used).toBeLessThanOrEqual(180);
      }),
    );
  });

  it('never counts fewer days when a stay is added', () => {
    fc.assert(
      fc.property(wellFormedStays, fc.nat(), fc.integer({ min: 0, max: 900 }), (stays, pick, offset) => {
        if (stays.length === 0) return;
        const without = stays.filter((_, i) => i !== pick % stays.length);
        const onDate = addDays('2024-01-01', offset);
        expect(daysUsedIn180(crossingsOf(stays), onDate)).toBeGreaterThanOrEqual(daysUsedIn180(crossingsOf(without), onDate));
      }),
    );
  });

  it('grows by at most one day from one day to the next', () => {
    fc.assert(
      fc.property(wellFormedStays, fc.integer({ min: 0, max: 900 }), (stays, offset) => {
        const history = buildStayHistory(crossingsOf(stays));
        const today = daysUsedIn180(history, addDays('2024-01-01', offset));
        const tomorrow = daysUsedIn180(history, addDays('2024-01-01', offset + 1));
        expect(Math.abs(tomorrow - today)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('handles any sequence of crossings without throwing, reporting what it bridged', () => {
    const anyCrossing = fc.record({
      direction: fc.constantFrom<'entry' | 'exit'>('entry', 'exit'),
      at: fc.integer({ min: 0, max: 400 }).map((offset) => addDays('2025-06-01', offset)),
    });
    fc.assert(
      fc.property(fc.array(anyCrossing, { maxLength: 30 }), (crossings) => {
        const used = daysUsedIn180(crossings, '2026-06-01');
        expect(used).toBeGreaterThanOrEqual(0);
        expect(used).toBeLessThanOrEqual(180);
        expect(daysUsedIn180(crossings, '2026-06-01')).toBe(used);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../rules';
import { addDays, daysBetween } from '../time';
import { StayError } from './errors';
import { assessOverstayOnExit, assessPlannedStay, latestLawfulExit } from './planned-stay';
import type { Crossing } from './stay-history';
import { crossingsOf, daysUsedByCounting, wellFormedStays } from './stay-test-support';

const entry = (at: string): Crossing => ({ direction: 'entry', at });
const exit = (at: string): Crossing => ({ direction: 'exit', at });
const ninetyDaysFromNewYear = [entry('2026-01-01'), exit('2026-03-31')];

describe('latest lawful exit', () => {
  it.each([
    ['gives a first-time traveller 90 days, the entry day included', [], '2026-01-01', '2026-03-31'],
    ['gives 90 days across a leap day', [], '2024-02-01', '2024-04-30'],
    ['leaves 30 days after 60 used', [entry('2026-01-01'), exit('2026-03-01')], '2026-03-10', '2026-04-08'],
    ['leaves no day to a traveller re-entering while all 90 are still in the window', ninetyDaysFromNewYear, '2026-06-29', null],
    ['gives 90 days again to one re-entering the day the first of them leaves the window', ninetyDaysFromNewYear, '2026-06-30', '2026-09-27'],
    ['ignores the record from the entry day on, which the new stay replaces', [entry('2026-05-01'), exit('2026-05-30')], '2026-05-01', '2026-07-29'],
  ])('%s', (_rule, crossings, entryDate, expected) => {
    expect(latestLawfulExit(crossings, entryDate)).toBe(expected);
  });

  it('follows the configured limit', () => {
    const rules = loadRules({ shortStay: { maxDaysInWindow: 30, windowDays: 60 } });
    expect(latestLawfulExit([], '2026-01-01', rules)).toBe('2026-01-30');
  });

  it('is the last day of a stay that keeps within the limit, checked day by day', () => {
    fc.assert(
      fc.property(wellFormedStays, fc.integer({ min: 0, max: 700 }), (stays, offset) => {
        const entryDate = addDays('2024-01-01', offset);
        const before = stays
          .filter((stay) => daysBetween(stay.from, entryDate) > 0)
          .map((stay) => ({ from: stay.from, to: stay.to === undefined || daysBetween(stay.to, entryDate) <= 0 ? addDays(entryDate, -1) : stay.to }));
        const latest = latestLawfulExit(crossingsOf(stays), entryDate);
        const usedIfStayingUntil = (day: string) => daysUsedByCounting([...before, { from: entryDate, to: day }], day);
        if (latest === null) {
          expect(usedIfStayingUntil(entryDate)).toBeGreaterThan(90);
        } else {
          for (let day = entryDate; daysBetween(day, latest) >= 0; day = addDays(day, 1)) expect(usedIfStayingUntil(day)).toBeLessThanOrEqual(90);
          expect(usedIfStayingUntil(addDays(latest, 1))).toBeGreaterThan(90);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('planned stay', () => {
  it('fits a first stay of exactly 90 days, with no day left on departure', () => {
    expect(assessPlannedStay([], '2026-01-01', '2026-03-31')).toEqual({
      fits: true,
      daysUsedOnEntry: 1,
      daysUsedOnDeparture: 90,
      daysLeftOnDeparture: 0,
      longestStayDays: 90,
      latestLawfulExit: '2026-03-31',
      daysOver: 0,
      anomalies: [],
    });
  });

  it('does not fit a first stay of 91 days, one day over', () => {
    const assessment = assessPlannedStay([], '2026-01-01', '2026-04-01');
    expect(assessment.fits).toBe(false);
    expect(assessment.daysOver).toBe(1);
    expect(assessment.daysUsedOnDeparture).toBe(91);
  });

  it('counts earlier stays and says how many days are left on departure', () => {
    const assessment = assessPlannedStay([entry('2026-01-01'), exit('2026-01-20')], '2026-02-01', '2026-02-10');
    expect(assessment).toMatchObject({ fits: true, daysUsedOnEntry: 21, daysUsedOnDeparture: 30, daysLeftOnDeparture: 60, longestStayDays: 70 });
  });

  it('leaves no lawful day when the limit is used up on arrival', () => {
    const assessment = assessPlannedStay(ninetyDaysFromNewYear, '2026-05-01', '2026-05-03');
    expect(assessment).toMatchObject({ fits: false, daysUsedOnEntry: 91, longestStayDays: 0, latestLawfulExit: null, daysOver: 3 });
  });

  it('refuses a departure before the entry with DEPARTURE_BEFORE_ENTRY', () => {
    expect(() => assessPlannedStay([], '2026-01-10', '2026-01-09')).toThrow(StayError);
    expect(() => assessPlannedStay([], '2026-01-10', '2026-01-09')).toThrow(expect.objectContaining({ code: 'DEPARTURE_BEFORE_ENTRY' }));
  });

  it('reports the gaps in the record it bridged', () => {
    const assessment = assessPlannedStay([exit('2026-01-05')], '2026-02-01', '2026-02-02');
    expect(assessment.anomalies.map((a) => a.code)).toEqual(['EXIT_WITHOUT_ENTRY']);
  });
});

describe('overstay on exit', () => {
  it.each([
    ['finds none on the 90th day', [entry('2026-01-01')], '2026-03-31', 0],
    ['finds one day on the 91st day', [entry('2026-01-01')], '2026-04-01', 1],
    ['finds one day on the 91st day when the exit is a timestamp', [entry('2026-01-01T10:00:00+01:00')], '2026-04-01T09:00:00+02:00', 1],
    ['counts every day of a stay begun with no day left', [entry('2026-01-01'), exit('2026-03-31'), entry('2026-05-01')], '2026-05-03', 3],
    ['finds none for a short stay after a long one has left the window', [entry('2025-01-01'), exit('2025-03-31'), entry('2026-01-01')], '2026-01-05', 0],
  ])('%s', (_rule, crossings, exitAt, overstay) => {
    expect(assessOverstayOnExit(crossings, exitAt).overstayDays).toBe(overstay);
  });

  it('names the day the stay began and the latest lawful exit', () => {
    expect(assessOverstayOnExit([entry('2026-01-01')], '2026-04-10')).toEqual({
      stayBegan: '2026-01-01',
      latestLawfulExit: '2026-03-31',
      overstayDays: 10,
      anomalies: [],
    });
  });

  it('treats an exit with no open stay as a one-day stay and reports it', () => {
    const assessment = assessOverstayOnExit([entry('2026-01-01'), exit('2026-01-05')], '2026-02-01');
    expect(assessment.stayBegan).toBe('2026-02-01');
    expect(assessment.overstayDays).toBe(0);
    expect(assessment.anomalies.map((a) => a.code)).toEqual(['EXIT_WITHOUT_ENTRY']);
  });
});

describe('planned stay after a stay with no exit recorded', () => {
  it('counts the open stay up to the day before the new entry and reports the missing exit', () => {
    const assessment = assessPlannedStay([entry('2026-01-01')], '2026-01-31', '2026-02-01');
    expect(assessment.daysUsedOnEntry).toBe(31);
    expect(assessment.anomalies.map((a) => [a.code, a.day])).toEqual([['ENTRY_WITHOUT_EXIT', '2026-01-31']]);
  });
});

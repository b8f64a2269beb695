import { describe, expect, it } from 'vitest';
import { defaultRules } from '../rules';
import { earliestCutoff, isOverstayCrossing, orphanBiometricCutoff, orphanBiometricRetainedUntil, overstayers, personKey, retainedUntil, yearsAfter } from './retention';

const at = (iso: string): number => Date.parse(iso);

describe('retention periods', () => {
  it('counts calendar years, 29 February included', () => {
    expect(new Date(yearsAfter(at('2023-05-10T08:30:00Z'), 3)).toISOString()).toBe('2026-05-10T08:30:00.000Z');
    expect(new Date(yearsAfter(at('2024-02-29T12:00:00Z'), 3)).toISOString()).toBe('2027-03-01T12:00:00.000Z');
    expect(new Date(yearsAfter(at('2026-05-10T00:00:00Z'), -3)).toISOString()).toBe('2023-05-10T00:00:00.000Z');
  });

  it('keeps a registration 3 years after the stay ends, 5 for an overstayer, and from a later cancellation', () => {
    const registration = { arrivalAt: at('2023-01-02T10:00:00Z'), plannedDepartureDate: '2023-01-20' };
    expect(new Date(retainedUntil({ kind: 'registration', record: registration }, false, defaultRules)).toISOString()).toBe('2026-01-21T00:00:00.000Z');
    expect(new Date(retainedUntil({ kind: 'registration', record: registration }, true, defaultRules)).toISOString()).toBe('2028-01-21T00:00:00.000Z');
    const cancelled = { ...registration, cancellation: { cancelledAt: at('2023-03-01T09:00:00Z'), cancelledBy: 'o1', reason: 'entered twice' } };
    expect(new Date(retainedUntil({ kind: 'registration', record: cancelled }, false, defaultRules)).toISOString()).toBe('2026-03-01T09:00:00.000Z');
  });

  it('keeps a border record 3 years after the crossing, 5 for an overstayer, as configured', () => {
    const crossing = { occurredAt: at('2022-07-01T06:00:00Z') };
    expect(new Date(retainedUntil({ kind: 'crossing', record: crossing }, false, defaultRules)).toISOString()).toBe('2025-07-01T06:00:00.000Z');
    expect(new Date(retainedUntil({ kind: 'crossing', record: crossing }, true, defaultRules)).toISOString()).toBe('2027-07-01T06:00:00.000Z');
    const longer = { retention: { ...defaultRules.retention, borderRecordYears: 4 } };
    expect(new Date(retainedUntil({ kind: 'crossing', record: crossing }, false, longer)).toISOString()).toBe('2026-07-01T06:00:00.000Z');
    expect(new Date(earliestCutoff(at('2026-07-01T06:00:00Z'), longer)).toISOString()).toBe('2023-07-01T06:00:00.000Z');
  });

  it('knows an overstay by the failed overstay check of an exit, and a person by the document', () => {
    expect(isOverstayCrossing({ direction: 'exit', checks: [{ check: 'stay.overstay', severity: 'critical', outcome: 'failed' }] })).toBe(true);
    expect(isOverstayCrossing({ direction: 'exit', checks: [{ check: 'stay.overstay', severity: 'info', outcome: 'passed' }] })).toBe(false);
    expect(isOverstayCrossing({ direction: 'entry', checks: [{ check: 'stay.overstay', severity: 'critical', outcome: 'failed' }] })).toBe(false);
    expect(personKey({ issuingState: 'D', documentNumber: 'c01x-00t47' })).toBe(personKey({ issuingState: 'D', documentNumber: 'C01X00T47' }));
  });

  it('names the people who overstayed, by their document, from exits with a failed overstay check only', () => {
    const overstay = [{ check: 'stay.overstay', severity: 'critical' as const, outcome: 'failed' as const }];
    const found = overstayers([
      { direction: 'exit', checks: overstay, document: { issuingState: 'SRB', documentNumber: 'AB1234567'} },
      { direction: 'entry', checks: overstay, document: { issuingState: 'HRV', documentNumber: 'CD1234567'} },
      { direction: 'exit', checks: [], document: { issuingState: 'MNE', documentNumber: 'EF1234567'} },
    ]);
    expect([...found]).toEqual([personKey({ issuingState: 'SRB', documentNumber: 'AB1234567' })]);
  });

  it('keeps a capture whose record is gone for the border years after it was made', () => {
    expect(new Date(orphanBiometricRetainedUntil({ createdAt: at('2022-07-01T06:00:00Z') }, defaultRules)).toISOString()).toBe('2025-07-01T06:00:00.000Z');
    expect(new Date(orphanBiometricCutoff(at('2026-07-01T06:00:00Z'), defaultRules)).toISOString()).toBe('2023-07-01T06:00:00.000Z');
  });
});

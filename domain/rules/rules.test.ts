import { describe, expect, it } from 'vitest';
import { RulesError, defaultRules, loadRules, rulesSchema } from './rules';

describe('rules configuration', () => {
  it('holds the numbers of the law by default', () => {
    expect(defaultRules.shortStay).toEqual({ maxDaysInWindow: 90, windowDays: 180 });
    expect(defaultRules.registration).toEqual({ commercialDeadlineHours: 12, privateDeadlineHours: 48, privateExemptMaxDays: 3 });
    expect(defaultRules.addressChange).toEqual({ temporaryResidenceHours: 48, permanentResidenceDays: 8 });
    expect(defaultRules.travelDocument).toEqual({ validMonthsAfterDeparture: 3, issuedWithinYears: 10 });
    expect(defaultRules.fingerprints.exemptUnderAge).toBe(12);
    expect(defaultRules.retention).toEqual({ accommodationRegisterYears: 3, borderRecordYears: 3, overstayerRecordYears: 5 });
  });

  it('passes its own schema', () => {
    expect(rulesSchema.safeParse(defaultRules).success).toBe(true);
  });

  it('cannot be changed by a caller', () => {
    expect(() => {
      (defaultRules.shortStay as { maxDaysInWindow: number }).maxDaysInWindow = 120;
    }).toThrow(TypeError);
  });

  it('applies a station override field by field, keeping the rest', () => {
    const rules = loadRules({ registration: { commercialDeadlineHours: 24 } });
    expect(rules.registration).toEqual({ commercialDeadlineHours: 24, privateDeadlineHours: 48, privateExemptMaxDays: 3 });
    expect(rules.shortStay).toEqual(defaultRules.shortStay);
  });

  it('loads no overrides as the defaults', () => {
    expect(loadRules({})).toEqual(defaultRules);
  });

  it.each([
    ['an unknown section', { visas: { days: 3 } }],
    ['an unknown field', { shortStay: { days: 90 } }],
    ['a negative number', { registration: { commercialDeadlineHours: -1 } }],
    ['a fraction of a day', { shortStay: { windowDays: 180.5 } }],
    ['a limit longer than its window', { shortStay: { maxDaysInWindow: 200 } }],
    ['a hit threshold below the candidate threshold', { watchlist: { hitThreshold: 0.5 } }],
    ['not an object', 'strict'],
  ])('refuses %s with RULES_INVALID', (_what, overrides) => {
    expect(() => loadRules(overrides)).toThrow(RulesError);
    expect(() => loadRules(overrides)).toThrow(expect.objectContaining({ code: 'RULES_INVALID', issues: expect.arrayContaining([expect.any(String)]) }));
  });
});
